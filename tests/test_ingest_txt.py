"""Plain-text reader: title detection, and what the stored text is."""

from __future__ import annotations

import pytest

from claimgraph.ingest import IngestFailure, IngestOptions, RawArticle, parse_input
from claimgraph.ingest.base import INFERRED_TEXT
from claimgraph.ingest.txt import find_title, looks_like_title

BODY = "\n\nThe spokesman said the claims were lies. He spoke at a briefing on Monday."


@pytest.mark.parametrize(
    ("first", "title"),
    [
        pytest.param(
            "Xinjiang officials refute allegations, welcome foreign visits",
            "Xinjiang officials refute allegations, welcome foreign visits",
            id="headline",
        ),
        pytest.param(
            "After Widely-Criticized Visit by UN Rights Chief, State Dept. Again Accuses China of "
            "‘Genocide’",
            "After Widely-Criticized Visit by UN Rights Chief, State Dept. Again Accuses China of "
            "‘Genocide’",
            id="headline-ending-in-curly-quote-with-inner-abbreviation",
        ),
        pytest.param(
            "Is China committing genocide?", "Is China committing genocide?", id="question"
        ),
        pytest.param(
            "US sanctions Chinese officials (VIDEO)",
            "US sanctions Chinese officials (VIDEO)",
            id="tag",
        ),
        pytest.param("The spokesman said the claims were lies.", None, id="sentence-with-period"),
        pytest.param("the ministry hit back at the report", None, id="lowercase-start"),
        pytest.param(
            "BEIJING, Feb. 1 (Xinhua) -- A senior official said", None, id="xinhua-dateline"
        ),
        pytest.param(
            "WASHINGTON (Reuters) - The State Department said", None, id="reuters-dateline"
        ),
        pytest.param(
            " date 2021-07-08 Beijing [China], July 8 (ANI): The US", None, id="ani-date-line"
        ),
        pytest.param("Published: July 8, 2021", None, id="date-line"),
        pytest.param("By Patrick Goodenough", None, id="byline"),
        pytest.param("Xinjiang", None, id="one-word"),
        pytest.param("China responds:", None, id="ends-with-colon"),
        pytest.param(" ".join(["word"] * 26), None, id="too-many-words"),
        pytest.param("Long " + "x" * 200 + " headline", None, id="too-long"),
        pytest.param("2021 — 08 — 09", None, id="no-letters"),
    ],
)
def test_first_line_title(first: str, title: str | None) -> None:
    assert find_title(first + BODY) == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        pytest.param(
            "News   /   China   /   Editor's Choice\n\nForeign ministry: US uses human rights to "
            "concoct lies\n\nBody text here.",
            "Foreign ministry: US uses human rights to concoct lies",
            id="presstv-breadcrumb-then-title",
        ),
        pytest.param(
            "TIANSHANNET   ›   News   ›   Xinjiang News\n\nXinjiang officials refute allegations\n\nBody.",
            "Xinjiang officials refute allegations",
            id="tianshannet-breadcrumb-then-title",
        ),
        pytest.param(
            "Home » World » Asia\nthe second line is body text, not a title.\nMore.",
            None,
            id="breadcrumb-then-body",
        ),
        pytest.param("Home | World | Asia\nA title alone", None, id="breadcrumb-then-last-line"),
        pytest.param("Just one line that could be a title", None, id="nothing-after-title"),
    ],
)
def test_breadcrumb_title(text: str, title: str | None) -> None:
    assert find_title(text) == title


def test_breadcrumb_is_not_a_title() -> None:
    assert not looks_like_title("News / China / Editor's Choice")


def _read(data: bytes, name: str = "a.txt") -> list[RawArticle | IngestFailure]:
    return parse_input(name, data, IngestOptions())


def test_text_is_whole_cleaned_file_with_title_line() -> None:
    data = "\ufeffHeadline of the day here\r\n\r\nBody   \r\nmore\r\n\r\n".encode()
    [article] = _read(data)
    assert isinstance(article, RawArticle)
    assert article.text == "Headline of the day here\n\nBody\nmore"
    assert article.fmt == "txt"
    assert article.source == "a.txt"
    assert article.meta["title"].value == "Headline of the day here"
    assert article.meta["title"].provenance == INFERRED_TEXT
    assert article.text.startswith(article.meta["title"].value)


def test_cp1252_file_decodes() -> None:
    data = "Café owners “protest” in Ürümqi today\n\nThe café’s owner said so.".encode("cp1252")
    [article] = _read(data)
    assert isinstance(article, RawArticle)
    assert article.text == "Café owners “protest” in Ürümqi today\n\nThe café’s owner said so."


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        pytest.param(b"", "a.txt", "a.txt is empty", id="empty"),
        pytest.param(b" \n\t\r\n ", "a.txt", "a.txt contains only whitespace", id="whitespace"),
        pytest.param(
            "\u200b\u200b\n".encode(),
            "a.txt",
            "a.txt contains only whitespace",
            id="only-zero-width",
        ),
        pytest.param(b"", "-", "stdin is empty", id="empty-stdin"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "a.txt",
            "a.txt looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file",
            id="binary",
        ),
        pytest.param(
            bytes(range(0x80, 0x100)),
            "a.txt",
            "a.txt is not valid text in any detected encoding; pass --encoding or convert it to UTF-8",
            id="undecodable",
        ),
    ],
)
def test_txt_failures(data: bytes, name: str, reason: str) -> None:
    assert _read(data, name) == [IngestFailure(name, reason)]


def test_over_max_chars() -> None:
    results = parse_input("a.txt", b"x" * 101, IngestOptions(max_chars=100))
    assert results == [
        IngestFailure(
            "a.txt",
            "a.txt: text is 101 characters, over the 100-character limit; pass --max-chars to raise it",
        )
    ]


def test_forced_encoding_option() -> None:
    [article] = parse_input(
        "a.txt", "Привет мир".encode("koi8-r"), IngestOptions(encoding="koi8-r")
    )
    assert isinstance(article, RawArticle)
    assert article.text == "Привет мир"
