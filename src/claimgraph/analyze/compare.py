"""How outlets tell the same story, side by side: outlet profiles, wire copies, quote
variants. The library function behind ``claimgraph compare``; reads the store only.

The result is plain JSON-serialisable data::

    {"options": {...},
     "outlets": [profile, ...],          # claimgraph.analyze.profiles.Profile.to_dict(),
                                         # with "stored": the outlet's counts in the store
     "wire_groups": [group, ...],        # claimgraph.analyze.wire.WireGroup.to_dict()
     "quote_variants": [group, ...],     # claimgraph.analyze.variants.VariantGroup.to_dict()
     "matrix": {...},                    # claimgraph.analyze.matrix.claim_matrix()
     "timeline": {...},                  # claimgraph.analyze.timeline.timeline()
     "talking_points": [tp, ...]}        # claimgraph.analyze.talking_points.TalkingPoint

With `outlets`, the wire groups and quote variants are those that involve at least one of
them (the other members stay, for comparison), and so are the talking points (found over
the whole corpus: a phrase's first use may be another outlet's); the matrix and the timeline cover the named
outlets' articles only; a matrix cell lists at most `list_limit` of its members, the
timeline as many of its items, a wire group as many of its members and copies (``n_members``
and ``n_copies`` count them all), a profile as many of its article ids. Wire copies are left out of profiles, matrix and timeline unless
`count_wire_copies`. Quote-variant members carry `is_wire_copy`:
a wire copy repeats its original's quote, it does not choose it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import numpy as np

from ..ingest.outlets import outlet_of
from ..link.sides import Affiliations
from ..store import Store
from .corpus import ArticleIndex, IndexedIds, Selection, article_index, store_changed
from .matrix import has_claims, matrix_of_rows, member_stance_rows
from .profiles import PROFILED_COLUMNS, Profile, outlet_profiles
from .talking_points import TalkingPoint, store_reader, talking_points, variant_of
from .timeline import timeline
from .variants import MIN_RATIO, VariantGroup, quote_variants
from .wire import THRESHOLD, WireGroup, store_wire_groups

# The most members (and article ids) a claim x outlet cell lists: its counts are of all of
# them, its lists are examples, so that a corpus of millions holds a bounded matrix; every
# member is on the claim's page, in `claimgraph export claims` and `export matrix`.
LIST_LIMIT = 100


def _with_stored(profile: dict[str, Any], stored: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A profile with the outlet's counts in the store (``stored``: n_articles, n_statements,
    wire copies included), read by the one query the API and the report also show
    (`Store.outlet_summary`); the profile's own counts are of the articles it profiles."""
    row = stored.get(profile["label"], {})
    profile["stored"] = {
        "n_articles": int(row.get("n_articles") or 0),
        "n_statements": int(row.get("n_statements") or 0),
    }
    return profile


def _listed(group: WireGroup, limit: int | None) -> dict[str, Any]:
    """A wire group's dict with its counts, its members and copies listed up to ``limit``
    (the original first)."""
    listed = group.members if limit is None else group.members[: limit + 1]
    return {
        "original": group.original,
        "copies": [str(m["article_id"]) for m in listed[1:]],
        "members": listed[:limit],
        "n_members": group.size,
        "n_copies": group.size - 1,
    }


def copy_mask(index: ArticleIndex, groups: Sequence[WireGroup]) -> np.ndarray:
    """The mask of the wire copies of ``groups`` over ``index``: by the positions the scan
    found them at (the store's order, checked on each group's listed members), or by id."""
    mask = np.zeros(len(index), dtype=bool)
    for g in groups:
        if g.positions is None:
            mask |= index.mask_of(g.copies)
            continue
        listed = [str(m["article_id"]) for m in g.members]
        if index.positions(listed).tolist() != g.positions[: len(listed)].tolist():
            raise store_changed()
        mask[g.positions[1:]] = True
    return mask


