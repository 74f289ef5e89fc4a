"""JSONL / JSON / CSV record readers (defaults: a Media Cloud story export)."""

from __future__ import annotations

import json

import pytest

from claimgraph.ingest import IngestFailure, IngestOptions, Meta, RawArticle, parse_input
from claimgraph.ingest.base import GIVEN_RECORD, INFERRED_TEXT

STORY = {
    "stories_id": 1,
    "text": "BEIJING, Feb. 1 (Xinhua) -- A senior official said the claims were lies.",
    "title": "Xinjiang officials refute allegations",
    "url": "https://www.ts.cn/a.htm",
    "media_name": "Tianshannet",
    "publish_date": "2021-02-01 10:32:00.123456",
    "language": "en",
    "author": "Li Ming",
}
OPTS = IngestOptions()


def _jsonl(*lines: object) -> bytes:
    return "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()


def test_media_cloud_record_fields() -> None:
    [article] = parse_input("s.jsonl", _jsonl(STORY), OPTS)
    assert isinstance(article, RawArticle)
    assert article.source == "s.jsonl#1"
    assert article.fmt == "jsonl"
    assert article.text == STORY["text"]
    assert {k: m for k, m in article.meta.items() if m.provenance == GIVEN_RECORD} == {
        "title": Meta("Xinjiang officials refute allegations", GIVEN_RECORD),
        "url": Meta("https://www.ts.cn/a.htm", GIVEN_RECORD),
        "outlet": Meta("Tianshannet", GIVEN_RECORD),
        "published": Meta("2021-02-01", GIVEN_RECORD),
        "language": Meta("en", GIVEN_RECORD),
        "author": Meta("Li Ming", GIVEN_RECORD),
    }
    assert article.meta["agency"] == Meta("Xinhua", INFERRED_TEXT)


def test_custom_field_names() -> None:
    opts = IngestOptions(text_field="body", title_field="headline", outlet_field="source")
    record = {"body": "Some story text here.", "headline": "A headline", "source": "CNSNews"}
    [article] = parse_input("s.jsonl", _jsonl(record), opts)
    assert isinstance(article, RawArticle)
    assert (article.get("title"), article.get("outlet")) == ("A headline", "CNSNews")


def test_jsonl_broken_line_fails_alone() -> None:
    data = _jsonl(STORY, '{"text": "unterminated', "", STORY, "[1, 2]")
    results = parse_input("s.ndjson", data, OPTS)
    assert [r.source for r in results] == ["s.ndjson#1", "s.ndjson#2", "s.ndjson#4", "s.ndjson#5"]
    assert results[1] == IngestFailure(
        "s.ndjson#2", "line 2: invalid JSON: Unterminated string starting at (column 10)"
    )
    assert isinstance(results[2], RawArticle)
    assert results[3] == IngestFailure("s.ndjson#5", "line 5: expected a JSON object, got a list")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        pytest.param(
            {"title": "x"}, 'record 1 has no "text" field; pass --text-field', id="missing"
        ),
        pytest.param({"text": None}, 'record 1 has no "text" field; pass --text-field', id="null"),
        pytest.param({"text": "  \n "}, 'record 1 has an empty "text" field', id="blank"),
        pytest.param(
            {"text": ["a"]},
            'record 1: "text" is list, not text; pass --text-field',
            id="not-a-string",
        ),
    ],
)
def test_record_text_failures(record: dict[str, object], reason: str) -> None:
    assert parse_input("s.jsonl", _jsonl(record), OPTS) == [IngestFailure("s.jsonl#1", reason)]


@pytest.mark.parametrize(
    "document",
    [
        pytest.param([STORY, {"title": "no text"}, STORY], id="list"),
        pytest.param(
            {"stories": [STORY, {"title": "no text"}, STORY], "count": 3}, id="stories-wrapper"
        ),
    ],
)
def test_json_record_lists(document: object) -> None:
    results = parse_input("s.json", json.dumps(document).encode(), OPTS)
    assert [type(r).__name__ for r in results] == ["RawArticle", "IngestFailure", "RawArticle"]
    assert results[1] == IngestFailure(
        "s.json#2", 'record 2 has no "text" field; pass --text-field'
    )
    assert results[2].source == "s.json#3"


def test_json_single_object() -> None:
    [article] = parse_input("s.json", json.dumps(STORY).encode(), OPTS)
    assert isinstance(article, RawArticle)
    assert article.source == "s.json#1"
    assert article.fmt == "json"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(
            b"{not json",
            "s.json is not valid JSON: Expecting property name enclosed in double quotes (line 1 column 2)",
            id="invalid",
        ),
        pytest.param(b"[]", "s.json has no records", id="empty-list"),
        pytest.param(
            b'{"a": 1}',
            's.json holds an object without a "text" field or a list of records; '
            "pass --text-field or give a list of objects",
            id="object-without-records",
        ),
        pytest.param(
            b'"just a string"',
            's.json holds a string without a "text" field or a list of records; '
            "pass --text-field or give a list of objects",
            id="scalar",
        ),
    ],
)
def test_json_failures(data: bytes, reason: str) -> None:
    assert parse_input("s.json", data, OPTS) == [IngestFailure("s.json", reason)]


def test_json_non_object_record() -> None:
    assert parse_input("s.json", b"[3]", OPTS) == [
        IngestFailure("s.json#1", "record 1 is a number, not an object")
    ]


def test_csv_records_with_multiline_and_large_fields() -> None:
    big = "word " * 40_000  # over the csv module's default 131,072-character field limit
    data = (
        "stories_id,title,text,media_name,publish_date\r\n"
        '1,First,"Line one.\r\nLine two, with comma.",Press TV,2021-07-08\r\n'
        f'2,Second,"{big}",ANI,\r\n'
        "3,Third,,ANI,\r\n"
    ).encode("cp1252")
    results = parse_input("s.csv", data, OPTS)
    first, second, third = results
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert first.text == "Line one.\nLine two, with comma."
    assert (first.source, first.fmt, first.get("outlet"), first.get("published")) == (
        "s.csv#1",
        "csv",
        "Press TV",
        "2021-07-08",
    )
    assert len(second.text) == len(big.rstrip())
    assert third == IngestFailure("s.csv#3", 'record 3 has an empty "text" field')


def test_csv_short_row() -> None:
    results = parse_input("s.csv", b"title,text\nonly title\nT,Body text.\n", OPTS)
    assert results[0] == IngestFailure("s.csv#1", 'record 1 has no "text" field; pass --text-field')
    assert isinstance(results[1], RawArticle)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(
            b"headline,body\nA,B\n",
            's.csv has no "text" column (columns: headline, body); pass --text-field',
            id="no-text-column",
        ),
        pytest.param(b"text\n", "s.csv has no records", id="header-only"),
    ],
)
def test_csv_failures(data: bytes, reason: str) -> None:
    assert parse_input("s.csv", data, OPTS) == [IngestFailure("s.csv", reason)]


def test_over_max_chars_fails_one_record() -> None:
    data = _jsonl({"text": "short"}, {"text": "x" * 11})
    results = parse_input("s.jsonl", data, IngestOptions(max_chars=10))
    assert isinstance(results[0], RawArticle)
    assert results[1] == IngestFailure(
        "s.jsonl#2",
        "s.jsonl#2: text is 11 characters, over the 10-character limit; pass --max-chars to raise it",
    )
