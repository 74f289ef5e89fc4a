"""A statement whose reporting verb is negated ("Wang did not disclose the names …") is what the
speaker did *not* say: both stores read the characters before its cue (``cue_lead``), and the
exports, the API's statement pages and the report's pages flag it as ``negated``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claimgraph.extract.records import Extraction, Statement
from claimgraph.extract.verbs import CUE_LEAD, negated_cue
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.present.export import write_text
from claimgraph.present.report import build_report
from claimgraph.store import open_store

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures

TEXT = (
    "Wang never said so. Foreign Ministry spokesman Wang Wenbin did not disclose the names of "
    "the officials. Wang said the move was lawful. He hasn't publicly named them."
)


def _statement(cue: str, content: str, occurrence: int = 0) -> Statement:
    cue_start = TEXT.index(cue)
    for _ in range(occurrence):
        cue_start = TEXT.index(cue, cue_start + 1)
    start = TEXT.index(content)
    return Statement(
        kind="indirect",
        start=start,
        end=start + len(content),
        text=content,
        speaker="Wang Wenbin",
        cue=cue,
        cue_start=cue_start,
        cue_end=cue_start + len(cue),
        cue_class="neutral",
    )


STATEMENTS = [
    _statement("said", "so"),  # cue at 11: fewer than CUE_LEAD characters before it
    _statement("disclose", "the names of the officials"),  # cue past CUE_LEAD characters
    _statement("said", "the move was lawful", occurrence=1),
    _statement("named", "them"),
]
NEGATED = [True, True, False, True]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = str(tmp_path / "x.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = open_store(url)
    raw = RawArticle(
        source="wang.txt", text=TEXT, fmt="txt", meta={"title": Meta("Visas", GIVEN_RECORD)}
    )
    s.write_article("a1", raw, Extraction(statements=STATEMENTS), n_words=30, extractor_version="t")
    yield s
    s.close()


def test_both_stores_read_the_characters_before_each_cue(store):
    rows = list(store.statements())
    assert [r["cue_start"] for r in rows] == [st.cue_start for st in STATEMENTS]
    assert STATEMENTS[0].cue_start < CUE_LEAD < STATEMENTS[1].cue_start
    for r in rows:
        start = r["cue_start"]
        assert r["cue_lead"] == TEXT[max(0, start - CUE_LEAD) : start]
    assert [negated_cue(TEXT, r) for r in rows] == NEGATED


def test_exports_flag_negated_statements(store):
    buf = io.StringIO()
    write_text(store, "statements", "jsonl", buf)
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert [r["negated"] for r in records] == NEGATED
    assert all("cue_lead" not in r for r in records)  # only the listed columns go out
    buf = io.StringIO()
    write_text(store, "statements", "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["negated"] for r in rows] == [str(n) for n in NEGATED]


def test_statement_pages_and_article_detail_flag_them(store):
    page = store.statement_page(speaker="Wang Wenbin", limit=10)
    assert [s["negated"] for s in page["items"]] == NEGATED
    assert all("cue_lead" not in s for s in page["items"])
    detail = store.article_detail("a1")
    assert [s["negated"] for s in detail["statements"]] == NEGATED


def test_report_pages_mark_negated_statements(tmp_path):
    s = open_store(tmp_path / "x.db")
    raw = RawArticle(source="wang.txt", text=TEXT, fmt="txt", meta={})
    s.write_article("a1", raw, Extraction(statements=STATEMENTS), n_words=30, extractor_version="t")
    out = build_report(s, tmp_path / "site", n_boot=20).out_dir
    s.close()
    (article,) = (out / "article").glob("*.html")
    (speaker,) = (out / "speaker").glob("wang-wenbin*.html")
    # the article page shows every statement, the negated ones marked so; the speaker's page
    # only what the speaker said (a negated report is nobody's voice)
    rows = article.read_text(encoding="utf-8").split('class="statement"')[1:]
    assert len(rows) == len(STATEMENTS)
    assert ['class="small negated"' in row for row in rows] == NEGATED
    rows = speaker.read_text(encoding="utf-8").split('class="statement"')[1:]
    assert len(rows) == NEGATED.count(False)
    assert not any('class="small negated"' in row for row in rows)
