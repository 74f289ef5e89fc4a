"""Contested terms: which of rival labels for one referent an article uses, and in whose voice.

A `Lexicon` (loaded from TOML, see ``claimgraph/data/lexicon.toml`` for the shape) holds

- **groups** of rival labels for one referent ("internment camps" / "vocational education and
  training centers"), each label with its spelling variants;
- **names**: proper names that contain a contested word but are names, not a choice of label
  ("Xinjiang Uygur Autonomous Region", "Uyghur Forced Labor Prevention Act");
- the phrase lists that drive the lexicon cues of `cues.py` (loaded labels, hedges, ...).

Phrases match case-insensitively, singular or plural, British or American spelling
(centre/center, labour/labor, -isation/-ization) and with or without a hyphen
("re-education" = "reeducation" = "re education"). In cue phrases ``*`` stands for one word
("anti-* forces", "* regime") and ``...`` for a gap of up to four words in the same sentence
("biggest ... in human history").

`extract_terms` also discovers rival labels the article itself sets side by side:
"X, which Beijing describes as “Y”", "Beijing describes X as “Y”", "what it terms “X” – or
what Blinken called “Y”". Those uses get ``group="discovered:<head noun lemma>"``; a pair whose
two labels already belong to one lexicon group is not repeated.

A use is **quoted** when it lies inside a given statement or inside quotation marks (a
scare-quoted word is one the outlet declines to own), else **narrated**.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from spacy.tokens import Doc, Token

from ..errors import UsageError
from .doctext import doc_text, memo
from .quotes import find_quotes
from .records import Statement, TermUse
from .verbs import default_lexicon

CUE_LISTS = ("loaded_label", "name_calling", "hedge", "intensifier", "distancing")
WILD, GAP = "\x00wild", "\x00gap"
_MAX_GAP = 4
_HYPHENS = frozenset("-‐‑")
_QUOTE_CHARS = frozenset("\"“”„'‘’‚«»‹›`")
_SPELLING = dict(
    pair.split("/")
    for pair in (
        "centre/center theatre/theater metre/meter fibre/fiber labour/labor honour/honor "
        "favour/favor behaviour/behavior rumour/rumor colour/color programme/program "
        "defence/defense offence/offense labelled/labeled labelling/labeling "
        "travelled/traveled uighur/uyghur uygur/uyghur"
    ).split()
)
_WILD_POS = frozenset({"PROPN", "ADJ", "NOUN"})


# ---------------------------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class TermGroup:
    """Rival labels for one referent: canonical label -> its variants (canonical included)."""

    id: str
    terms: tuple[tuple[str, tuple[str, ...]], ...]
    referent: str | None = None

    def labels(self) -> list[str]:
        return [canonical for canonical, _ in self.terms]


@dataclass(frozen=True)
class Lexicon:
    """Phrase lists for cues, rival-term groups and proper names (all hashable tuples)."""

    cues: tuple[tuple[str, tuple[str, ...]], ...]
    groups: tuple[TermGroup, ...]
    names: tuple[str, ...] = ()
    source: str = "<memory>"

    def cue_phrases(self, cue_type: str) -> tuple[str, ...]:
        return dict(self.cues).get(cue_type, ())

    def group(self, group_id: str) -> TermGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon extended by `other` (other's groups replace same-named ones)."""
        cues = {k: list(v) for k, v in self.cues}
        for k, v in other.cues:
            cues.setdefault(k, []).extend(p for p in v if p not in cues.get(k, []))
        groups = {g.id: g for g in self.groups} | {g.id: g for g in other.groups}
        names = tuple(dict.fromkeys(self.names + other.names))
        return Lexicon(
            tuple((k, tuple(v)) for k, v in cues.items()),
            tuple(groups.values()),
            names,
            other.source,
        )


def _bad(source: str, what: str) -> UsageError:
    return UsageError(
        f"lexicon {source}: {what}; see the comment at the top of the shipped lexicon.toml"
    )


def _strings(value: Any, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _bad(source, f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_lexicon(data: dict[str, Any], source: str = "<memory>") -> Lexicon:
    """Validate a lexicon mapping (as read from TOML) and build a `Lexicon`."""
    unknown = set(data) - {"version", "include_builtin", "cues", "names", "groups"}
    if unknown:
        raise _bad(source, f"unknown top-level key(s) {sorted(unknown)}")
    cues_raw = data.get("cues", {})
    if not isinstance(cues_raw, dict):
        raise _bad(source, "[cues] must be a table")
    bad_types = set(cues_raw) - set(CUE_LISTS)
    if bad_types:
        raise _bad(source, f"unknown cue list(s) {sorted(bad_types)}; known: {list(CUE_LISTS)}")
    cues = tuple((k, _strings(v, source, f"cues.{k}")) for k, v in cues_raw.items())
    names = _strings(data.get("names", []), source, "names")
    groups_raw = data.get("groups", {})
    if not isinstance(groups_raw, dict):
        raise _bad(source, "[groups] must be a table of tables")
    groups = []
    for gid, graw in groups_raw.items():
        if (
            not isinstance(graw, dict)
            or not isinstance(graw.get("terms"), dict)
            or not graw["terms"]
        ):
            raise _bad(source, f"group {gid!r} needs a non-empty [groups.{gid}.terms] table")
        referent = graw.get("referent")
        if referent is not None and not isinstance(referent, str):
            raise _bad(source, f"groups.{gid}.referent must be a string")
        terms = []
        for canonical, variants in graw["terms"].items():
            vs = _strings(variants, source, f"groups.{gid}.terms.{canonical!r}")
            terms.append((canonical, tuple(dict.fromkeys((canonical, *vs)))))
        groups.append(TermGroup(gid, tuple(terms), referent))
    return Lexicon(cues, tuple(groups), names, source)


def _read_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"lexicon {source} is not valid TOML ({exc}); fix it and retry") from exc


@lru_cache(maxsize=1)
def _builtin() -> Lexicon:
    res = resources.files("claimgraph") / "data" / "lexicon.toml"
    return parse_lexicon(_read_toml(res.read_text(encoding="utf-8"), "(builtin)"), "(builtin)")


def load_lexicon(path: str | Path | None = None, data: bytes | None = None) -> Lexicon:
    """The shipped lexicon (``path=None``) or a user's TOML file (from ``data`` when given:
    the bytes of standard input, whose path is '-'). A user file with
    ``include_builtin = true`` extends the shipped lists instead of replacing them."""
    if path is None:
        return _builtin()
    p = Path(path)
    where = "standard input" if data is not None else str(p)
    try:
        text = data.decode("utf-8") if data is not None else p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read lexicon {where} ({exc}); check the path") from exc
    data_ = _read_toml(text, where)
    lexicon = parse_lexicon(data_, where)
    include = data_.get("include_builtin", False)
    if not isinstance(include, bool):
        raise _bad(where, "include_builtin must be true or false")
    return _builtin().merged(lexicon) if include else lexicon


# ---------------------------------------------------------------------------------- folding
def singular(word: str) -> str:
    """Crude, deterministic plural folding, applied alike to phrases and text."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s")):
        return w[:-1]
    return w


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Matching key of one word: lower case, singular, American spelling (remembered: every
    word of every article is folded, and news repeats its words)."""
    w = singular(word.lower().replace("’", "'"))
    w = _SPELLING.get(w, w)
    return re.sub(r"(\w{3,})isation$", r"\1ization", w)


class Unit(NamedTuple):
    """A word for matching: hyphenated words are joined into one unit ("re-education")."""

    key: str
    start: int  # characters
    end: int
    tok_start: int
    tok_end: int  # exclusive
    sent: int  # start token of its sentence


def units(doc: Doc) -> list[Unit]:
    """The matching units of a doc; quotation marks are skipped (a phrase matches across
    them: ``“internment” camps``). Made once per Doc (the cues and the contested terms both
    read them)."""
    return list(memo(doc, "units", _units))


def _units(doc: Doc) -> tuple[Unit, ...]:
    has_sents = doc.has_annotation("SENT_START") or doc.has_annotation("DEP")
    toks = list(doc)
    starts, sent = [], 0  # each token's sentence start (``tok.sent`` walks the sentence)
    for tok in toks:
        if has_sents and tok.is_sent_start:
            sent = tok.i
        starts.append(sent)
    out: list[Unit] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if tok.is_space or all(c in _QUOTE_CHARS for c in tok.text):
            i += 1
            continue
        j, word = i, tok.text
        while word.endswith(tuple(_HYPHENS)) and j + 1 < n and not toks[j].whitespace_:
            j, word = j + 1, word[:-1] + toks[j + 1].text  # "anti-" "China" (tokenizer prefix)
        while (
            j + 2 < n
            and not toks[j].whitespace_
            and toks[j + 1].text in _HYPHENS
            and not toks[j + 1].whitespace_
            and not toks[j + 2].is_punct
        ):
            word += toks[j + 2].text
            j += 2
        key = fold(word)
        if word == "*" or key == "xwildx":
            key = WILD
        elif word in ("...", "…") or key == "xgapx":
            key = GAP
        out.append(Unit(key, tok.idx, toks[j].idx + len(toks[j]), i, j + 1, starts[i]))
        i = j + 1
    return tuple(out)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def phrase_keys(phrase: str) -> list[tuple[str, ...]]:
    """Key sequences of a phrase: its hyphenated words joined, and also split apart."""
    text = phrase.replace("...", " xgapx ").replace("…", " xgapx ").replace("*", "xwildx")
    joined = tuple(u.key for u in units(_tokenizer()(text)))
    split_text = re.sub(r"(?<=\w)[-‐‑](?=\w)", " ", text)
    split = tuple(u.key for u in units(_tokenizer()(split_text)))
    return [joined] if joined == split else [joined, split]


# ---------------------------------------------------------------------------------- matcher
def _literal(key: str) -> bool:
    """A key that matches one word only (no wildcard, no gap)."""
    return key not in (WILD, GAP) and "xwildx" not in key


class Match(NamedTuple):
    start: int  # unit indices
    end: int
    payload: tuple[Any, ...]


class PhraseIndex:
    """Matches folded phrases over `units`; ``*`` and ``...`` as described above."""

    def __init__(self, entries: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], tuple[Any, ...]]]] = {}
        self.globbed: list[tuple[tuple[str, ...], tuple[Any, ...]]] = []
        for phrase, payload in entries:
            for keys in phrase_keys(phrase):
                while keys and keys[0] == GAP:
                    keys = keys[1:]
                while keys and keys[-1] == GAP:
                    keys = keys[:-1]
                if not keys:
                    continue
                first = keys[0]
                if first in (WILD, GAP) or "xwildx" in first:
                    self.globbed.append((keys, payload))
                else:
                    self.by_first.setdefault(first, []).append((keys, payload))

    def _globbed_at(self, us: list[Unit], i: int) -> list[tuple[tuple[str, ...], tuple[Any, ...]]]:
        """The globbed phrases that may match from unit ``i``: one whose second key is a word
        is tried only where the next unit is that word ("* regime" only before "regime")."""
        nxt = us[i + 1].key if i + 1 < len(us) else None
        return [
            (keys, payload)
            for keys, payload in self.globbed
            if len(keys) < 2 or not _literal(keys[1]) or keys[1] == nxt
        ]

    @staticmethod
    def _key_ok(doc: Doc | None, unit: Unit, key: str) -> bool:
        if key == WILD:
            last = doc[unit.tok_end - 1] if doc is not None else None
            return unit.key.isalpha() and (
                last is None or not last.pos_ or (last.pos_ in _WILD_POS and not last.is_stop)
            )
        if "xwildx" in key:
            return fnmatch.fnmatchcase(unit.key, key.replace("xwildx", "?*"))
        return unit.key == key

    def _match(self, doc: Doc | None, us: list[Unit], i: int, keys: Sequence[str]) -> int | None:
        """Where ``keys`` matched from unit ``i`` end (the first way found), or None. Each
        (unit, key) pair is tried once: a phrase of many gaps (an article's own "… … …"
        made a discovered label) would otherwise cost (gap + 1) to the power of its gaps."""
        memo: dict[tuple[int, int], int | None] = {}

        def go(i: int, j: int) -> int | None:
            if j == len(keys):
                return i
            if (i, j) in memo:
                return memo[(i, j)]
            end = None
            if keys[j] == GAP:
                for skip in range(_MAX_GAP + 1):
                    k = i + skip
                    if k > len(us) or (skip and us[k - 1].sent != us[i - 1].sent):
                        break
                    end = go(k, j + 1)
                    if end is not None:
                        break
            elif i < len(us) and self._key_ok(doc, us[i], keys[j]):
                end = go(i + 1, j + 1)
            memo[(i, j)] = end
            return end

        return go(i, 0)

    def find(self, doc: Doc | None, us: list[Unit]) -> list[Match]:
        """All matches, overlaps resolved: longest (in characters) first, then earlier entry."""
        found: list[Match] = []
        for i, u in enumerate(us):
            for keys, payload in self.by_first.get(u.key, []) + self._globbed_at(us, i):
                end = self._match(doc, us, i, keys)
                if end is not None and end > i and us[end - 1].sent == u.sent:
                    found.append(Match(i, end, payload))
        found.sort(key=lambda m: (-(us[m.end - 1].end - us[m.start].start), m.start))
        taken: set[int] = set()
        kept = []
        for m in found:
            if taken.isdisjoint(range(m.start, m.end)):
                taken.update(range(m.start, m.end))
                kept.append(m)
        return sorted(kept, key=lambda m: m.start)


@lru_cache(maxsize=8)
def term_index(lexicon: Lexicon) -> PhraseIndex:
    entries: list[tuple[str, tuple[Any, ...]]] = [(n, ("name", None, n)) for n in lexicon.names]
    for g in lexicon.groups:
        for canonical, variants in g.terms:
            entries += [(v, ("term", g.id, canonical)) for v in variants]
    return PhraseIndex(entries)


# ---------------------------------------------------------------------------------- spans
def containing_statement(statements: Sequence[Statement], start: int, end: int) -> int | None:
    """Index of the innermost statement whose [start, end) contains [start, end)."""
    best: int | None = None
    for i, s in enumerate(statements):
        if s.start <= start and end <= s.end:
            if best is None or s.end - s.start < statements[best].end - statements[best].start:
                best = i
    return best


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in find_quotes(text)]


def _in_any(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _voice(statements: Sequence[Statement], quotes: list[tuple[int, int]], start: int, end: int):
    idx = containing_statement(statements, start, end)
    quoted = idx is not None or _in_any(quotes, start, end)
    return ("quoted" if quoted else "narrated"), idx


# ---------------------------------------------------------------------------------- extract
def extract_terms(
    doc: Doc, *, statements: Sequence[Statement] = (), lexicon: Lexicon | None = None
) -> list[TermUse]:
    """Every use of a contested term (lexicon groups and rival labels set side by side in
    the text), with its voice and containing statement, in text order."""
    lexicon = lexicon or load_lexicon()
    text = doc_text(doc)
    us = units(doc)
    quotes = quoted_spans(text)
    uses: list[TermUse] = []
    for m in term_index(lexicon).find(doc, us):
        kind, group, canonical = m.payload
        if kind != "term":
            continue  # a proper name that contains a term
        start, end = us[m.start].start, us[m.end - 1].end
        voice, idx = _voice(statements, quotes, start, end)
        uses.append(TermUse(canonical, text[start:end], start, end, voice, group, idx))
    uses += discover(doc, us, uses, statements, quotes)
    return sorted(uses, key=lambda u: (u.start, u.end, u.group or ""))


# ---------------------------------------------------------------------------------- rivals
_WHAT_NAMES = re.compile(
    r"\bwhat\s+(?:[\w.’'-]+\s+){1,4}?(?:terms?|termed|calls?|called|dubs?|dubbed|labels?|"
    r"labell?ed|brands?|branded|describes?\s+as|described\s+as|refers?\s+to\s+as|"
    r"referred\s+to\s+as)\s*$",
    re.IGNORECASE,
)
_OR_BETWEEN = re.compile(r"^[\s,]*(?:[–—-]+\s*)?or\s*$")


class _Label(NamedTuple):
    start: int
    end: int
    head: str  # lemma of the head noun
    quoted: bool


def _noun_label(tok: Token) -> _Label | None:
    """The label a noun phrase uses: its head noun with the compounds and adjectives right
    before it, without determiners or post-modifiers ("the camps in Xinjiang" -> "camps")."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    first = tok
    while first.i > 0:
        prev = tok.doc[first.i - 1]
        if prev.head.i >= first.i and prev.head.i <= tok.i and prev.dep_ in ("compound", "amod"):
            first = prev
        else:
            break
    return _Label(first.idx, tok.idx + len(tok), tok.lemma_.lower(), False)


def _quote_label(doc: Doc, start: int, end: int) -> _Label | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN")]
    if not nouns:
        return None  # "described the talks as “productive”" names nothing
    head = span.root if span.root.pos_ in ("NOUN", "PROPN") else nouns[-1]
    return _Label(start, end, head.lemma_.lower(), True)


def _named_object(verb: Token, exclude: Token) -> Token | None:
    """What the naming verb names: its object, or the noun a relative "which" stands for."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass") and child.i != exclude.i:
            if child.lower_ in ("which", "that") and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.dep_ == "acl":
        return verb.head  # "the camps, described as “…”"
    return None


