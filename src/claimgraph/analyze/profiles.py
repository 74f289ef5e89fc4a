"""Outlet profiles: whose voices an outlet carries, how it introduces them, how it frames.

Counts: ``n_articles`` the articles profiled (wire copies left out, ``n_wire_copies`` of
them), ``n_statements`` every statement they hold (what the store, the API and the report
count), ``n_voices`` the statements counted as voices (`carried_voices`: the outermost, less
questions put to a speaker and negated reports), the denominator of the voice shares.

Per outlet (an article no input names the outlet of is profiled under its own label,
"unnamed source: SITE-OR-FILE", `claimgraph.ingest.outlets.outlet_of`: different unknown
outlets are never pooled):

- articles and words;
- **voices**: the share of its statements, and of its quoted words (words inside quotation
  marks), by speaker affiliation, by the country of that affiliation, and by speaker role;
- **speakers**: the share of its distinct voices (each speaker once per article) by country,
  of all voices and of official ones (states, their bodies, officials, spokespersons,
  politicians): how many sources of each side it carries, however often each is quoted;
- **verb-class mix**: the share of its statements by the class of the reporting verb;
- **framing cues** per 1,000 words, by cue type, in the outlet's own voice (narration and
  headline) apart from those inside the statements it carries (the speakers' voice), and the
  speakers' cues by the speaker's affiliation: whose framing the outlet carries;
- **contested terms**: uses of each term in the outlet's own narration and inside quotes, with
  the narrated share.

A statement's affiliation, and that affiliation's country, are read as `claimgraph.link.sides`
reads them (the same speaker's more specific affiliation elsewhere in the corpus, the body its
title names, a country-like name); others go under "(unknown)" or "(no speaker)", and a body of
many states that names no country under "(international body)".

Every share and rate is a ratio of sums over the outlet's articles and carries a 95%
percentile bootstrap interval: articles are resampled with replacement `n_boot` times and the
ratio recomputed (resamples whose denominator is 0 are left out). An outlet with one article
gets no interval (lo = hi = None): resampling one article says nothing about uncertainty. The resampling is seeded per
outlet from `seed` and the outlet's name, so an outlet's figures do not depend on which other
outlets are profiled. Wire copies (see `claimgraph.analyze.wire`) are left out unless
`count_wire_copies`: the outlet did not write them. Reads the store only, one article's
statements, cues and term uses at a time, keeping each profiled article's counts by key: what
a bootstrap over articles needs (`outlet_profiles`).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ..extract.records import OUTLET_VOICE, SPEAKER_VOICE
from ..extract.verbs import is_put_question, negated_cue
from ..ingest.base import UNNAMED_PREFIX
from ..ingest.outlets import outlet_of
from ..link.sides import NO_SPEAKER, UNKNOWN, Affiliations, name_key
from ..store import Store, negated
from .bootstrap import Resampler, Share, Sums, shares
from .corpus import ArticleIndex
from .variants import quoted_words
from .wire import store_wire_groups

NO_CUE = "(no cue)"
BY = ("outlet", "article")
# What a profile reads of each article: its row without the text (`Store.article_rows`).
PROFILED_COLUMNS = ("outlet", "url", "sources", "n_words", "outlet_country")


@dataclass
class Profile:
    outlet: str | None
    n_articles: int = 0
    n_words: int = 0
    n_statements: int = 0  # every statement of its profiled articles
    n_voices: int = 0  # those counted as voices (`carried_voices`): the shares' denominator
    n_wire_copies: int = 0  # its articles left out as wire copies
    n_quoted_words: int = 0
    articles: list[str] = field(default_factory=list)
    voices_by_affiliation: dict[str, Share] = field(default_factory=dict)
    quoted_words_by_affiliation: dict[str, Share] = field(default_factory=dict)
    voices_by_country: dict[str, Share] = field(default_factory=dict)
    quoted_words_by_country: dict[str, Share] = field(default_factory=dict)
    voices_by_role: dict[str, Share] = field(default_factory=dict)
    quoted_words_by_role: dict[str, Share] = field(default_factory=dict)
    speakers_by_country: dict[str, Share] = field(default_factory=dict)
    official_speakers_by_country: dict[str, Share] = field(default_factory=dict)
    verb_classes: dict[str, Share] = field(default_factory=dict)
    cues_per_1k_words: dict[str, Share] = field(default_factory=dict)  # the outlet's voice
    speaker_cues_per_1k_words: dict[str, Share] = field(default_factory=dict)
    speaker_cues_by_affiliation: dict[str, Share] = field(default_factory=dict)
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.outlet or "?"

    @property
    def unnamed(self) -> bool:
        """Is this a stand-in row for an article whose outlet no input names?"""
        return is_unnamed_label(self.label)

    def to_dict(self) -> dict[str, Any]:
        def shares(d: dict[str, Share]) -> dict[str, Any]:
            return {k: v.to_dict() for k, v in d.items()}

        return {
            "outlet": self.outlet,
            "label": self.label,
            "unnamed": self.unnamed,
            "n_articles": self.n_articles,
            "n_words": self.n_words,
            "n_statements": self.n_statements,
            "n_voices": self.n_voices,
            "n_wire_copies": self.n_wire_copies,
            "n_quoted_words": self.n_quoted_words,
            "articles": self.articles,
            "voices_by_affiliation": shares(self.voices_by_affiliation),
            "quoted_words_by_affiliation": shares(self.quoted_words_by_affiliation),
            "voices_by_country": shares(self.voices_by_country),
            "quoted_words_by_country": shares(self.quoted_words_by_country),
            "voices_by_role": shares(self.voices_by_role),
            "quoted_words_by_role": shares(self.quoted_words_by_role),
            "speakers_by_country": shares(self.speakers_by_country),
            "official_speakers_by_country": shares(self.official_speakers_by_country),
            "verb_classes": shares(self.verb_classes),
            "cues_per_1k_words": shares(self.cues_per_1k_words),
            "speaker_cues_per_1k_words": shares(self.speaker_cues_per_1k_words),
            "speaker_cues_by_affiliation": shares(self.speaker_cues_by_affiliation),
            "terms": {
                t: {**v, "narrated_share": v["narrated_share"].to_dict()}
                for t, v in self.terms.items()
            },
        }


def is_unnamed_label(name: str | None) -> bool:
    """Is an outlet name the stand-in label of an unnamed source (`outlet_of`)?"""
    return bool(name) and str(name).startswith(UNNAMED_PREFIX)


def outlet_order(name: str | None, n_articles: int) -> tuple[bool, int, str]:
    """How views order outlets: named ones first, most articles first, then by name."""
    return (is_unnamed_label(name), -n_articles, name or "")


def outlet_seed(seed: int, outlet: str | None) -> int:
    return (seed * 1_000_003 + zlib.crc32((outlet or "").encode("utf-8"))) % 2**32


def _key_of(a: Mapping[str, Any], by: str) -> str | None:
    if by == "article":
        return (a.get("sources") or a["id"]).split("; ")[0]
    return outlet_of(a)


def outlet_profiles(
    store: Store,
    *,
    outlets: Sequence[str | None] | None = None,
    count_wire_copies: bool = False,
    n_boot: int = 1000,
    seed: int = 0,
    by: str = "outlet",
    wire_copies: set[str] | None = None,
    all_articles: list[dict[str, Any]] | None = None,
    affiliations: Affiliations | None = None,
    index: ArticleIndex | None = None,
    list_limit: int | None = None,
    copy_mask: np.ndarray | None = None,
) -> dict[str | None, Profile]:
    """Profiles keyed by outlet name (an unnamed source's label, `outlet_of`, for an article
    without one), named outlets first, in order of size.

    `outlets` limits the profiles to those names; `by="article"` profiles each article on its own, keyed by its first source.
    `wire_copies`: the ids of the wire copies, if already found (else they are looked for),
    or `copy_mask`: their mask over `index`;
    `all_articles`: the store's articles, if already read (rows without their texts will do,
    `PROFILED_COLUMNS`), or `index`: their `ArticleIndex` (`compare` reads it once);
    `affiliations`: the corpus's `Affiliations`, if already built (else read from the
    store's statement speakers, `Store.statement_speakers`); `list_limit`: the most article
    ids a profile lists (``articles``; ``n_articles`` counts them all), every one when None.

    The statements, cues and term uses are read one article at a time
    (`Store.article_records`); what is kept of each profiled article is its counts by key
    (`_Tally`), all a bootstrap over articles needs, and of each article of the store its
    place in an `ArticleIndex`: memory grows with the keys, and by a few bytes an article."""
    if by not in BY:
        raise UsageError(f"unknown grouping {by!r}; choose one of: {', '.join(BY)}")
    key_of: Callable[[Mapping[str, Any]], str | None] = lambda a: _key_of(a, by)  # noqa: E731
    if index is None or by != "outlet":
        rows: Iterable[Mapping[str, Any]] = (
            all_articles if all_articles is not None else store.article_rows(PROFILED_COLUMNS)
        )
        index = ArticleIndex(rows, key_of)
        if not index.distinct:
            index.keep_ids(r["id"] for r in store.article_rows(()))
    profiled = index.select(outlets)
    left_out: Counter[str] = Counter()
    if not count_wire_copies:
        if copy_mask is None:
            copies = wire_copies
            if copies is None:
                copies = {cid for g in store_wire_groups(store) for cid in g.copies}
            copy_mask = index.mask_of(copies)
        copy = copy_mask & profiled
        left_out.update({k or "": n for k, n in index.label_counts(copy).items()})
        profiled &= ~copy
    if affiliations is None:
        affiliations = Affiliations.of_store(store, index.countries)
    sizes = index.label_counts(profiled)
    first = {index.labels[k]: None for k in index.key[profiled].tolist()}  # in stored order
    tallies = {
        key: _Tally(sizes[key], affiliations, n_boot, outlet_seed(seed, key), list_limit)
        for key in first
    }
    by_ix = [tallies.get(label) for label in index.labels]
    # no rows built for the others; of the cues and term uses only what `_Tally` reads
    columns = dict(_RECORD_COLUMNS)
    if 8 not in store.schema_versions():  # cues without their voice (read-only, older store)
        columns["cues"] = ("type", "statement_id")
    records = store.article_records(skip=~profiled, columns=columns)
    for pos, (aid, sts, cues, terms) in enumerate(records):
        index.check(pos, aid)
        if profiled[pos]:
            tally = by_ix[index.key[pos]]
            assert tally is not None
            tally.add(aid, int(index.n_words[pos]), sts, cues, terms)
    profiles = {key: t.profile(key) for key, t in tallies.items()}
    for key, p in profiles.items():
        p.n_wire_copies = left_out.get(key or "", 0)
    order = sorted(profiles, key=lambda k: outlet_order(k, profiles[k].n_articles))
    return {k: profiles[k] for k in order}


# What a profile reads of an article's cues and term uses (`_Tally.add`, `cue_voice`); its
# statements whole.
_RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "cues": ("type", "statement_id", "voice"),
    "term_uses": ("term", "grp", "voice"),
}


def outermost(statements: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One article's statements without those nested inside another statement's content:
    'Wang said more than 60 countries had voiced support' holds a statement of the 60
    countries, but the voice the outlet carries is Wang's. The nested one is his account of
    others, so it is not counted as a voice of the outlet."""
    spans = sorted((st["start_char"], st["end_char"], st["id"]) for st in statements)
    nested = {
        sid
        for s, e, sid in spans
        if any(s2 <= s and e <= e2 and sid2 != sid and (s2, e2) != (s, e) for s2, e2, sid2 in spans)
    }
    return [st for st in statements if st["id"] not in nested]


def carried_voices(
    statements: Sequence[Mapping[str, Any]], text: str | None = None
) -> list[Mapping[str, Any]]:
    """The statements a profile counts as the voices an article carries: the `outermost`,
    less the questions unnamed journalists put to a speaker (`is_put_question`). A statement
    whose cue is negated ("Her statement did not call out the abuses which two U.S.
    administrations have said amount to genocide") is no voice, and what sits inside it is
    not its account: read from the article's ``text`` when given (`negated_cue`), else from
    the stored row (`claimgraph.store.negated`: its flag, written by the same rule)."""
    if text is not None:
        statements = [st for st in statements if not negated_cue(text, st)]
    else:
        statements = [st for st in statements if not negated(st)]
    return [
        st for st in outermost(statements) if not is_put_question(st.get("cue"), st.get("speaker"))
    ]


# Roles of a state's (or a body of states') own voice; an organisation, a document or a group
# speaks for a state when its country is one ("the State Department", "the report" of the
# ministry, "the U.S. and British governments"), not when it is a movement ("critics").
_OFFICIAL_ROLES = frozenset(["official", "spokesperson", "politician", "country"])
_BODY_ROLES = frozenset(["organisation", "document"])
_GOVERNMENTS = re.compile(r"\b(?:governments?|authorities|officials|administrations?)\b", re.I)


def cue_voice(cue: Mapping[str, Any]) -> str:
    """A cue row's voice: as stored, else (rows written before voices were stored) from
    whether it sits inside a statement."""
    voice = cue.get("voice")
    if voice:
        return str(voice)
    return OUTLET_VOICE if cue.get("statement_id") is None else SPEAKER_VOICE


def is_official_voice(st: Mapping[str, Any], country: str) -> bool:
    """Does a statement give voice to a state or a body of states: an official, a
    spokesperson, a politician, a state, or a body, document or group of a state?"""
    role = st.get("speaker_role")
    if role in _OFFICIAL_ROLES:
        return True
    if country in (UNKNOWN, NO_SPEAKER):
        return False
    if role in _BODY_ROLES:
        return True
    return role == "collective" and bool(_GOVERNMENTS.search(st.get("speaker") or ""))


# -- per-article counts -----------------------------------------------------------------


# The measures a profile counts by key, per article (`_Tally`), in the order the profile
# exports list them (`claimgraph.analyze.tables`).
_VOICES = ("affiliation", "country", "role")
MEASURES = (
    *(f"{what}_by_{k}" for k in _VOICES for what in ("voices", "quoted_words")),
    "speakers_by_country",
    "official_speakers_by_country",
    "verb_classes",
    "cues_per_1k_words",
    "speaker_cues_per_1k_words",
    "speaker_cues_by_affiliation",
)


