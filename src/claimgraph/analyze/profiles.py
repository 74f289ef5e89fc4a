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
`count_wire_copies`: the outlet did not write them. Reads the store only.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ..extract.records import OUTLET_VOICE, SPEAKER_VOICE
from ..extract.verbs import is_put_question, negated_cue
from ..ingest.base import UNNAMED_PREFIX
from ..ingest.outlets import outlet_of
from ..link.sides import NO_SPEAKER, UNKNOWN, Affiliations, name_key
from ..store import Store
from .variants import quoted_words
from .wire import find_wire_groups

NO_CUE = "(no cue)"
BY = ("outlet", "article")


@dataclass(frozen=True)
class Share:
    """A ratio of sums (num / den, times `scale`) with its 95% bootstrap interval."""

    value: float | None
    lo: float | None
    hi: float | None
    num: float
    den: float

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "lo": self.lo, "hi": self.hi, "num": self.num, "den": self.den}


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


# -- bootstrap ------------------------------------------------------------------------


class Bootstrap:
    """Resampling weights for n articles: in resample b, article i is drawn `w[b, i]` times.

    Weights are drawn in chunks of `CHUNK` resamples, each from its own generator seeded with
    (seed, chunk number); they are kept when small, else drawn again for each ratio, so the
    memory stays at one chunk (CHUNK x n) however many articles an outlet has."""

    CHUNK = 100
    KEEP_CELLS = 5_000_000

    def __init__(self, n: int, n_boot: int, seed: int) -> None:
        self.n, self.n_boot, self.seed = n, n_boot, seed
        self._kept: list[np.ndarray] | None = None
        if n * n_boot <= self.KEEP_CELLS:
            self._kept = list(self._draw())

    def _draw(self) -> Iterable[np.ndarray]:
        if self._kept is not None:
            yield from self._kept
            return
        for c, start in enumerate(range(0, self.n_boot, self.CHUNK)):
            size = min(self.CHUNK, self.n_boot - start)
            rng = np.random.default_rng([self.seed, c])
            if not self.n:
                yield np.zeros((size, 0))
                continue
            draws = rng.integers(0, self.n, size=(size, self.n))
            cells = (draws + (np.arange(size) * self.n)[:, None]).ravel()
            yield np.bincount(cells, minlength=size * self.n).reshape(size, self.n).astype(float)

    def ratios(
        self, num: np.ndarray, den: np.ndarray, keys: Sequence[str], scale: float = 1.0
    ) -> dict[str, Share]:
        """Shares num[:, k].sum() / den.sum() for each key k (num: articles x keys)."""
        total_den = float(den.sum())
        out: dict[str, Share] = {}
        if not keys:
            return out
        chunks = [(w @ num, w @ den) for w in self._draw()]
        if chunks:
            boot_num = np.vstack([c[0] for c in chunks])
            boot_den = np.concatenate([c[1] for c in chunks])
        else:
            boot_num, boot_den = np.zeros((0, len(keys))), np.zeros(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            boot = boot_num / boot_den[:, None] * scale
        boot = boot[boot_den > 0]
        for k, key in enumerate(keys):
            total_num = float(num[:, k].sum())
            value = total_num / total_den * scale if total_den else None
            lo = hi = None
            # One article resampled is itself every time: a (33–33) interval would look certain.
            # An interval needs at least two articles to vary over.
            if value is not None and len(boot) and self.n >= 2:
                lo = float(np.percentile(boot[:, k], 2.5))
                hi = float(np.percentile(boot[:, k], 97.5))
                # a constant resample gives back the point itself, not a rounding neighbour
                if np.all(boot[:, k] == boot[0, k]):
                    lo = hi = float(boot[0, k])
            out[key] = Share(value, lo, hi, total_num, total_den)
        return out


def is_unnamed_label(name: str | None) -> bool:
    """Is an outlet name the stand-in label of an unnamed source (`outlet_of`)?"""
    return bool(name) and str(name).startswith(UNNAMED_PREFIX)


def outlet_order(name: str | None, n_articles: int) -> tuple[bool, int, str]:
    """How views order outlets: named ones first, most articles first, then by name."""
    return (is_unnamed_label(name), -n_articles, name or "")


def outlet_seed(seed: int, outlet: str | None) -> int:
    return (seed * 1_000_003 + zlib.crc32((outlet or "").encode("utf-8"))) % 2**32


def select_articles(
    articles: list[dict[str, Any]], outlets: Sequence[str | None] | None
) -> list[dict[str, Any]]:
    """The articles of the named outlets (all when None); an unknown name is a UsageError."""
    if outlets is None:
        return articles
    wanted = {o for o in outlets if o}
    known = {outlet_of(a) for a in articles}
    missing = wanted - known
    if missing:
        raise UsageError(
            f"unknown outlet(s): {', '.join(sorted(missing))};"
            f" the store has: {', '.join(sorted(known))}"
        )
    return [a for a in articles if outlet_of(a) in wanted]


def _key_of(a: dict[str, Any], by: str) -> str | None:
    if by == "article":
        return (a.get("sources") or a["id"]).split("; ")[0]
    return outlet_of(a)


def _matrix(
    article_ids: list[str], rows: Iterable[tuple[str, str, float]]
) -> tuple[np.ndarray, list[str]]:
    """(article, key, amount) rows -> articles x keys matrix, keys by total then name."""
    pos = {aid: i for i, aid in enumerate(article_ids)}
    cells: dict[str, np.ndarray] = {}
    for aid, key, amount in rows:
        if aid in pos:
            cells.setdefault(key, np.zeros(len(article_ids)))[pos[aid]] += amount
    keys = sorted(cells, key=lambda k: (-cells[k].sum(), k))
    if not keys:
        return np.zeros((len(article_ids), 0)), []
    return np.column_stack([cells[k] for k in keys]), keys


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
    statements: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str | None, Profile]:
    """Profiles keyed by outlet name (an unnamed source's label, `outlet_of`, for an article
    without one), named outlets first, in order of size.

    `outlets` limits the profiles to those names; `by="article"` profiles each article on its own, keyed by its first source.
    `wire_copies`: the ids of the wire copies, if already found (else they are looked for);
    `all_articles`: the store's articles, if already read (`compare` reads them once);
    `statements`: the store's statements as `SlimStatement` rows, if already read."""
    if by not in BY:
        raise UsageError(f"unknown grouping {by!r}; choose one of: {', '.join(BY)}")
    if all_articles is None:
        all_articles = list(store.articles())
    articles = select_articles(all_articles, outlets)
    left_out: Counter[str] = Counter()
    if not count_wire_copies:
        copies = wire_copies
        if copies is None:
            copies = {cid for g in find_wire_groups(all_articles) for cid in g.copies}
        left_out.update(_key_of(a, by) or "" for a in articles if a["id"] in copies)
        articles = [a for a in articles if a["id"] not in copies]
    if statements is None:
        statements = [SlimStatement(st) for st in store.statements()]
    countries = [a.get("outlet_country") for a in all_articles]
    affiliations = Affiliations(statements, [c for c in countries if c])
    ids = {a["id"] for a in articles}
    texts = {a["id"]: a["text"] for a in articles if a.get("text") is not None}
    by_id = {st["id"]: st for st in statements if st["article_id"] in ids}
    data = _ArticleData(
        n_statements=Counter(st["article_id"] for st in statements if st["article_id"] in ids),
        statements={
            k: carried_voices(v, texts.get(k)) for k, v in _by_article(statements, ids).items()
        },
        cues=_by_article((_slim(c, _CUE_FIELDS) for c in store.cues()), ids),
        terms=_by_article((_slim(t, _TERM_FIELDS) for t in store.term_uses()), ids),
        affiliations=affiliations,
        statement_by_id=by_id,
    )
    grouped: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for a in articles:
        grouped[_key_of(a, by)].append(a)
    profiles = {
        key: _profile(key, group, data, n_boot=n_boot, seed=outlet_seed(seed, key))
        for key, group in grouped.items()
    }
    for key, p in profiles.items():
        p.n_wire_copies = left_out.get(key or "", 0)
    order = sorted(profiles, key=lambda k: outlet_order(k, profiles[k].n_articles))
    return {k: profiles[k] for k in order}


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
    less the questions unnamed journalists put to a speaker (`is_put_question`). Given the
    article's ``text``, a statement whose cue is negated ("Her statement did not call out the
    abuses which two U.S. administrations have said amount to genocide") is no voice, and
    what sits inside it is not its account (`negated_cue`)."""
    if text is not None:
        statements = [st for st in statements if not negated_cue(text, st)]
    return [
        st for st in outermost(statements) if not is_put_question(st.get("cue"), st.get("speaker"))
    ]


# What profiles read of each record: a corpus's statements, cues and term uses are held in
# memory at once, so not their texts (a statement's quoted words are counted as it is read;
# where its cue is tells whether it is negated, `carried_voices`).
_STATEMENT_FIELDS = (
    "id article_id start_char end_char kind speaker speaker_type speaker_role speaker_title "
    "speaker_affiliation cue cue_class cue_start cue_end".split()
)
_CUE_FIELDS = ("article_id", "type", "voice", "statement_id")
_TERM_FIELDS = ("article_id", "term", "voice", "grp")


def _slim(row: Mapping[str, Any], fields: Sequence[str]) -> Mapping[str, Any]:
    return {k: row.get(k) for k in fields}


_SHARED_FIELDS = frozenset(_STATEMENT_FIELDS) - {"id", "start_char", "end_char"}


class SlimStatement(Mapping[str, Any]):
    """A statement row without its text (its quoted words counted), read like the row's dict:
    what profiles keep of each statement of a corpus, ~300 bytes where the dict takes
    ~1,100 (one slot per field; the repeated strings, speakers, article ids and cues,
    shared)."""

    __slots__ = (*_STATEMENT_FIELDS, "quoted_words")

    def __init__(self, st: Mapping[str, Any]) -> None:
        for k in _STATEMENT_FIELDS:
            v = st.get(k)
            setattr(self, k, sys.intern(v) if k in _SHARED_FIELDS and isinstance(v, str) else v)
        self.quoted_words = quoted_words(st["text"], st["kind"])

    def __getitem__(self, key: str) -> Any:
        if key not in self.__slots__:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default) if key in self.__slots__ else default

    def __iter__(self) -> Iterator[str]:
        return iter(self.__slots__)

    def __len__(self) -> int:
        return len(self.__slots__)


def _by_article(
    rows: Iterable[Mapping[str, Any]], ids: set[str]
) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["article_id"] in ids:
            out[r["article_id"]].append(r)
    return out


@dataclass
class _ArticleData:
    """Records of the profiled articles, by article id (`statements`: the voices each
    carries; `n_statements`: how many statements each holds in all)."""

    n_statements: Counter[str]
    statements: dict[str, list[Mapping[str, Any]]]
    cues: dict[str, list[Mapping[str, Any]]]
    terms: dict[str, list[Mapping[str, Any]]]
    affiliations: Affiliations
    statement_by_id: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def of(self, table: str, ids: list[str]) -> list[Mapping[str, Any]]:
        rows: dict[str, list[Mapping[str, Any]]] = getattr(self, table)
        return [r for aid in ids for r in rows.get(aid, [])]


def _profile(
    outlet: str | None,
    articles: list[dict[str, Any]],
    data: _ArticleData,
    *,
    n_boot: int,
    seed: int,
) -> Profile:
    ids = [a["id"] for a in articles]
    sts = data.of("statements", ids)
    boot = Bootstrap(len(ids), n_boot, seed)
    words = np.array([float(a["n_words"]) for a in articles])
    n_st, _ = _matrix(ids, ((s["article_id"], "n", 1.0) for s in sts))
    st_den = n_st[:, 0] if n_st.shape[1] else np.zeros(len(ids))
    qw = [(s, float(s["quoted_words"])) for s in sts]
    q_den_m, _ = _matrix(ids, ((s["article_id"], "n", w) for s, w in qw))
    q_den = q_den_m[:, 0] if q_den_m.shape[1] else np.zeros(len(ids))

    def shares(key_of: Any, weighted: bool) -> dict[str, Share]:
        rows = ((s["article_id"], key_of(s), w if weighted else 1.0) for s, w in qw)
        num, keys = _matrix(ids, rows)
        return boot.ratios(num, q_den if weighted else st_den, keys)

    aff = data.affiliations.of
    countries = {s["id"]: data.affiliations.country_of_statement(s) for s in sts}

    def country(s: Mapping[str, Any]) -> str:
        return countries[s["id"]]

    def role(s: Mapping[str, Any]) -> str:
        return str(s.get("speaker_role") or (UNKNOWN if s.get("speaker") else NO_SPEAKER))

    cues = data.of("cues", ids)
    own = [c for c in cues if cue_voice(c) == OUTLET_VOICE]
    carried = [c for c in cues if cue_voice(c) == SPEAKER_VOICE]

    def cue_rates(rows: Iterable[tuple[str, str, float]]) -> dict[str, Share]:
        num, keys = _matrix(ids, rows)
        return boot.ratios(num, words, keys, scale=1000.0)

    def cue_affiliation(c: Mapping[str, Any]) -> str:
        st = data.statement_by_id.get(c["statement_id"])
        return aff(st) if st is not None else UNKNOWN

    return Profile(
        outlet=outlet,
        n_articles=len(ids),
        n_words=int(words.sum()),
        n_statements=sum(data.n_statements[i] for i in ids),
        n_voices=len(sts),
        n_quoted_words=int(q_den.sum()),
        articles=ids,
        voices_by_affiliation=shares(aff, False),
        quoted_words_by_affiliation=shares(aff, True),
        voices_by_country=shares(country, False),
        quoted_words_by_country=shares(country, True),
        voices_by_role=shares(role, False),
        quoted_words_by_role=shares(role, True),
        speakers_by_country=_speakers(ids, sts, country, boot, official=False),
        official_speakers_by_country=_speakers(ids, sts, country, boot, official=True),
        verb_classes=shares(lambda s: s.get("cue_class") or NO_CUE, False),
        cues_per_1k_words=cue_rates((c["article_id"], c["type"], 1.0) for c in own),
        speaker_cues_per_1k_words=cue_rates((c["article_id"], c["type"], 1.0) for c in carried),
        speaker_cues_by_affiliation=cue_rates(
            (c["article_id"], cue_affiliation(c), 1.0) for c in carried
        ),
        terms=_terms(ids, data.of("terms", ids), boot),
    )


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


def _speakers(
    ids: list[str],
    sts: list[Mapping[str, Any]],
    country_of: Callable[[Mapping[str, Any]], str],
    boot: Bootstrap,
    *,
    official: bool,
) -> dict[str, Share]:
    """Shares of the distinct voices by country: each speaker counts once in each article
    that carries it (a speaker's country is the one most of its statements there have), so
    a spokesperson quoted five times weighs what a minister quoted once does. Statements
    with no speaker are no one's voice here. `official`: only the voices of states and of
    bodies of states (`is_official_voice`)."""
    per_voice: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for s in sts:
        key = name_key(s.get("speaker"))
        if not key:
            continue
        country = country_of(s)
        if official and not is_official_voice(s, country):
            continue
        per_voice[(s["article_id"], key)][country] += 1
    rows = [(aid, c.most_common(1)[0][0], 1.0) for (aid, _), c in sorted(per_voice.items())]
    num, keys = _matrix(ids, rows)
    return boot.ratios(num, num.sum(axis=1), keys)


def _terms(
    ids: list[str], uses: list[Mapping[str, Any]], boot: Bootstrap
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    by_term: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for t in uses:
        by_term[t["term"]].append(t)
    for term in sorted(by_term, key=lambda k: (-len(by_term[k]), k)):
        rows = by_term[term]
        num, keys = _matrix(ids, ((t["article_id"], t["voice"], 1.0) for t in rows))
        den = num.sum(axis=1)
        narrated = num[:, keys.index("narrated")] if "narrated" in keys else np.zeros(len(ids))
        share = boot.ratios(narrated[:, None], den, ["narrated"])["narrated"]
        out[term] = {
            "group": rows[0].get("grp"),
            "narrated": int(narrated.sum()),
            "quoted": int(den.sum() - narrated.sum()),
            "narrated_share": share,
        }
    return out