def _rival_pairs(
    doc: Doc, quotes: list[tuple[int, int]]
) -> list[tuple[_Label, _Label, Token | None]]:
    """(label A, label B, naming verb or None) for each place the text sets two labels side by
    side for one thing."""
    text = doc_text(doc)
    pairs: list[tuple[_Label, _Label, Token | None]] = []
    whats: list[tuple[int, _Label]] = []
    for q_start, q_end in quotes:
        inner_s, inner_e = q_start + 1, q_end
        while inner_e > inner_s and text[inner_e - 1] in _QUOTE_CHARS | set(" ,.;:"):
            inner_e -= 1
        if not 1 <= len(text[inner_s:inner_e].split()) <= 12:
            continue
        label = _quote_label(doc, inner_s, inner_e)
        if label is None:
            continue
        m = _WHAT_NAMES.search(text, max(0, q_start - 80), q_start)
        if m:
            whats.append((m.start(), label))
            continue
        span = doc.char_span(inner_s, inner_e, alignment_mode="expand")
        root = span.root if span is not None else None
        if root is None:
            continue
        verb = root.head.head if root.head.lower_ == "as" else root.head
        if (
            root.dep_ in ("oprd", "xcomp", "ccomp", "attr", "pobj")
            and verb.lemma_ in default_lexicon().term_naming
        ):
            obj = _named_object(verb, root)
            x = _noun_label(obj) if obj is not None else None
            if x is not None and not (inner_s <= x.start < inner_e):
                pairs.append((x, label, verb))
    for k, (what_start, label) in enumerate(whats):
        prev = whats[k - 1] if k else None
        if prev is not None and _OR_BETWEEN.match(text[prev[1].end : what_start].strip("”\"’'“")):
            pairs.append((prev[1], label, None))
            continue
        before = doc.char_span(0, what_start, alignment_mode="contract")
        toks = [t for t in (before or []) if not t.is_punct and t.lower_ not in ("or", "and")][-1:]
        x = _noun_label(toks[0]) if toks and toks[0].idx > what_start - 8 else None
        if x is not None:
            pairs.append((x, label, None))
    return pairs