def compare(
    store: Store,
    *,
    outlets: Sequence[str | None] | None = None,
    count_wire_copies: bool = False,
    n_boot: int = 1000,
    seed: int = 0,
    wire_threshold: float = THRESHOLD,
    min_ratio: float = MIN_RATIO,
    list_limit: int | None = LIST_LIMIT,
    groups: list[WireGroup] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """Profiles of the outlets (all, or those named), wire groups, quote variants, the
    claim x outlet matrix and the timeline. ``list_limit``: the most members and article ids
    a matrix cell lists, the most items the timeline lists, the most members and copies a
    wire group lists and the most article ids a profile lists (the counts are of all of
    them); None lists every one. ``groups``: the store's wire groups, if already found
    (`store_wire_groups` with ``wire_threshold``).

    ``workers`` > 1 computes the parts in that many processes, each reading the store on
    its own connection: first the wire groups and the quote variants, then the profiles,
    the talking points, and the matrix with the timeline (the same result: the parts are
    the same functions)."""
    index = article_index(store, PROFILED_COLUMNS)
    mask = index.select(outlets)  # an unknown outlet is refused before anything is read
    run = _Parts(store, workers)
    try:
        # a group lists its original and `list_limit` copies
        listed = None if list_limit is None else list_limit + 1
        wire_part = (
            run.now(groups) if groups is not None else run.start(_wire_part, wire_threshold, listed)
        )
        # the quote variants keep each quoted unit on disk, not in memory
        variants_part = run.start(_variants_part, min_ratio)
        groups = wire_part()
        copied = copy_mask(index, groups)
        if not count_wire_copies:
            mask &= ~copied
        variant_groups = variants_part()
        # built once here; a worker builds its own (one read of the speakers)
        aff = None if run.pool is not None else _affiliations(store, index)
        # the talking points and the affiliations read the store article by article (and
        # speaker rows as they stream by); profiles, the matrix and the timeline read it
        # again, one article (or one claim member) at a time, each article's place in
        # `index`
        profiles_part = run.start(
            _profiles_part,
            index,
            copied,
            aff,
            dict(
                outlets=outlets,
                count_wire_copies=count_wire_copies,
                n_boot=n_boot,
                seed=seed,
                list_limit=list_limit,
            ),
        )
        talking_part = run.start(
            _talking_part,
            index,
            None if count_wire_copies else copied,
            variant_of(variant_groups),
            aff,
        )
        matrix, timeline_ = run.start(_matrix_part, index, mask, list_limit)()
        profiles = profiles_part()
        talking = talking_part()
    finally:
        run.close()
    copies = IndexedIds(index, copied)
    wanted = None if outlets is None else set(outlets)

    def involved(members: list[dict[str, Any]]) -> bool:
        return wanted is None or any(outlet_of(m) in wanted for m in members)

    wire = [_listed(g, list_limit) for g in groups if wanted is None or g.member_outlets & wanted]
    variants = []
    for vg in variant_groups:
        d = vg.to_dict()
        for m in d["members"]:
            m["is_wire_copy"] = m["article_id"] in copies
        variants.append(d)
    stored = {o["name"]: o for o in store.outlet_summary()}
    return {
        "options": {
            "outlets": None if outlets is None else list(outlets),
            "count_wire_copies": count_wire_copies,
            "n_boot": n_boot,
            "seed": seed,
            "wire_threshold": wire_threshold,
            "min_ratio": min_ratio,
            "list_limit": list_limit,
            "interval": "95% percentile bootstrap over articles (none for an outlet with one article)",
        },
        "outlets": [_with_stored(p.to_dict(), stored) for p in profiles.values()],
        "wire_groups": wire,
        "quote_variants": [v for v in variants if involved(v["members"])],
        "matrix": matrix,
        "timeline": timeline_,
        "talking_points": [d for d in (tp.to_dict() for tp in talking) if involved(d["uses"])],
    }


# -- the parts, each a function of a store (run here, or in a worker on its own store) ---


def _wire_part(store: Store, threshold: float, listed: int | None) -> list[WireGroup]:
    return store_wire_groups(store, threshold=threshold, listed=listed)


def _variants_part(store: Store, min_ratio: float) -> list[VariantGroup]:
    return quote_variants(store, min_ratio=min_ratio)


def _affiliations(store: Store, index: ArticleIndex) -> Affiliations:
    return Affiliations.of_store(store, index.countries)


def _profiles_part(
    store: Store,
    index: ArticleIndex,
    copied: np.ndarray,
    aff: Affiliations | None,
    options: dict[str, Any],
) -> dict[str | None, Profile]:
    aff = aff if aff is not None else _affiliations(store, index)
    return outlet_profiles(store, index=index, copy_mask=copied, affiliations=aff, **options)


def _talking_part(
    store: Store,
    index: ArticleIndex,
    copied: np.ndarray | None,
    variants: dict[str, int],
    aff: Affiliations | None,
) -> list[TalkingPoint]:
    return talking_points(
        store_reader(store, copied),
        affiliations=aff if aff is not None else _affiliations(store, index),
        variants=variants,
        exclude=frozenset() if copied is None else IndexedIds(index, copied),
    )


def _matrix_part(
    store: Store, index: ArticleIndex, mask: np.ndarray, limit: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    selected = Selection(index, mask)
    claims = list(store.claims()) if has_claims(store) else []
    matrix = matrix_of_rows(claims, member_stance_rows(store), selected, limit=limit)
    return matrix, timeline(store, selected, limit=limit)


T = TypeVar("T")


def _in_worker(db: str, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    """A part in a worker process: the store opened read-only there."""
    from ..store import open_store

    store = open_store(db, readonly=True)
    try:
        return fn(store, *args)
    finally:
        store.close()


class _Parts:
    """Runs compare's parts here (``workers`` 1) or in a pool of worker processes, each
    opening the store itself (`Store.path` or `url`); a started part is waited for by
    calling what `start` returns."""

    def __init__(self, store: Store, workers: int) -> None:
        self.store = store
        self.db = getattr(store, "url", None) or getattr(store, "path", None)
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1 and self.db:
            import multiprocessing

            self.pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )

    @staticmethod
    def now(value: T) -> Callable[[], T]:
        return lambda: value

    def start(self, fn: Callable[..., T], *args: Any) -> Callable[[], T]:
        if self.pool is None:
            return self.now(fn(self.store, *args))
        future = self.pool.submit(_in_worker, str(self.db), fn, args)
        return future.result

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
