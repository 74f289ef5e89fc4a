"""The outlet profiles, the claim x outlet matrix and the timeline as `claimgraph.analyze` computed them
before they streamed (issue 29): every statement, cue and term use of the corpus in memory at
once, every claim member read into a list; and the wire groups with every article's text and
shingles in memory. Kept verbatim (from commits 1109172 and b2f7b4d) as the reference the
streamed analyses must equal exactly: tests/test_compare_stream.py on the seeds and the sample
corpus, bench/bench_compare.py on PolNeAR. Not product code.

`graph_reference`: the claim network of `claimgraph export graph` as it was built in memory
(commit b2f7b4d), for tests/test_gexf.py."""

from __future__ import annotations

import hashlib
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from claimgraph.analyze.bootstrap import Resampler
from claimgraph.analyze.matrix import (
    MIXED,
    STANCES,
    assemble,
    cell,
    load_claims,
    order_columns,
    polar,
)
from claimgraph.analyze.profiles import (
    BY,
    NO_CUE,
    Profile,
    Share,
    carried_voices,
    cue_voice,
    is_official_voice,
    outlet_order,
    outlet_seed,
)
from claimgraph.analyze.talking_points import (
    _SO_CALLED,
    _WORD,
    BUCKETS,
    MIN_OCCASIONS,
    MIN_WORDS,
    TalkingPoint,
    Use,
    _context,
    _count,
    _select,
    _slot,
    _spans,
    _Speech,
    _use,
    stem,
    variant_of,
    words,
)
from claimgraph.analyze.timeline import (
    DAY,
    MONTH,
    WEEK,
    YEAR,
    parse_published,
    statement_date,
)
from claimgraph.analyze.variants import (
    COMMON_GRAM,
    MIN_RATIO,
    MIN_SHARED,
    VariantGroup,
    VariantMember,
    _difference,
    _grams,
    _same_speaker,
    _Unit,
    normalize,
    quoted_fragments,
    quoted_words,
    ratio,
    similarity,
)
from claimgraph.analyze.variants import MIN_WORDS as MIN_QUOTE_WORDS
from claimgraph.analyze.wire import (
    CONTAINMENT,
    LSH_THRESHOLD,
    MINHASH_SEED,
    NUM_PERM,
    THRESHOLD,
    WireGroup,
    _first_source,
    _original_key,
    containment,
    jaccard,
    near_duplicates,
    shingle_ids,
)
from claimgraph.errors import UsageError
from claimgraph.extract.records import OUTLET_VOICE, SPEAKER_VOICE
from claimgraph.ingest.base import article_label
from claimgraph.ingest.outlets import outlet_of
from claimgraph.link.actors import actor_of
from claimgraph.link.sides import NO_SPEAKER, UNKNOWN, Affiliations, name_key
from claimgraph.store import Store, speaks

# What the talking points kept of each statement of a corpus (`SlimStatement`): not its
# text (its quoted words are counted as it is read; where its cue is tells whether it is
# negated, `carried_voices`).
_STATEMENT_FIELDS = (
    "id article_id start_char end_char kind speaker speaker_type speaker_role speaker_title "
    "speaker_affiliation cue cue_class cue_start cue_end".split()
)
_SHARED_FIELDS = frozenset(_STATEMENT_FIELDS) - {"id", "start_char", "end_char"}