def _group_at(uses: Sequence[TermUse], start: int, end: int) -> str | None:
    return next((u.group for u in uses if u.start < end and start < u.end), None)


def discover(
    doc: Doc,
    us: list[Unit],
    lexicon_uses: Sequence[TermUse],
    statements: Sequence[Statement],
    quotes: list[tuple[int, int]],
) -> list[TermUse]:
    """Uses of rival labels the article sets side by side, and their other uses in it."""
    text = doc_text(doc)
    out: list[TermUse] = []
    labels: dict[str, str] = {}  # label text (lowercase) -> group
    for a, b, verb in _rival_pairs(doc, quotes):
        ga, gb = _group_at(lexicon_uses, a.start, a.end), _group_at(lexicon_uses, b.start, b.end)
        if ga is not None and ga == gb:
            continue  # a rivalry the lexicon already knows
        group = f"discovered:{a.head}"
        for lab in (a, b):
            voice, idx = _voice(statements, quotes, lab.start, lab.end)
            if not lab.quoted and verb is not None and not _in_any(quotes, lab.start, lab.end):
                # the object of "Beijing describes X as …" is the outlet's own word, unless the
                # whole naming sentence is itself inside someone's statement
                subj_at = min((c.idx for c in verb.children if c.dep_ == "nsubj"), default=verb.idx)
                if idx is not None and not statements[idx].start <= subj_at:
                    voice, idx = "narrated", None
            term = " ".join(text[lab.start : lab.end].lower().split())
            labels.setdefault(term, group)
            out.append(
                TermUse(term, text[lab.start : lab.end], lab.start, lab.end, voice, group, idx)
            )
    if labels:
        taken = [(u.start, u.end) for u in (*lexicon_uses, *out)]
        index = PhraseIndex((term, (group, term)) for term, group in labels.items())
        for m in index.find(doc, us):
            start, end = us[m.start].start, us[m.end - 1].end
            if any(s < end and start < e for s, e in taken):
                continue
            group, term = m.payload
            voice, idx = _voice(statements, quotes, start, end)
            out.append(TermUse(term, text[start:end], start, end, voice, group, idx))
    return out