class _Tally:
    """What a profile needs of its `n` articles (in the order they are profiled, the order
    the bootstrap resamples them in), summed as each article streams by, plainly and in each
    bootstrap resample (`Resampler`, `Sums`): its words, statements, voices and quoted
    words, its counts by key of each measure and of each term's voices, and its first
    `list_limit` article ids (all when None). Memory: n_boot numbers per key, whatever the
    number of articles."""

    def __init__(
        self,
        n: int,
        affiliations: Affiliations,
        n_boot: int,
        seed: int,
        list_limit: int | None = None,
    ) -> None:
        self.n = n
        self.ids: list[str] = []
        self.list_limit = list_limit
        self.aff = affiliations
        self.resampler = Resampler(n, n_boot, seed)
        self.n_statements = 0
        self.dens = {d: Sums(n_boot) for d in ("words", "voices", "quoted")}
        self.cells = {m: Sums(n_boot) for m in MEASURES}
        self.terms: dict[str, Sums] = {}
        self.term_group: dict[str, Any] = {}  # each term's group, as its first use gives it
        self.n_boot = n_boot

    def add(
        self,
        article_id: str,
        n_words: int,
        statements: Sequence[Mapping[str, Any]],
        cues: Sequence[Mapping[str, Any]],
        terms: Sequence[Mapping[str, Any]],
    ) -> None:
        """The next article's words and rows, as the store gives them
        (`Store.article_records`)."""
        w = self.resampler.next()
        if self.list_limit is None or len(self.ids) < self.list_limit:
            self.ids.append(article_id)
        counts: dict[str, dict[str, float]] = {m: {} for m in MEASURES}

        def bump(measure: str, key: str, amount: float = 1.0) -> None:
            d = counts[measure]
            d[key] = d.get(key, 0.0) + amount

        self.n_statements += len(statements)
        voices = carried_voices(statements)
        n_voices = quoted = 0.0
        countries = []
        for s in voices:
            words = float(quoted_words(s["text"], s["kind"]))
            n_voices += 1.0
            quoted += words
            aff = self.aff.of(s)
            countries.append(self.aff.country_of_statement(s, aff))
            for what, key in zip(_VOICES, (aff, countries[-1], _role(s)), strict=True):
                bump(f"voices_by_{what}", key)
                bump(f"quoted_words_by_{what}", key, words)
            bump("verb_classes", s.get("cue_class") or NO_CUE)
        for official in (False, True):
            measure = "official_speakers_by_country" if official else "speakers_by_country"
            for country in _speaker_countries(voices, countries, official=official):
                bump(measure, country)
        by_id = {s["id"]: s for s in statements}
        for c in cues:
            if cue_voice(c) == OUTLET_VOICE:
                bump("cues_per_1k_words", c["type"])
            elif cue_voice(c) == SPEAKER_VOICE:
                bump("speaker_cues_per_1k_words", c["type"])
                st = by_id.get(c["statement_id"])
                bump("speaker_cues_by_affiliation", self.aff.of(st) if st is not None else UNKNOWN)
        amounts = (float(n_words), n_voices, quoted)
        for (name, sums), amount in zip(self.dens.items(), amounts, strict=True):
            sums.add(w, {name: amount})
        for m, d in counts.items():
            self.cells[m].add(w, d)
        by_term: dict[str, dict[str, float]] = {}
        for t in terms:
            self.term_group.setdefault(t["term"], t.get("grp"))
            d = by_term.setdefault(t["term"], {})
            d[t["voice"]] = d.get(t["voice"], 0.0) + 1.0
        for term, d in by_term.items():
            self.terms.setdefault(term, Sums(self.n_boot)).add(w, d)

    def profile(self, outlet: str | None) -> Profile:
        """The outlet's profile: every share a ratio of sums over its articles, with its
        bootstrap interval."""
        n = self.n

        def den(name: str) -> tuple[float, np.ndarray]:
            return self.dens[name].row_sums()

        def ratios(measure: str, by: str | None = None, scale: float = 1.0) -> Any:
            sums = self.cells[measure]
            keys, num, boot_num = sums.ordered()
            total, boot_den = sums.row_sums() if by is None else den(by)
            return shares(n, keys, num, total, boot_num, boot_den, scale)

        by_voice = {f"voices_by_{k}": ratios(f"voices_by_{k}", "voices") for k in _VOICES}
        by_voice.update(
            {f"quoted_words_by_{k}": ratios(f"quoted_words_by_{k}", "quoted") for k in _VOICES}
        )
        return Profile(
            outlet=outlet,
            n_articles=n,
            n_words=int(den("words")[0]),
            n_statements=self.n_statements,
            n_voices=int(den("voices")[0]),
            n_quoted_words=int(den("quoted")[0]),
            articles=self.ids,
            **by_voice,
            speakers_by_country=ratios("speakers_by_country"),
            official_speakers_by_country=ratios("official_speakers_by_country"),
            verb_classes=ratios("verb_classes", "voices"),
            cues_per_1k_words=ratios("cues_per_1k_words", "words", 1000.0),
            speaker_cues_per_1k_words=ratios("speaker_cues_per_1k_words", "words", 1000.0),
            speaker_cues_by_affiliation=ratios("speaker_cues_by_affiliation", "words", 1000.0),
            terms=self._terms(),
        )

    def _terms(self) -> dict[str, dict[str, Any]]:
        """Each term's uses in the outlet's narration and inside quotes, with the narrated
        share; most used first."""
        n = self.n
        out: dict[str, dict[str, Any]] = {}
        totals = {term: sum(s.total) for term, s in self.terms.items()}
        for term in sorted(totals, key=lambda k: (-totals[k], k)):
            sums = self.terms[term]
            den, boot_den = sums.row_sums()
            j = sums.keys.get("narrated")
            narrated = sums.total[j] if j is not None else 0.0
            boot_num = sums.boot[j] if j is not None else np.zeros(self.n_boot)
            share = shares(n, ["narrated"], np.array([narrated]), den, boot_num[:, None], boot_den)[
                "narrated"
            ]
            out[term] = {
                "group": self.term_group[term],
                "narrated": int(narrated),
                "quoted": int(den - narrated),
                "narrated_share": share,
            }
        return out


def _role(s: Mapping[str, Any]) -> str:
    return str(s.get("speaker_role") or (UNKNOWN if s.get("speaker") else NO_SPEAKER))


def _speaker_countries(
    voices: Sequence[Mapping[str, Any]], countries: Sequence[str], *, official: bool
) -> list[str]:
    """One article's distinct voices by country: each speaker counts once in the article
    (its country the one most of its statements there have), so a spokesperson quoted five
    times weighs what a minister quoted once does. Statements with no speaker are no one's
    voice here. `countries`: each voice's country (`Affiliations.country_of_statement`).
    `official`: only the voices of states and of bodies of states (`is_official_voice`)."""
    per_voice: dict[str, Counter[str]] = defaultdict(Counter)
    for s, country in zip(voices, countries, strict=True):
        key = name_key(s.get("speaker"))
        if not key:
            continue
        if official and not is_official_voice(s, country):
            continue
        per_voice[key][country] += 1
    return [c.most_common(1)[0][0] for c in per_voice.values()]