class SlimStatement(Mapping[str, Any]):
    """A statement row without its text (its quoted words counted), read like the row's dict:
    what the talking points keep of each statement of a corpus, ~300 bytes where the dict takes
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


class Bootstrap:
    """The bootstrap as the profiles computed it before they streamed: every resample's
    weights of every article held at once (n_boot x n), each ratio's resample sums a matrix
    product, `w @ num`. The weights are `Resampler`'s, drawn for the n articles in order,
    so the streamed profiles must give the same numbers."""

    def __init__(self, n: int, n_boot: int, seed: int) -> None:
        self.n = n
        r = Resampler(n, n_boot, seed)
        self.w = np.stack([r.next() for _ in range(n)], axis=1) if n else np.zeros((n_boot, 0))

    def ratios(
        self, num: np.ndarray, den: np.ndarray, keys: Sequence[str], scale: float = 1.0
    ) -> dict[str, Share]:
        total_den = float(den.sum())
        out: dict[str, Share] = {}
        if not keys:
            return out
        boot_num, boot_den = self.w @ num, self.w @ den
        with np.errstate(divide="ignore", invalid="ignore"):
            boot = boot_num / boot_den[:, None] * scale
        boot = boot[boot_den > 0]
        for k, key in enumerate(keys):
            total_num = float(num[:, k].sum())
            value = total_num / total_den * scale if total_den else None
            lo = hi = None
            if value is not None and len(boot) and self.n >= 2:
                lo = float(np.percentile(boot[:, k], 2.5))
                hi = float(np.percentile(boot[:, k], 97.5))
                if np.all(boot[:, k] == boot[0, k]):
                    lo = hi = float(boot[0, k])
            out[key] = Share(value, lo, hi, total_num, total_den)
        return out


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


def matrix_reference(store: Store, articles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`claimgraph.analyze.matrix.build_matrix` as it was: every member read first."""
    claims, members = load_claims(store)
    column_of = {a["id"]: str(outlet_of(a)) for a in articles}
    columns = order_columns(Counter(column_of.values()))
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for m in members:
        col = column_of.get(m["article_id"])
        if col is not None:
            by_cell[(m["claim_id"], col)].append(m)
    return assemble(
        columns,
        claims,
        lambda _, c: {col: cell(by_cell.get((c["claim_id"], col), [])) for col in columns},
    )


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


def profiles_reference(
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
            copies = {cid for g in wire_groups_reference(all_articles) for cid in g.copies}
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


_CUE_FIELDS = ("article_id", "type", "voice", "statement_id")
_TERM_FIELDS = ("article_id", "term", "voice", "grp")


def _slim(row: Mapping[str, Any], fields: Sequence[str]) -> Mapping[str, Any]:
    return {k: row.get(k) for k in fields}


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


# -- the wire groups as they were (commit b2f7b4d), every article's shingles in memory -------

_LOW32 = np.uint64(0xFFFFFFFF)


def _candidate_pairs(
    sets: Sequence[np.ndarray], threshold: float, use_minhash: bool | None
) -> Iterable[tuple[int, int]]:
    if use_minhash is not False:
        try:
            from datasketch import MinHash, MinHashLSH
        except ImportError:
            if use_minhash:
                raise
        else:
            # candidates at a lower threshold, so that LSH rarely misses a pair near the real
            # one; every candidate is confirmed with the exact Jaccard afterwards
            lsh = MinHashLSH(threshold=min(threshold, LSH_THRESHOLD), num_perm=NUM_PERM)
            hashes = []
            for i, s in enumerate(sets):
                # the ids' low 32 bits are already a hash: no SHA-1 of each shingle again
                m = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=int)
                m.update_batch((s & _LOW32).tolist())
                hashes.append(m)
                if len(s):
                    lsh.insert(i, m)
            for i, m in enumerate(hashes):
                if not len(sets[i]):
                    continue
                for j in lsh.query(m):
                    if j > i:
                        yield i, j
            return
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            yield i, j


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def wire_groups_reference(
    articles: Sequence[dict[str, Any]],
    *,
    threshold: float = THRESHOLD,
    min_containment: float = CONTAINMENT,
    use_minhash: bool | None = None,
) -> list[WireGroup]:
    """`claimgraph.analyze.wire.find_wire_groups` as it was: every article's shingles in memory.

    `use_minhash`: None = MinHash LSH if datasketch is installed, else every pair;
    True = require datasketch; False = compare every pair exactly."""
    word_ids: dict[str, int] = {}
    sets = [shingle_ids(a["text"], word_ids=word_ids) for a in articles]
    parent = list(range(len(articles)))
    # Identical texts (the same wire story carried verbatim) are joined at once and compared
    # as one: a story carried by k outlets would otherwise cost k^2 comparisons.
    first_of: dict[bytes, int] = {}
    distinct: list[int] = []
    for i, sh in enumerate(sets):
        key = hashlib.blake2b(sh.tobytes(), digest_size=16).digest()
        if not len(sh) or key not in first_of:
            first_of.setdefault(key, i)
            distinct.append(i)
        else:
            parent[i] = first_of[key]
    for da, db in _candidate_pairs([sets[i] for i in distinct], threshold, use_minhash):
        i, j = distinct[da], distinct[db]
        if _find(parent, i) == _find(parent, j):
            continue  # already joined through other copies
        if near_duplicates(sets[i], sets[j], threshold=threshold, min_containment=min_containment):
            parent[_find(parent, i)] = _find(parent, j)
    comps: dict[int, list[int]] = {}
    for i in range(len(articles)):
        comps.setdefault(_find(parent, i), []).append(i)
    groups: list[tuple[int, WireGroup]] = []
    for idx in comps.values():
        if len(idx) < 2:
            continue
        idx.sort(key=lambda i: _original_key(articles[i], i))
        orig = idx[0]
        members = []
        for i in idx:
            a = articles[i]
            members.append(
                {
                    "article_id": a["id"],
                    "source": _first_source(a),
                    "label": article_label(a.get("title"), _first_source(a), a["id"]),
                    "outlet": outlet_of(a),
                    "agency": a.get("agency"),
                    "published": a.get("published"),
                    "is_wire_copy": i != orig,
                    "jaccard_to_original": round(jaccard(sets[i], sets[orig]), 4),
                    "containment_to_original": round(containment(sets[i], sets[orig]), 4),
                }
            )
        groups.append((orig, WireGroup(members)))
    return [g for _, g in sorted(groups, key=lambda x: x[0])]


