"""Sides: the affiliation of each statement's voice, and that affiliation's country.

A statement's affiliation is its `speaker_affiliation`; where the same speaker name carries a
more specific affiliation elsewhere in the corpus ("Foreign Ministry" / "Chinese Foreign
Ministry") the more specific one. Where it has none: the organisation its own title names
("spokesperson of Information Office of ..." -> "Information Office of ..."), else the one the
same name carries elsewhere when that is unique, else the one of the unique full name that a
bare surname shortens ("said Anayat" -> Elijan Anayat's). Failing that, a country-like
speaker name (a country the extractor knows, a speaker typed as a country, an outlet's
country) is its own affiliation. Other statements are "(unknown)" (a named speaker) or
"(no speaker)"; by country, a body of many states that names no country (the U.N. and its
agencies, the E.U., NATO) is "(international body)".

Read by the claims step (each unit's side) and by the outlet profiles
(`claimgraph.analyze.profiles`).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from ..extract.roles import affiliation_of, international_body, is_bare_body, state_of_body
from ..extract.speakers import country_of

UNKNOWN = "(unknown)"
INTERNATIONAL = "(international body)"
NO_SPEAKER = "(no speaker)"
_TOKEN = re.compile(r"\w+(?:\.\w+)*\.?")
_MEMO = 1 << 16  # the most texts `Affiliations.country_in` remembers


def name_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


_INITIALS_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$")


def _clean_affiliation(aff: str) -> str:
    aff = " ".join(aff.split()).strip(" ,")
    if aff.endswith(".") and not _INITIALS_END.search(aff):
        aff = aff.rstrip(". ")  # a sentence's full stop, not the dot of "U.N."
    return aff[4:] if aff.lower().startswith("the ") else aff


_STATE_IN_PARENS = re.compile(r"(.+?) \(([^()]+)\)")


def _base_and_state(key: str) -> tuple[str, str | None]:
    """``"foreign ministry (china)"`` -> ``("foreign ministry", "china")``."""
    m = _STATE_IN_PARENS.fullmatch(key)
    return (m.group(1), m.group(2)) if m else (key, None)


class _Speakers:
    """Builds `Affiliations.in_article` from rows that come (mostly) article by article: the
    current article's names gathered in a set, then stored as a frozenset shared with every
    article that names the same speakers."""

    def __init__(self, into: dict[str, frozenset[str]]) -> None:
        self.into = into
        self.shared: dict[frozenset[str], frozenset[str]] = {}
        self.article: str | None = None
        self.names: set[str] = set()

    def add(self, article_id: str, name: str) -> None:
        if article_id != self.article:
            self.flush()
            self.article = article_id
        self.names.add(name)

    def flush(self) -> None:
        if self.article is not None and self.names:
            names = frozenset(self.names | self.into.get(self.article, frozenset()))
            self.into[self.article] = self.shared.setdefault(names, names)
        self.article, self.names = None, set()


class Affiliations:
    """Resolves a statement's affiliation with what the corpus says about the same speaker."""

    def __init__(self, statements: Iterable[Mapping[str, Any]], countries: Iterable[str]) -> None:
        rows = (
            (
                st.get("article_id"),
                st.get("speaker"),
                st.get("speaker_type"),
                st.get("speaker_affiliation"),
            )
            for st in statements
        )
        self._read(rows, countries)

    @classmethod
    def of_store(cls, store: Any, countries: Iterable[str]) -> Affiliations:
        """The corpus's affiliations, from the store's `Store.speaker_rows` (plain tuples of
        the statements that name a speaker with an affiliation or a country speaker only:
        what the constructor counts of its rows, in the same order)."""
        self = cls.__new__(cls)
        self._read(store.speaker_rows(), countries)
        return self

    def _read(self, rows: Iterable[tuple[Any, Any, Any, Any]], countries: Iterable[str]) -> None:
        """(article_id, speaker, speaker_type, speaker_affiliation) of each statement, in the
        store's order."""
        self.countries = {c.casefold(): c for c in countries if c}
        # `country_in` by text: a corpus names few bodies and speakers many times over
        self._country_in: dict[str, str | None] = {}
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        self.display: dict[str, str] = {}
        # each article's speakers with an affiliation: a body speaking under its bare name
        # ("Foreign ministry: …") is the one they belong to ("Chinese Foreign Ministry").
        # One entry per such article, so kept small: the names as the keys of `seen`, and
        # each set of them once (`_Speakers`), whatever the number of articles naming it
        self.in_article: dict[str, frozenset[str]] = {}
        speakers = _Speakers(self.in_article)
        keys: dict[str, str] = {}  # name -> its interned `name_key`
        cleaned: dict[str, str] = {}  # affiliation as stored -> `_clean_affiliation` of it
        for article_id, speaker, speaker_type, aff in rows:
            if not speaker:
                continue
            if speaker_type == "country":
                self.countries.setdefault(speaker.casefold(), speaker)
            if aff:
                aff = cleaned.get(aff) or cleaned.setdefault(aff, _clean_affiliation(aff))
                key = keys.get(speaker)
                if key is None:
                    if len(keys) >= _MEMO:
                        keys.clear()
                        cleaned.clear()
                    key = keys[speaker] = sys.intern(name_key(speaker))
                seen[key][aff.casefold()] += 1
                self.display.setdefault(aff.casefold(), aff)
                if article_id:
                    speakers.add(article_id, key)
        speakers.flush()
        self.seen = seen
        self._folded: dict[tuple[str, str], list[str]] = {}
        # full names by their last word, to expand a bare surname
        self.by_last: dict[str, set[str]] = defaultdict(set)
        for key in seen:
            words = key.split()
            if len(words) > 1:
                self.by_last[words[-1]].add(key)

    def _known(self, speaker: str | None) -> Counter[str]:
        """Affiliations the corpus gives this name, or the unique full name it shortens."""
        key = name_key(speaker)
        if key in self.seen:
            return self.seen[key]
        words = key.split()
        if not words:
            return Counter()
        fuller = {k for k in self.by_last.get(words[-1], ()) if k.split()[-len(words) :] == words}
        if len(fuller) == 1:
            return self.seen[next(iter(fuller))]
        return Counter()

    def _full_names(self, base: str, state: str) -> list[str]:
        """The corpus's names of body ``base`` of ``state`` ("Foreign Ministry (China)" ->
        "Chinese Foreign Ministry"), for a speaker the corpus gives no fuller name; once per
        body (a store holds many statements of few bodies)."""
        if (base, state) not in self._folded:
            self._folded[(base, state)] = [
                a
                for a in self.display
                if a.endswith(" " + base)
                and not _STATE_IN_PARENS.fullmatch(a)
                and (self.country_in(self.display[a]) or "").casefold() == state
            ]
        return self._folded[(base, state)]

    def country(self, name: str | None) -> str | None:
        if not name:
            return None
        return country_of(name) or self.countries.get(name.casefold().strip())

    def country_in(self, text: str | None) -> str | None:
        """The first country a name or affiliation names: "US State Department" -> "United
        States", "Communist Party of China" -> "China", "Valdorian Foreign Ministry" ->
        "Valdoria" (a corpus country, or its demonym: a word that starts with it)."""
        if not text:
            return None
        try:
            return self._country_in[text]
        except KeyError:
            pass
        if len(self._country_in) >= _MEMO:
            self._country_in.clear()  # bounded, whatever the corpus
        found = self._country_in[text] = self._first_country(text)
        return found

    def _first_country(self, text: str) -> str | None:
        words = _TOKEN.findall(text)
        for i, w in enumerate(words):
            if w.lower() == "us" and w != "US":
                continue  # the pronoun, not the country
            for cand in (" ".join(words[i : i + 3]), " ".join(words[i : i + 2]), w):
                found = country_of(cand) or self.countries.get(cand.casefold())
                if found:
                    return found
            low = w.casefold()
            for key, name in self.countries.items():
                if (
                    len(key) >= 4
                    and " " not in key
                    and low.startswith(key)
                    and len(low) - len(key) <= 4
                ):
                    return name
        return state_of_body(text)

    def country_of_statement(self, st: Mapping[str, Any], aff: str | None = None) -> str:
        """The country of a statement's voice: its affiliation's (``aff``, `of` of it when
        not given), else its speaker name's; `INTERNATIONAL` for a body of many states that
        names none (the U.N., the E.U.)."""
        if aff is None:
            aff = self.of(st)
        speaker = st.get("speaker")
        if aff in (UNKNOWN, NO_SPEAKER):
            return self.country_in(speaker) or self._international(speaker) or aff
        return (
            self.country_in(aff)
            or self._international(aff)
            or self.country_in(speaker)
            or self._international(speaker)
            or UNKNOWN
        )

    @staticmethod
    def _international(name: str | None) -> str | None:
        return INTERNATIONAL if name and international_body(name) else None

    def of(self, st: Mapping[str, Any]) -> str:
        speaker = st.get("speaker")
        known = self._known(speaker)
        aff = st.get("speaker_affiliation")
        if not aff and speaker and st.get("speaker_title"):
            aff = affiliation_of(st["speaker_title"])
        if aff:
            key = self._fold(_clean_affiliation(aff).casefold(), known, st.get("article_id"))
            return self.display.get(key, _clean_affiliation(aff))
        if len(known) == 1:
            return self.display[next(iter(known))]
        if not speaker:
            return NO_SPEAKER
        body = self._body_named_in_full(st)
        if body is not None:
            return body
        if st.get("speaker_type") == "organisation" and not is_bare_body(speaker):
            return self._organisation(speaker)
        return self.country(speaker) or UNKNOWN

    def _fold(self, key: str, known: Counter[str], article_id: str | None) -> str:
        """The fullest name of the body ``key`` names. "foreign ministry (china)" is the
        extractor's bare body with the state its context named: "chinese foreign ministry"
        given to the same speaker, or (failing that) the corpus's one name of that body, is
        the same body; a bare "ministry (china)" ("Another ministry spokesperson, Hua
        Chunying") is the one Chinese ministry its article's other speakers belong to."""
        base, state = _base_and_state(key)
        longer = [
            a
            for a in known
            if a != key
            and a.endswith(" " + base)
            and (state is None or (self.country_in(a) or "").casefold() == state)
        ]
        if not longer and state is not None and " " in base:
            longer = self._full_names(base, state)
        if not longer and state is not None and article_id:
            longer = sorted(
                {
                    self._fold(a, Counter(), None)
                    for person in self.in_article.get(article_id, ())
                    for a in self.seen[person]
                    if a != key and self._same_state_body(a, base, state)
                }
            )
        return longer[0] if len(longer) == 1 else key

    def _same_state_body(self, aff: str, base: str, state: str) -> bool:
        """Is ``aff`` a fuller name of bare body ``base`` of ``state``?"""
        b, s = _base_and_state(aff)
        return b.endswith(" " + base) and (s or (self.country_in(aff) or "").casefold()) == state

    def _organisation(self, name: str) -> str:
        """An organisation speaking for itself ("the State Department said …") is its own
        affiliation, under the corpus's one fuller name of it ("US State Department")."""
        name = _clean_affiliation(name)
        state = state_of_body(name) or self.country_in(name)
        if state is not None:
            fuller = [
                a
                for a in self._full_names(name.casefold(), state.casefold())
                if a != name.casefold()
            ]
            if len(fuller) == 1:
                return self.display[fuller[0]]
        return name

    def _body_named_in_full(self, st: Mapping[str, Any]) -> str | None:
        """The article's one full name of a body that speaks under its bare name: "Foreign
        ministry: US uses human rights …" where the article quotes "Chinese Foreign Ministry
        spokesman Wang Wenbin"."""
        name = (st.get("speaker") or "").casefold().strip()
        if not is_bare_body(name) or not st.get("article_id"):
            return None
        full = {
            a
            for person in self.in_article.get(st["article_id"], ())
            for a in self.seen[person]
            if a.endswith(" " + name) and self.country_in(a)
        }
        return self.display[next(iter(full))] if len(full) == 1 else None


# -- profiles -------------------------------------------------------------------------
