"""HTML reader: trafilatura main text and page metadata, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.ingest import IngestFailure, IngestOptions, Meta, RawArticle, parse_input
from claimgraph.ingest.base import GIVEN_HTML, INFERRED_TEXT
from claimgraph.ingest.html import declared_charset, declared_language

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "tianshannet_article.html"
OPTS = IngestOptions()
PARAS = (
    "<p>China on Monday rejected the claims in the report as lies, and a spokesman said the "
    "country would take countermeasures against those who spread them.</p>"
    "<p>The spokesman told reporters in Beijing that the region enjoyed stability and that "
    "foreign visitors were welcome to see the situation for themselves.</p>"
)


def _page(head: str = "", body: str = PARAS) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def test_fixture_page() -> None:
    [article] = parse_input(str(FIXTURE), FIXTURE.read_bytes(), OPTS)
    assert isinstance(article, RawArticle)
    assert article.fmt == "html"
    assert article.text.startswith(
        "Xinjiang officials refute allegations, welcome foreign visits\nBEIJING, Feb. 1 (Xinhua) -- "
    )
    assert "Copyright" not in article.text and "›" not in article.text
    assert article.meta == {
        "title": Meta("Xinjiang officials refute allegations, welcome foreign visits", GIVEN_HTML),
        "published": Meta("2021-02-02", GIVEN_HTML),
        "author": Meta("Li Ming", GIVEN_HTML),
        "url": Meta("https://www.ts.cn/xwzx/2021-02/02/content_1.htm", GIVEN_HTML),
        "outlet": Meta("Tianshannet", GIVEN_HTML),
        "language": Meta("en", GIVEN_HTML),
        "dateline": Meta("Beijing", INFERRED_TEXT),
        "agency": Meta("Xinhua", INFERRED_TEXT),
    }


def test_meta_charset_latin1_page() -> None:
    page = _page(
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        PARAS.replace("Monday", "Monday at the café “Élysée”"),
    )
    [article] = parse_input("p.htm", page.encode("cp1252"), OPTS)
    assert isinstance(article, RawArticle)
    assert "the café “Élysée”" in article.text


def test_no_url_no_date_without_markup() -> None:
    [article] = parse_input(
        "p.html", _page(body=PARAS + "<p>It was 8 July 2021.</p>").encode(), OPTS
    )
    assert isinstance(article, RawArticle)
    assert article.meta["published"] == Meta()
    assert article.meta["url"] == Meta()


def test_domain_site_name_is_not_an_outlet_name() -> None:
    head = '<link rel="canonical" href="https://www.presstv.ir/Detail/1.html">'
    body = PARAS + "<p>Press TV’s website can also be accessed at the following addresses.</p>"
    [article] = parse_input("p.html", _page(head, body).encode(), OPTS)
    assert isinstance(article, RawArticle)
    assert article.meta["outlet"] == Meta("Press TV", INFERRED_TEXT)


def test_domain_is_the_last_resort_outlet() -> None:
    head = '<link rel="canonical" href="https://www.cnsnews.com/article/1">'
    [article] = parse_input("p.html", _page(head).encode(), OPTS)
    assert isinstance(article, RawArticle)
    assert article.meta["outlet"] == Meta("cnsnews.com", GIVEN_HTML)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<html><body><div>", id="truncated"),
        pytest.param(b"<html><head><title>x</title></head><body></body></html>", id="no-body"),
        pytest.param(b"<!-- only a comment -->", id="comment"),
        pytest.param(b"<html><body><script>var a = 1;</script></body></html>", id="script-only"),
    ],
)
def test_no_article_text(data: bytes) -> None:
    assert parse_input("p.html", data, OPTS) == [
        IngestFailure("p.html", "no article text found in p.html (empty or not an article page)")
    ]


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        (b'<meta charset="windows-1252">', "windows-1252"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>", "ISO-8859-1"),
        (b'<?xml version="1.0" encoding="utf-8"?><html>', "utf-8"),
        (b"<html><body>no declaration</body></html>", None),
    ],
)
def test_declared_charset(data: bytes, charset: str | None) -> None:
    assert declared_charset(data) == charset


@pytest.mark.parametrize(
    ("markup", "lang"),
    [
        ('<html lang="en-US">', "en"),
        ("<html xmlns='x' lang=fr>", "fr"),
        ('<meta http-equiv="content-language" content="de">', "de"),
        ("<html>", None),
    ],
)
def test_declared_language(markup: str, lang: str | None) -> None:
    assert declared_language(markup) == lang
