"""Actors across the corpus: one name for a person however each article names them.

Within an article the extractor already resolves "Wang", "Wenbin" and "the Chinese spokesman"
to "Wang Wenbin" (`claimgraph.extract.speakers`). Across articles the same person can still
come out under several names: an article that only ever says "Dorn" gives "Dorn", a transcript
gives "TAPPER", a byline habit gives "Donald J. Trump". `fold_speakers` maps each such name to
the corpus's name for that person, from the speakers' names and statement counts alone:

- a name is compared without case (``JAKE TAPPER`` is Jake Tapper), leading honorifics and
  descriptions ("Mr.", "Sen.", "billionaire") and middle names and initials ("Donald J.
  Trump"): names that agree on their first and last words and suffix ("Jr.", "III") are one
  person unless they have different middle names ("George H.W. Bush", "George W. Bush"),
  shown under their most frequent form in mixed case;
- a single word is the surname of the full name that ends in it, when there is one, or when
  one of several carries at least `DOMINANCE` times the statements of all the others together
  ("Trump" is Donald Trump beside Melania Trump's few statements; "Clinton" stays "Clinton"
  between Hillary and Bill Clinton). The full names a word begins count among the others
  ("John" is not Tom John's while John Kerry and John Kasich speak more); a stop word ("From")
  or a country the extractor knows ("China") is nobody's surname.

Organisations fold by their state (`fold_bodies`): "US State Department" and "U.S. State
Department" are one body, and a bare "State Department" is it when the corpus names no other
state's (or one carries `DOMINANCE` times the others' statements). Countries, documents and
collectives keep their names. The result maps only the names that change; the link step
stores it (`speaker_actors`) and the exports, report and web UI group speakers by it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

from ..extract.roles import _DESCRIPTORS, _HONORIFICS, _ORG_WORDS, country_of

if TYPE_CHECKING:
    from ..store import Store

DOMINANCE = 4  # a single word goes to the full name carrying this many times the others
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())


def actor_of(actors: dict[str, str], speaker: str | None) -> str | None:
    """A speaker's actor given the store's map (`Store.actor_map`): the speaker itself
    unless its name folds."""
    return actors.get(speaker, speaker) if speaker else None


def _untitled(words: list[str]) -> list[str]:
    """The words without leading honorifics and descriptions ("Mr.", "Sen.", "billionaire")."""
    while len(words) > 1 and (words[0].lower() in _HONORIFICS or words[0].lower() in _DESCRIPTORS):
        words = words[1:]
    return words


def _parts(name: str) -> tuple[str, tuple[str, ...], str, str] | None:
    """(first, middles, last, suffix), case folded, of a person's name without leading
    honorifics and descriptions; None for what is not a name (a lower-case word in it)."""
    words = _untitled([w for w in (w.strip(",") for w in name.split()) if w])
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop().lower().rstrip(".")
    if not words or not all(w[:1].isupper() for w in words):
        return None
    low = [w.casefold() for w in words]
    middles = tuple(m.replace(".", "") for m in low[1:-1])
    return low[0], middles, low[-1], suffix


def _display(name: str) -> str:
    """The name without leading honorifics."""
    return " ".join(_untitled(name.split()))


def _shouted(name: str) -> bool:
    """``JAKE TAPPER``, ``USA TODAY``: written in capitals (a transcript, a label)."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _actors(names: dict[str, tuple[str, tuple[str, ...], str, str]]) -> list[list[str]]:
    """Full names grouped into persons: the same first and last word and suffix, and the same
    middle names where both have them ("George H.W. Bush" is not "George W. Bush"; with two
    middles in play, a name without one belongs to neither)."""
    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for s, (first, _, last, suffix) in names.items():
        by_key[(first, last, suffix)].append(s)
    out = []
    for members in by_key.values():
        middles = {names[s][1] for s in members if names[s][1]}
        if len(middles) <= 1:
            out.append(members)
            continue
        for m in sorted(middles):
            out.append([s for s in members if names[s][1] == m])
        out.extend([s] for s in members if not names[s][1])
    return out


def fold_speakers(rows: Iterable[tuple[str, str | None, int]]) -> dict[str, str]:
    """``rows``: (speaker, speaker_type, statements) over the corpus; a name may come with
    several types. Returns {speaker: actor} for the speakers whose actor name differs."""
    counts: Counter[str] = Counter()
    person: Counter[str] = Counter()
    for speaker, stype, n in rows:
        if not speaker:
            continue
        counts[speaker] += n
        if stype == "person":
            person[speaker] += n
    names = {}
    for s in counts:
        parts = _parts(s) if person[s] * 2 > counts[s] else None  # mostly typed a person
        if parts is not None:
            names[s] = parts
    full = _actors({s: p for s, p in names.items() if p[0] != p[2]})  # two words or more
    total = [sum(counts[s] for s in g) for g in full]
    # shown as its most frequent form written in mixed case (a name only ever shouted, such
    # as "USA TODAY", keeps its capitals)
    shown = [_display(max(g, key=lambda s: (not _shouted(s), counts[s], len(s), s))) for g in full]
    by_last: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(full):
        by_last[names[g[0]][2]].append(i)
    out: dict[str, str] = {}
    for i, g in enumerate(full):
        out.update({s: shown[i] for s in g})
    as_first: Counter[str] = Counter()  # statements of the full names a word is the first of
    for i, g in enumerate(full):
        as_first[names[g[0]][0]] += total[i]
    for s, (first, _, last, _) in names.items():
        if first != last:
            continue  # one word: the surname of a full name?
        cands = sorted(by_last.get(last, []), key=lambda i: (-total[i], shown[i]))
        # others: the other full names that end in it, and those it begins ("John": the many
        # John Kerrys and John Kasichs, not Tom John)
        others = sum(total[i] for i in cands[1:]) + as_first[last]
        if (
            cands
            and total[cands[0]] >= DOMINANCE * others
            and last not in STOP_WORDS  # "From" of a sentence is not Al From
            and country_of(last) is None  # "China" is no one's surname
        ):
            out[s] = shown[cands[0]]
        else:
            out[s] = _display(s)
    return {s: a for s, a in out.items() if a != s}


def _state_and_body(name: str) -> tuple[str | None, str] | None:
    """("United States", "state department") for "the U.S. State Department"; (None,
    "state department") for "State Department"; None for a name with nothing after its
    state ("United States"), in lower case ("a panel") or without a word of a body
    (department, ministry, office …)."""
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if not words or not words[0][:1].isupper():
        return None
    if not any(w.lower() in _ORG_WORDS for w in words):
        return None  # "Washington Post": a name, not a state's body
    for n in (2, 1):  # "United States", "US", "Chinese"
        state = country_of(" ".join(words[:n])) if len(words) > n else None
        if state is not None:
            return state, " ".join(words[n:]).casefold()
    return None, " ".join(words).casefold()


def fold_bodies(rows: Iterable[tuple[str, str | None, int]]) -> dict[str, str]:
    """Organisations named with and without their state: "US State Department" and "U.S.
    State Department" are one body, shown under the most frequent form; a bare "State
    Department" is it when no other state's State Department is in the corpus, or when that
    one carries `DOMINANCE` times the statements of the others (as for surnames)."""
    counts: Counter[str] = Counter()
    for speaker, stype, n in rows:
        if speaker and stype == "organisation":
            counts[speaker] += n
    by_body: dict[str, dict[str | None, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for s, n in counts.items():
        parts = _state_and_body(s)
        if parts is not None:
            by_body[parts[1]][parts[0]][s] += n
    out: dict[str, str] = {}
    for states in by_body.values():
        shown = {st: max(g, key=lambda s: (g[s], len(s), s)) for st, g in states.items()}
        total = {st: sum(g.values()) for st, g in states.items()}
        for st, g in states.items():
            if st is not None:
                out.update({s: shown[st] for s in g if s != shown[st]})
        named = sorted((st for st in states if st is not None), key=lambda st: -total[st])
        if None in states and named:
            if total[named[0]] >= DOMINANCE * sum(total[st] for st in named[1:]):
                out.update({s: shown[named[0]] for s in states[None]})
    return out


def link_actors(store: Store) -> int:
    """Fold the store's speakers into actors and store the map; how many names fold."""
    rows = store.speaker_counts()
    actors = {**fold_bodies(rows), **fold_speakers(rows)}
    if actors != store.actor_map():
        store.write_actors(actors)
    return len(actors)