def timeline_reference(
    store: Store, articles: Sequence[dict[str, Any]], members: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """`claimgraph.analyze.timeline.timeline` as it was before it streamed (commit
    bba3ff8): every item in a list, every article's text at once; with the counts added
    since (``n_items``, ``by_date``) computed here from that full list."""
    from claimgraph.analyze.timeline import (
        week_of,
    )

    def bucket(items: Iterable[dict[str, Any]], period: str) -> list[dict[str, Any]]:
        counts: Counter[tuple[str, str | None, str | None]] = Counter()
        ok = {DAY} if period == DAY else {DAY, WEEK}
        for it in items:
            if it["date"] is None or it["granularity"] not in ok:
                continue
            d = date.fromisoformat(it["date"])
            key = d.isoformat() if period == DAY else week_of(d)
            for cid in it["claim_ids"] or [None]:
                counts[(key, it["outlet"], cid)] += 1
        return [
            {"period": p, "outlet": o, "claim_id": c, "n": n}
            for (p, o, c), n in sorted(
                counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), str(kv[0][2]))
            )
        ]

    by_id = {a["id"]: a for a in articles}
    claims_of: dict[str, list[str]] = defaultdict(list)
    narrated: list[dict[str, Any]] = []
    for m in members:
        if m["article_id"] not in by_id:
            continue
        if m.get("statement_id"):
            claims_of[m["statement_id"]].append(m["claim_id"])
        elif m["voice"] == "outlet":
            narrated.append(m)
    items: list[dict[str, Any]] = []
    for st in store.statements():
        a = by_id.get(st["article_id"])
        if a is None:
            continue
        when = statement_date(
            a["text"],
            (st["start_char"], st["end_char"]),
            parse_published(a.get("published")),
            cue=(st.get("cue_start"), st.get("cue_end")),
            speaker=(st.get("speaker_start"), st.get("speaker_end")),
        )
        items.append(
            {
                "kind": "statement",
                "article_id": st["article_id"],
                "outlet": outlet_of(a),
                "statement_id": st["id"],
                "member_id": None,
                "speaker": st.get("speaker"),
                "claim_ids": sorted(set(claims_of.get(st["id"], []))),
                **when,
            }
        )
    for m in narrated:
        a = by_id[m["article_id"]]
        when = statement_date(
            a["text"], (m["start"], m["end"]), parse_published(a.get("published")), narrated=True
        )
        items.append(
            {
                "kind": "narration",
                "article_id": m["article_id"],
                "outlet": outlet_of(a),
                "statement_id": None,
                "member_id": m["member_id"],
                "speaker": None,
                "claim_ids": [m["claim_id"]],
                **when,
            }
        )
    dated = Counter((it["date"], it["outlet"]) for it in items if it["granularity"] in (DAY, WEEK))
    return {
        "items": items,
        "n_items": len(items),
        "by_day": bucket(items, DAY),
        "by_week": bucket(items, WEEK),
        "by_date": [{"date": d, "outlet": o, "n": n} for (d, o), n in sorted(dated.items())],
        "n_undated": sum(1 for it in items if it["date"] is None),
        "n_coarse": sum(1 for it in items if it["granularity"] in (MONTH, YEAR)),
    }


