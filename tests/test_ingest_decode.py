"""Charset decoding and the storage normalization (`clean_text`)."""

from __future__ import annotations

import codecs

import pytest

from claimgraph.errors import InputError
from claimgraph.ingest.decode import clean_text, decode, looks_binary

CAFE = "Le café de l’Élysée: “naïve” façade — 5 €"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("a\r\nb\rc", "a\nb\nc", id="crlf-and-cr-to-lf"),
        pytest.param("e\u0301te\u0301", "\u00e9t\u00e9", id="nfc-combining-accents"),
        pytest.param("a\x00b\x07c\td", "abc\td", id="nul-and-c0-removed-tab-kept"),
        pytest.param(
            "Xin\u200bjiang\u200d \u202aUS\u202c \u2066x\u2069",
            "Xinjiang US x",
            id="zero-width-bidi",
        ),
        pytest.param("\ufeffBOM inside", "BOM inside", id="stray-bom"),
        pytest.param("line  \t\nnext\u00a0\n", "line\nnext", id="trailing-spaces-per-line"),
        pytest.param("\n\n  \n Title\n\nBody\n\n \n", " Title\n\nBody", id="blank-lines-at-ends"),
        pytest.param("a\n\n\nb", "a\n\n\nb", id="inner-blank-lines-kept"),
        pytest.param("  indented", "  indented", id="leading-spaces-kept"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("data", "kwargs", "expected"),
    [
        pytest.param(codecs.BOM_UTF8 + CAFE.encode(), {}, CAFE, id="utf8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + CAFE.encode("utf-16-le"), {}, CAFE, id="utf16le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), {}, CAFE, id="utf16be-bom"),
        pytest.param(CAFE.encode(), {}, CAFE, id="utf8"),
        pytest.param(CAFE.encode("cp1252"), {}, CAFE, id="cp1252-detected"),
        pytest.param(
            "Le café est très bon à Paris".encode("latin-1"),
            {},
            "Le café est très bon à Paris",
            id="latin1-detected",
        ),
        pytest.param(
            CAFE.encode("cp1252"), {"declared": "iso-8859-1"}, CAFE, id="declared-latin1-is-cp1252"
        ),
        pytest.param("Привет".encode("koi8-r"), {"forced": "koi8-r"}, "Привет", id="forced"),
        pytest.param(
            "Привет, мир".encode("cp1251"),
            {"declared": "windows-1251"},
            "Привет, мир",
            id="declared",
        ),
        pytest.param(CAFE.encode(), {"declared": "no-such-charset"}, CAFE, id="bogus-declared"),
        pytest.param(
            CAFE.encode(), {"declared": "iso-8859-1"}, CAFE, id="utf8-mislabelled-as-latin1"
        ),
        pytest.param(
            CAFE.encode(), {"declared": "shift_jis"}, CAFE, id="wrong-declared-falls-back-to-utf8"
        ),
    ],
)
def test_decode(data: bytes, kwargs: dict[str, str], expected: str) -> None:
    assert decode(data, "a.txt", **kwargs) == expected


@pytest.mark.parametrize(
    ("data", "kwargs", "reason"),
    [
        pytest.param(
            b"PK\x03\x04\x00\x00binary",
            {},
            "a.txt looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file",
            id="nul-bytes",
        ),
        pytest.param(
            bytes(range(1, 32)) * 4,
            {},
            "a.txt looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file",
            id="mostly-control-bytes",
        ),
        pytest.param(
            bytes(range(0x80, 0x100)),
            {},
            "a.txt is not valid text in any detected encoding; "
            "pass --encoding or convert it to UTF-8",
            id="undecodable",
        ),
        pytest.param(
            "é".encode("latin-1"),
            {"forced": "utf-8"},
            "a.txt is not valid utf-8 text; check --encoding",
            id="forced-wrong",
        ),
        pytest.param(
            b"x",
            {"forced": "klingon"},
            "unknown encoding 'klingon'; pass --encoding with a name like cp1252",
            id="forced-unknown",
        ),
        pytest.param(
            codecs.BOM_UTF8 + b"\xff\xfe broken",
            {},
            "a.txt has a utf-8 byte-order mark but is not valid utf-8",
            id="bom-but-invalid",
        ),
    ],
)
def test_decode_failures(data: bytes, kwargs: dict[str, str], reason: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "a.txt", **kwargs)
    assert str(info.value) == reason


def test_stdin_is_named_stdin() -> None:
    with pytest.raises(InputError, match="^stdin looks like binary"):
        decode(b"\x00\x01", "-")


@pytest.mark.parametrize(
    ("data", "binary"),
    [(b"plain text\n\twith tab\r\n", False), (b"a\x00b", True), (b"\x1b[0mcolored\x1b[0m", False)],
)
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary
