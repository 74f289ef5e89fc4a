"""Property tests: readers never raise on arbitrary input; normalization and ids are stable."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.ingest import (
    FORMATS,
    IngestFailure,
    IngestOptions,
    RawArticle,
    article_id,
    parse_input,
)
from claimgraph.ingest.decode import clean_text

OPTS = IngestOptions()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = {
    "txt": "a.txt",
    "html": "a.html",
    "jsonl": "a.jsonl",
    "json": "a.json",
    "csv": "a.csv",
    "warc": "a.warc",
}

# Bytes that look a little like each format, so the fuzzing reaches past the first check.
_PREFIXES = st.sampled_from(
    [
        b"",
        b"<html><body><p>",
        b'{"text": "',
        b"text,title\n",
        b"WARC/1.0\r\n",
        b"\x1f\x8b\x08",
        b"\xef\xbb\xbf",
    ]
)
ARBITRARY = st.builds(lambda p, b: p + b, _PREFIXES, st.binary(max_size=400))


def _check(results: list[RawArticle | IngestFailure]) -> None:
    assert results
    for result in results:
        assert isinstance(result, RawArticle | IngestFailure)
        if isinstance(result, RawArticle):
            assert result.text.strip()
            assert clean_text(result.text) == result.text
        else:
            assert result.reason


@FAST
@given(data=ARBITRARY, fmt=st.sampled_from(FORMATS))
def test_parse_input_never_raises(data: bytes, fmt: str) -> None:
    _check(parse_input(NAMES[fmt], data, OPTS))


@FAST
@given(text=st.text(max_size=300), fmt=st.sampled_from(["txt", "html", "csv"]))
def test_parse_input_text_never_raises(text: str, fmt: str) -> None:
    _check(parse_input(NAMES[fmt], text.encode("utf-8", "surrogatepass"), OPTS))


@FAST
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(["text", "title", "url", "media_name", "publish_date", "language"]),
            st.one_of(
                st.none(), st.integers(), st.text(max_size=40), st.lists(st.integers(), max_size=2)
            ),
        ),
        max_size=4,
    )
)
def test_jsonl_records_never_raise(records: list[dict[str, object]]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode()
    _check(parse_input("a.jsonl", data, OPTS))


@given(st.text())
def test_clean_text_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\r" not in once and "\x00" not in once and "\u200b" not in once


_WS = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", " \n ", "\u00a0"])


@given(
    words=st.lists(
        st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8),
        min_size=1,
        max_size=20,
    ),
    data=st.data(),
)
def test_article_id_stable_under_whitespace(words: list[str], data: st.DataObject) -> None:
    plain = " ".join(words)
    spaced = "".join(w + data.draw(_WS) for w in words)
    assert article_id(plain) == article_id(spaced)
    assert article_id(clean_text(spaced)) == article_id(plain)


def test_identity_key_keeps_exactly_the_letters_and_digits_of_every_code_point() -> None:
    """The identity key keeps what ``str.isalnum`` keeps, for every code point (article ids
    in existing stores depend on it), and text made of them all reduces as char by char."""
    import sys
    import unicodedata

    from claimgraph.ingest.ident import identity_key

    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    folded = unicodedata.normalize("NFKC", chars).casefold()
    assert identity_key(chars) == "".join(c for c in folded if c.isalnum())
    assert identity_key("Xinjiang_camps: “re-education”, 2019!") == "xinjiangcampsreeducation2019"