# -- quote variants and talking points ------------------------------------------------------
# `claimgraph.analyze.variants.find_quote_variants` and
# `claimgraph.analyze.talking_points.find_talking_points` as they were before they streamed
# (commit b2f7b4d): every quoted unit with its statement row in memory, and (`compare`) a
# `SlimStatement` per statement kept for the talking points and the affiliations.


def compare_reference(
    store: Store,
    articles: Sequence[dict[str, Any]],
    copies: set[str],
    *,
    min_ratio: float = MIN_RATIO,
    count_wire_copies: bool = False,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(quote_variants, talking_points) as `compare` gave them at b2f7b4d, for all outlets."""
    slim: list[SlimStatement] = []

    def keep_slim(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for st in rows:
            slim.append(SlimStatement(st))
            yield st

    groups = variants_reference(keep_slim(store.statements()), min_ratio=min_ratio)
    countries = [a["outlet_country"] for a in articles if a.get("outlet_country")]
    talking = talking_points_reference(
        articles,
        slim,
        so_called=(c for c in store.cues() if c["type"] == "so_called"),
        terms=store.term_uses(),
        affiliations=Affiliations(slim, countries),
        variants=variant_of(groups),
        exclude=copies if not count_wire_copies else set(),
    )
    variants = []
    for vg in groups:
        d = vg.to_dict()
        for m in d["members"]:
            m["is_wire_copy"] = m["article_id"] in copies
        variants.append(d)
    return variants, [tp.to_dict() for tp in talking]


def _units_reference(statements: Iterable[dict[str, Any]], min_words: int) -> list[_Unit]:
    units = []
    for st in statements:
        for frag in quoted_fragments(st["text"], st["kind"]):
            norm = normalize(frag)
            words = norm.split()
            if len(words) >= min_words:
                units.append(_Unit(st, frag, norm, words))
    return units


def _candidates_reference(units: Sequence[_Unit]) -> Iterable[tuple[int, int]]:
    """Pairs from different articles that share at least `MIN_SHARED` of the shorter quote's
    word bigrams, counting only those held by at most `COMMON_GRAM` quotes. Prefix filter:
    with the bigrams ordered rarest first, a quote of n bigrams that shares k of them with a
    quote holding at least as many shares one of its first n - k + 1; only those are looked
    up, and their postings are short."""
    grams = [_grams(u.words) for u in units]
    index: dict[str, list[int]] = defaultdict(list)
    for i, gs in enumerate(grams):
        for g in gs:
            index[g].append(i)
    counted = [
        sorted((g for g in gs if len(index[g]) <= COMMON_GRAM), key=lambda g: (len(index[g]), g))
        for gs in grams
    ]
    size = [len(c) for c in counted]
    pairs: set[tuple[int, int]] = set()
    for i, mine in enumerate(counted):
        need = math.ceil(MIN_SHARED * size[i])
        if need == 0:
            continue
        seen: set[int] = set()
        for g in mine[: size[i] - need + 1]:
            for j in index[g]:
                if j in seen or (size[j], j) <= (size[i], i):
                    continue  # the pair is looked up from its shorter (then earlier) quote
                seen.add(j)
                if (
                    units[i].st["article_id"] != units[j].st["article_id"]
                    and len(grams[i].intersection(counted[j])) >= need
                ):
                    pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _group_reference(
    units: list[_Unit], idx: list[int], sims: dict[tuple[int, int], float]
) -> VariantGroup:
    def sim(i: int, j: int) -> float:
        if i == j:
            return 1.0
        key = (min(i, j), max(i, j))
        if key not in sims:
            sims[key] = similarity(units[i].norm, units[j].norm)
        return sims[key]

    # the medoid by plain ratio: containment would make every trimmed copy equal to all
    ref = max(
        idx,
        key=lambda i: (
            sum(ratio(units[i].norm, units[j].norm) for j in idx),
            units[i].st["kind"] == "direct",
            -i,
        ),
    )
    r = units[ref]
    members = []
    for i in idx:
        u = units[i]
        members.append(
            VariantMember(
                statement_id=u.st["id"],
                article_id=u.st["article_id"],
                source=u.st.get("source"),
                outlet=outlet_of(u.st),
                kind=u.st["kind"],
                quote=u.quote,
                speaker=u.st.get("speaker"),
                cue=u.st.get("cue"),
                cue_class=u.st.get("cue_class"),
                difference=_difference(u, r),
                different_verb_class=u.st.get("cue_class") != r.st.get("cue_class"),
                different_speaker=not _same_speaker(u.st.get("speaker"), r.st.get("speaker")),
                similarity=round(sim(i, ref), 4),
            )
        )
    return VariantGroup(members, idx.index(ref))


def variants_reference(
    statements: Iterable[dict[str, Any]],
    *,
    min_ratio: float = MIN_RATIO,
    min_words: int = MIN_QUOTE_WORDS,
) -> list[VariantGroup]:
    """Variant groups among statements (dicts as `Store.statements()` yields them)."""
    units = _units_reference(statements, min_words)
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims: dict[tuple[int, int], float] = {}
    for i, j in _candidates_reference(units):
        s = similarity(units[i].norm, units[j].norm)
        sims[(i, j)] = s
        if s >= min_ratio:
            parent[find(i)] = find(j)
    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        comps[find(i)].append(i)
    groups = [
        _group_reference(units, sorted(idx), sims)
        for idx in comps.values()
        if len({units[i].st["article_id"] for i in idx}) >= 2
    ]
    groups.sort(key=lambda g: (-len(g.members), g.members[0].statement_id))
    return groups


def talking_points_reference(
    articles: Sequence[Mapping[str, Any]],
    statements: Iterable[Mapping[str, Any]],
    *,
    so_called: Iterable[Mapping[str, Any]] = (),
    terms: Iterable[Mapping[str, Any]] = (),
    affiliations: Affiliations | None = None,
    variants: Mapping[str, int] | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
    min_occasions: int = MIN_OCCASIONS,
) -> list[TalkingPoint]:
    """Talking points of the ``articles`` (rows with id, text, outlet, published), given
    their statements' rows (id, article_id, start_char, end_char, speaker, affiliation
    fields), the store's ``so_called`` cue rows and its term-use rows; ``variants`` maps a
    statement id to its quote-variant group (`claimgraph.analyze.variants`); articles in ``exclude`` (wire copies)
    are left out. Ordered by side, then by number of occasions."""
    arts = [a for a in articles if a["id"] not in exclude and a.get("text")]
    order = {a["id"]: i for i, a in enumerate(arts)}
    sts: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    all_sts = []
    for st in statements:
        all_sts.append(st)
        if st["article_id"] in order:
            sts[st["article_id"]].append(st)
    aff = affiliations or Affiliations(all_sts, [])
    # pass 1: the 3-word grams a speaker says (with a content word), counted per article
    grams = np.zeros(BUCKETS, dtype=np.uint8)
    for a in arts:
        speech = _Speech(sts.get(a["id"], []))
        slots = {
            _slot(ws[i : i + MIN_WORDS])
            for ws in words(a["text"])
            for i in range(len(ws) - MIN_WORDS + 1)
            if any(w.content for w in ws[i : i + MIN_WORDS])
            and speech.at(ws[i].start, ws[i + MIN_WORDS - 1].end)
        }
        _count(grams, slots)
    # pass 2: phrases of 3..MAX_WORDS words built of grams seen in two articles, counted
    phrases = np.zeros(BUCKETS, dtype=np.uint8)
    for a in arts:
        slots = {_slot(ws[i : i + n]) for ws in words(a["text"]) for i, n in _spans(ws, grams)}
        _count(phrases, slots)
    # pass 3: the uses of the phrases seen in two articles
    candidates: dict[tuple[str, ...], list[Use]] = defaultdict(list)
    for a in arts:
        aid, text = a["id"], a["text"]
        speech = _Speech(sts.get(aid, []))
        for ws in words(text):
            for i, n in _spans(ws, grams):
                phrase = ws[i : i + n]
                if phrases[_slot(phrase)] < 2:
                    continue
                s, e = phrase[0].start, phrase[-1].end
                candidates[tuple(w.key for w in phrase)].append(
                    _use(a, order[aid], s, e, text, speech.at(s, e), aff, _context(ws, i, n))
                )
    for c in so_called:
        if c["article_id"] not in order or c.get("type") != "so_called":
            continue
        target = _WORD.findall(c["text"])
        if len(target) < 2:
            continue
        a = arts[order[c["article_id"]]]
        speech = _Speech(sts.get(a["id"], []))
        s, e = c["start_char"], c["end_char"]
        key: tuple[str, ...] = (_SO_CALLED, "…", stem(target[-1]))
        candidates[key].append(
            _use(a, order[a["id"]], s, e, a["text"], speech.at(s, e), aff, frozenset())
        )
    term_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for t in terms:
        if t["article_id"] in order:
            term_spans[t["article_id"]].append((t["start_char"], t["end_char"]))
    for dropped in [k for k, uses in candidates.items() if _all_terms(uses, term_spans)]:
        del candidates[dropped]
    if variants:
        for uses in candidates.values():
            for u in uses:
                u.variant = variants.get(u.statement_id or "")
    return _select(candidates, min_occasions)


def _all_terms(uses: Sequence[Use], spans: Mapping[str, list[tuple[int, int]]]) -> bool:
    """Does every use lie within a contested term's use (give or take a quotation mark)?"""
    return all(
        any(s - 2 <= u.start and u.end <= e + 2 for s, e in spans.get(u.article_id, []))
        for u in uses
    )


