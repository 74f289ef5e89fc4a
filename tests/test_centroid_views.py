"""`store.rows.centroid_views` joins the member counts to the claims as both stream by."""

from __future__ import annotations

import json

from claimgraph.store.rows import centroid_views


def _claim(claim_id: str) -> dict[str, object]:
    return {
        "claim_id": claim_id,
        "label": f"claim {claim_id}",
        "centroid": b"\x00\x00\x80?",
        "n_members": 2,
        "terms": json.dumps({"dam": 2}),
        "text": "the dam is safe",
        "context": None,
    }


def _count(claim_id: str, article_id: str, n: int, published: str | None) -> dict[str, object]:
    return {"claim_id": claim_id, "article_id": article_id, "n": n, "published": published}


def test_counts_join_their_claim_and_are_read_only_as_far_as_needed():
    counts = [
        _count("a1", "x", 2, "2024-05-02"),
        _count("a1", "y", 1, "2024-05-01"),
        _count("a1", "z", 1, "2024-05-01"),  # a date counted once
        _count("a2", "x", 3, None),  # a claim the claims do not list: skipped
        _count("b", "y", 1, None),
        _count("é", "z", 4, "2024-06-01"),  # after every listed claim (byte order)
    ]
    read: list[dict[str, object]] = []

    def counted():
        for c in counts:
            read.append(c)
            yield c

    views = list(centroid_views(counted(), [_claim("a1"), _claim("b"), _claim("c")]))
    got = [(v["claim_id"], v["articles"], v["published"]) for v in views]
    assert got == [
        ("a1", {"x": 2, "y": 1, "z": 1}, ["2024-05-01", "2024-05-02"]),
        ("b", {"y": 1}, []),
        ("c", {}, []),
    ]
    assert views[0]["centroid"] == b"\x00\x00\x80?" and views[0]["terms"] == {"dam": 2}
    read.clear()
    first = next(centroid_views(counted(), [_claim("a1"), _claim("b")]))
    assert first["articles"] == {"x": 2, "y": 1, "z": 1}
    assert len(read) == 4  # a1's three rows and the one that ends them, not the rest
