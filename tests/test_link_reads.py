"""What the link step reads back of a linked store, in memory that does not grow with it
(issue 29): a batch reads the per-article member counts of its own articles only and each
claim's dates grouped by day; the topics read each member's words without its article's
columns. The sample corpus as `claimgraph analyze` stores it (dated articles, several per
claim), read both ways."""

from __future__ import annotations

import pytest

from claimgraph.claims.clusters import day_number
from claimgraph.store import open_store
from conftest import copy_store


@pytest.fixture(scope="module")
def store(corpus_store, tmp_path_factory):
    db = copy_store(corpus_store[0], tmp_path_factory.mktemp("link-reads") / "c.db")
    s = open_store(db, readonly=True)
    yield s
    s.close()


def _days(published: list[str]) -> list[int | None]:
    return sorted({day_number(p) for p in published}, key=lambda d: (d is None, d or 0))


def test_a_batch_reads_its_own_articles_counts_and_every_claims_days(store):
    full = list(store.claim_centroids())
    counted = sorted({a for c in full for a in c["articles"]})
    assert len(full) > 5 and len(counted) > 5
    assert any(len(c["published"]) > 1 for c in full)  # claims whose articles differ in date
    batch = counted[::3]
    part = list(store.claim_centroids(batch + ["no-such-article"]))
    assert [c["claim_id"] for c in part] == [c["claim_id"] for c in full]
    for f, p in zip(full, part, strict=True):
        assert p["articles"] == {a: n for a, n in f["articles"].items() if a in batch}
        assert _days(p["published"]) == _days(f["published"]), f["claim_id"]
        assert {k: v for k, v in p.items() if k not in ("articles", "published")} == {
            k: v for k, v in f.items() if k not in ("articles", "published")
        }
    assert any(p["articles"] for p in part) and not all(p["articles"] for p in part)
    assert all(not c["articles"] for c in store.claim_centroids([]))


def test_topics_read_the_members_words_by_meaning(store):
    members = [
        (m["claim_id"], m["text"], m["speaker"])
        for m in store.claim_members()
        if m["via"] == "meaning"
    ]
    assert len(members) > 20
    assert [(m["claim_id"], m["text"], m["speaker"]) for m in store.member_words()] == members
