"""The HTML summary shows what the store holds, and untrusted text stays text."""

from __future__ import annotations

from claimgraph.extract.records import Extraction, Statement
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.present.summary import CSP, build_summary
from claimgraph.store import open_store

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">x</a>',
]


def test_hostile_text_is_escaped_everywhere(tmp_path):
    store = open_store(tmp_path / "h.db")
    for i, payload in enumerate(PAYLOADS):
        raw = RawArticle(
            source=f"evil{i}.html",
            text=f"Body {payload} said.",
            fmt="html",
            meta={"title": Meta(payload, GIVEN_RECORD), "outlet": Meta(payload, GIVEN_RECORD)},
        )
        st = Statement(kind="direct", start=0, end=4, text=payload, speaker=payload, cue=payload)
        store.write_article(
            f"id{i}", raw, Extraction(statements=[st]), n_words=3, extractor_version="t"
        )
    page = build_summary(store)
    assert f'content="{CSP}"' in page
    assert "<script" not in page.lower()
    assert "<img" not in page and "<a href" not in page
    assert 'onerror="alert' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert (
        page.count("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") >= 3
    )  # title, outlet, speaker


def test_summary_counts_match_store(tmp_path):
    store = open_store(tmp_path / "c.db")
    raw = RawArticle(
        source="a.txt", text="x", fmt="txt", meta={"outlet": Meta("Outlet A", GIVEN_RECORD)}
    )
    sts = [
        Statement(kind="indirect", start=0, end=1, text="x", speaker="Ann Lee") for _ in range(3)
    ]
    store.write_article("a", raw, Extraction(statements=sts), n_words=1, extractor_version="t")
    page = build_summary(store)
    assert "1 articles, 1 outlets, 3 statements, 0 framing cues, 0 contested-term uses." in page
    assert "<td>Ann Lee</td><td></td><td>3</td><td>Outlet A</td>" in page


def test_summary_counts_cues_by_voice(tmp_path):
    from claimgraph.extract.records import Cue

    store = open_store(tmp_path / "v.db")
    raw = RawArticle(
        source="a.txt", text="x" * 40, fmt="txt", meta={"outlet": Meta("Outlet A", GIVEN_RECORD)}
    )
    st = Statement(kind="direct", start=0, end=20, text="x" * 20, speaker="Ann Lee")
    cues = [
        Cue("scare_quote", 2, 5, "xxx", statement_index=0),
        Cue("scare_quote", 8, 9, "x", statement_index=0),
        Cue("scare_quote", 25, 30, "xxxxx"),
    ]
    store.write_article(
        "a", raw, Extraction(statements=[st], cues=cues), n_words=8, extractor_version="t"
    )
    page = build_summary(store)
    assert "<td>Outlet A</td><td>scare_quote</td><td>1</td><td>2</td>" in page
