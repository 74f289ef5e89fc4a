"""WARC reader, on WARC files built here with warcio's own writer."""

from __future__ import annotations

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimgraph.ingest import IngestFailure, IngestOptions, Meta, RawArticle, parse_input
from claimgraph.ingest.base import GIVEN_HTML, GIVEN_WARC
from claimgraph.ingest.warc import gzip_break

OPTS = IngestOptions()
BODY = (
    "<p>China on Monday rejected the claims in the report as lies, and a spokesman said the "
    "country would take countermeasures against those who spread them.</p>"
    "<p>The spokesman told reporters in Beijing that the region enjoyed stability and that "
    "foreign visitors were welcome to see the situation for themselves.</p>"
)


def page(n: int, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body><article><p>Story {n}.</p>{BODY}</article></body></html>".encode()


def build(records: list[tuple[str, str, bytes, str, str]], *, gz: bool) -> bytes:
    """(record type, uri, payload, content type, http status) -> WARC bytes."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for rec_type, uri, payload, ctype, status in records:
        http = None
        if rec_type == "response":
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            rec_type,
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2022-06-16T08:00:00Z"},
            warc_content_type=ctype if rec_type == "resource" else None,
        )
        writer.write_record(record)
    return out.getvalue()


def three_pages(gz: bool) -> bytes:
    return build(
        [
            ("response", "https://ex.com/1", page(1), "text/html; charset=utf-8", "200 OK"),
            ("request", "https://ex.com/2", b"GET /2 HTTP/1.1\r\n\r\n", "", ""),
            ("response", "https://ex.com/img.png", b"\x89PNG\x00", "image/png", "200 OK"),
            ("response", "https://ex.com/old", b"<html>moved</html>", "text/html", "301 Moved"),
            (
                "response",
                "https://ex.com/2",
                page(2, '<meta property="article:published_time" content="2021-07-08">'),
                "text/html",
                "200 OK",
            ),
            ("response", "https://ex.com/3", page(3), "text/html", "200 OK"),
        ],
        gz=gz,
    )


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_are_articles(gz: bool) -> None:
    name = "crawl.warc.gz" if gz else "crawl.warc"
    results = parse_input(name, three_pages(gz), OPTS)
    assert [r.source for r in results] == [
        "https://ex.com/1",
        "https://ex.com/2",
        "https://ex.com/3",
    ]
    first, second = results[0], results[1]
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert first.fmt == "warc"
    assert first.text.startswith("Story 1.\nChina on Monday")
    assert first.meta["url"] == Meta("https://ex.com/1", GIVEN_WARC)
    assert first.meta["published"] == Meta("2022-06-16", GIVEN_WARC)
    assert second.meta["published"] == Meta("2021-07-08", GIVEN_HTML)


def test_charset_from_http_header() -> None:
    html = page(1).replace(b"Story 1.", "Caf\u00e9 \u201cstory\u201d.".encode("cp1252"))
    data = build(
        [("response", "https://ex.com/1", html, "text/html; charset=windows-1252", "200 OK")],
        gz=False,
    )
    [article] = parse_input("c.warc", data, OPTS)
    assert isinstance(article, RawArticle)
    assert article.text.startswith("Caf\u00e9 \u201cstory\u201d.")


def test_resource_and_text_records() -> None:
    data = build(
        [
            ("resource", "file:///a.html", page(1), "text/html", ""),
            ("response", "https://ex.com/t.txt", b"Plain text story body.", "text/plain", "200 OK"),
        ],
        gz=True,
    )
    results = parse_input("c.warc.gz", data, OPTS)
    assert [(r.source, type(r).__name__) for r in results] == [
        ("file:///a.html", "RawArticle"),
        ("https://ex.com/t.txt", "RawArticle"),
    ]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_truncated_record_keeps_earlier_articles(gz: bool) -> None:
    data = three_pages(gz)
    results = parse_input("c.warc", data[: len(data) - 40], OPTS)
    assert [r.source for r in results] == [
        "https://ex.com/1",
        "https://ex.com/2",
        "https://ex.com/3",
    ]
    assert all(isinstance(r, RawArticle) for r in results[:2])
    broken = results[2]
    assert isinstance(broken, IngestFailure)
    assert broken.reason.startswith("record 7: broken WARC record (")
    assert broken.reason.endswith("); the records before it were read")


def test_truncated_gzip_in_the_middle() -> None:
    data = three_pages(True)
    results = parse_input("c.warc.gz", data[: len(data) // 2], OPTS)
    assert isinstance(results[0], RawArticle)
    assert isinstance(results[-1], IngestFailure)
    assert results[-1].reason.endswith(
        "broken WARC record (truncated or corrupt gzip data); the records before it were read"
    )


def test_garbage_after_records() -> None:
    data = three_pages(False) + b"THIS IS NOT A WARC RECORD\r\n\r\n"
    results = parse_input("c.warc", data, OPTS)
    assert [type(r).__name__ for r in results] == ["RawArticle"] * 3 + ["IngestFailure"]
    assert results[3].source == "c.warc#8"
    assert results[3].reason.startswith("record 8: broken WARC record (")


@pytest.mark.parametrize(
    ("data", "reason_start"),
    [
        pytest.param(
            b"hello, this is not a WARC file", "c.warc is not a WARC file (", id="not-warc"
        ),
        pytest.param(
            build([("request", "https://ex.com/", b"GET / HTTP/1.1\r\n\r\n", "", "")], gz=False),
            "c.warc has no HTML or text response records",
            id="no-responses",
        ),
    ],
)
def test_warc_file_failures(data: bytes, reason_start: str) -> None:
    [failure] = parse_input("c.warc", data, OPTS)
    assert isinstance(failure, IngestFailure)
    assert failure.source == "c.warc"
    assert failure.reason.startswith(reason_start)


def test_non_article_page_fails_alone() -> None:
    data = build(
        [
            (
                "response",
                "https://ex.com/empty",
                b"<html><body></body></html>",
                "text/html",
                "200 OK",
            ),
            ("response", "https://ex.com/1", page(1), "text/html", "200 OK"),
        ],
        gz=False,
    )
    first, second = parse_input("c.warc", data, OPTS)
    assert first == IngestFailure(
        "https://ex.com/empty",
        "no article text found in https://ex.com/empty (empty or not an article page)",
    )
    assert isinstance(second, RawArticle)


def test_gzip_break() -> None:
    data = three_pages(True)
    assert gzip_break(data) is None
    assert gzip_break(three_pages(False)) is None
    assert gzip_break(data[:-5]) is not None