# -- the claim network (claimgraph.present.gexf) ------------------------------------------


def _actor_id(name: str) -> str:
    return "actor:" + " ".join(name.casefold().split())


def _outlet_id(article: dict[str, Any]) -> str:
    return "outlet:" + outlet_of(article)


def _most(values: Iterable[str]) -> str | None:
    c = Counter(v for v in values if v and not v.startswith("("))
    return min(c, key=lambda k: (-c[k], k)) if c else None


def graph_reference(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`claimgraph.present.gexf.build_graph` as it was (commit b2f7b4d): every article
    (texts included) and every statement in memory, every claim member read into a list."""
    all_articles = list(store.articles())
    copies = {c for g in wire_groups_reference(all_articles) for c in g.copies}
    articles = {a["id"]: a for a in all_articles if a["id"] not in copies}
    statements = [s for s in store.statements() if s["article_id"] in articles]
    affiliations = Affiliations(
        statements, [a["outlet_country"] for a in all_articles if a.get("outlet_country")]
    )
    nodes: dict[str, dict[str, Any]] = {}
    for a in articles.values():
        nid = _outlet_id(a)
        node = nodes.setdefault(
            nid,
            {"id": nid, "label": outlet_of(a), "attrs": {"type": "outlet", "n": 0}},
        )
        node["attrs"]["n"] += 1
        if a.get("outlet_country"):
            node["attrs"]["country"] = a["outlet_country"]
    carries: Counter[tuple[str, str]] = Counter()
    actor_sts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    actors = store.actor_map()
    for s in statements:
        if not speaks(s):  # no speaker, or a negated report: not said
            continue
        s["actor"] = actor_of(actors, s["speaker"])
        aid = _actor_id(s["actor"])
        actor_sts[aid].append(s)
        carries[(_outlet_id(articles[s["article_id"]]), aid)] += 1
    for aid, sts in actor_sts.items():
        nodes[aid] = {
            "id": aid,
            "label": sts[0]["actor"],
            "attrs": {
                "type": "actor",
                "affiliation": _most(affiliations.of(s) for s in sts),
                "country": _most(affiliations.country_of_statement(s) for s in sts),
                "role": _most(s.get("speaker_role") or "" for s in sts),
                "n": len(sts),
            },
        }
    edges = [
        {"source": o, "target": a, "weight": n, "attrs": {"relation": "carries"}}
        for (o, a), n in sorted(carries.items())
    ]
    edges += _claim_edges_reference(store, articles, nodes, actors)
    return list(nodes.values()), edges


def _claim_edges_reference(
    store: Store,
    articles: dict[str, dict[str, Any]],
    nodes: dict[str, dict[str, Any]],
    actors: dict[str, str],
) -> list[dict[str, Any]]:
    claims, members = load_claims(store)
    stances: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for m in members:
        a = articles.get(m["article_id"])
        if a is None:
            continue
        if m["voice"] == "outlet":
            key = (_outlet_id(a), "claim:" + m["claim_id"], "narrates")
        elif m.get("speaker"):
            key = (
                _actor_id(actors.get(m["speaker"], m["speaker"])),
                "claim:" + m["claim_id"],
                "stance",
            )
        else:
            continue
        stances[key][m["stance"]] += 1
    linked = {c for _, c, _ in stances}
    for c in claims:
        cid = "claim:" + c["claim_id"]
        if cid in linked:
            nodes[cid] = {
                "id": cid,
                "label": c["label"],
                "attrs": {
                    "type": "claim",
                    "n": c.get("n_members", 0),
                    "key_terms": ", ".join(c.get("key_terms") or []),
                    "topic": c.get("topic"),
                    "topic_id": c.get("topic_id"),
                },
            }
    out = []
    for (src, dst, relation), counts in sorted(stances.items()):
        if src not in nodes:  # a speaker with no statement of their own in the store
            m_label = src.removeprefix("actor:")
            nodes[src] = {"id": src, "label": m_label, "attrs": {"type": "actor", "n": 0}}
        by = {s: counts.get(s, 0) for s in STANCES}
        out.append(
            {
                "source": src,
                "target": dst,
                "weight": sum(by.values()),
                "attrs": {
                    "relation": relation,
                    "stance": polar(by, MIXED),
                    "n_affirm": by["affirm"],
                    "n_deny": by["deny"],
                    "n_report": by["report"],
                },
            }
        )
    return out
