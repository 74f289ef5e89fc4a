"""Exports: formula-injection-safe CSV, same records in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claimgraph.errors import UsageError
from claimgraph.extract.records import Extraction, Statement
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.present.export import neutralize_formula, write_text
from claimgraph.store import open_store


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        (42, 42),
        (None, None),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "plain", "inner-equals", "int", "null"],
)
def test_neutralize_formula(cell, expected):
    assert neutralize_formula(cell) == expected


@pytest.fixture()
def store(tmp_path):
    s = open_store(tmp_path / "x.db")
    raw = RawArticle(
        source="evil.txt",
        text="=cmd|' /C calc'!A0 said.",
        fmt="txt",
        meta={"title": Meta("=1+1", GIVEN_RECORD), "outlet": Meta("@Outlet", GIVEN_RECORD)},
    )
    st = Statement(kind="indirect", start=0, end=17, text="=cmd|' /C calc'!A0", speaker="-Mallory")
    s.write_article("a1", raw, Extraction(statements=[st]), n_words=3, extractor_version="t")
    yield s
    s.close()


def test_csv_cells_are_inert_and_jsonl_is_verbatim(store):
    buf = io.StringIO()
    write_text(store, "statements", "csv", buf)
    (row,) = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert row["text"] == "'=cmd|' /C calc'!A0"
    assert row["speaker"] == "'-Mallory"
    assert row["outlet"] == "'@Outlet"
    assert row["start"] == "0" and row["end"] == "17"
    buf = io.StringIO()
    write_text(store, "statements", "jsonl", buf)
    rec = json.loads(buf.getvalue())
    assert (rec["text"], rec["speaker"], rec["start"]) == ("=cmd|' /C calc'!A0", "-Mallory", 0)


def test_unknown_export_is_a_usage_error(store):
    with pytest.raises(
        UsageError,
        match="unknown export 'quotes'; choose one of: articles, statements, cues, terms, ",
    ):
        write_text(store, "quotes", "csv", io.StringIO())


def test_statement_content_leaves_out_the_attribution_inside_it(tmp_path):
    text = '"We will win…," Smith said on Monday, "and soon…" The rain went on…'
    smith, said, end = text.index("Smith"), text.index("said"), text.index('…" The') + 2
    direct = Statement(
        kind="direct",
        start=0,
        end=end,
        text=text[:end],
        speaker="Smith",
        speaker_start=smith,
        speaker_end=smith + 5,
        cue="said",
        cue_start=said,
        cue_end=said + 4,
    )
    plain = Statement(kind="indirect", start=end + 1, end=len(text), text=text[end + 1 :])
    s = open_store(tmp_path / "c.db")
    raw = RawArticle(source="c.txt", text=text, fmt="txt", meta={})
    s.write_article(
        "c1", raw, Extraction(statements=[direct, plain]), n_words=12, extractor_version="t"
    )
    buf = io.StringIO()
    write_text(s, "statements", "jsonl", buf)
    s.close()
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    # the pieces joined by an ellipsis, their own ellipses kept
    assert [r["content"] for r in rows] == ['"We will win…," … "and soon…"', "The rain went on…"]
    assert rows[0]["text"] == text[:end]  # the span as it stands in the article
