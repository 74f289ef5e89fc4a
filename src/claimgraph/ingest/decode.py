"""Bytes to clean text: charset decoding and the one text normalization every reader uses.

Decoding order: a byte-order mark; then a forced encoding (``--encoding``); then the charset the
input declares (HTML ``<meta charset>``, the HTTP header of a WARC record), except that bytes
which are valid UTF-8 and declared as a single-byte charset are read as UTF-8 (a mislabelled
page; real Latin-1 text is practically never valid UTF-8); then UTF-8; then detection. Detection prefers Windows-1252 (a superset of Latin-1's printable range) when the
bytes decode under it to text that reads like Latin-script prose, and otherwise trusts
charset-normalizer. Declared ``iso-8859-1``/``us-ascii`` are read as Windows-1252, as browsers do.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from charset_normalizer import from_bytes

from claimgraph.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels mean windows-1252 on the web.
_WEB_ALIASES = {"latin_1": "cp1252", "ascii": "cp1252", "iso8859_1": "cp1252"}
# Bytes that are not text: C0 controls other than tab, newlines, form feed, escape.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_SNIFF = 4096

# NUL and C0 controls except \t and \n; zero-width and bidi controls; BOM.
_STRIP_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]",
)
_TRAILING_WS_RE = re.compile(r"[^\S\n]+$", re.MULTILINE)


def clean_text(text: str) -> str:
    """Normalize text for storage; offsets of every later stage are into this text.

    ``\\r\\n`` and ``\\r`` become ``\\n``; NUL, C0 controls (other than ``\\n`` and ``\\t``),
    zero-width and bidi control characters are removed; the text is put in NFC; trailing
    whitespace is stripped from each line, and blank lines from both ends. Idempotent.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _STRIP_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_WS_RE.sub("", text)
    return text.strip("\n")


def display(path: str) -> str:
    """How an input is named in messages."""
    return "stdin" if path == "-" else path


def codec_name(label: str, *, web: bool = False) -> str | None:
    """Python codec for a charset label, or None if unknown. ``web`` applies browser aliases."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except (LookupError, ValueError):
        return None
    return _WEB_ALIASES.get(name, name) if web else name


def looks_binary(data: bytes) -> bool:
    """True for NUL bytes or a start made mostly (over 10%) of control bytes."""
    if b"\x00" in data:
        return True
    head = data[:_SNIFF]
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    return controls * 10 > len(head)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


@functools.lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """A codec that maps each byte to one character (cp1252, latin-1, koi8-r, ...)."""
    try:
        return len(bytes(range(0x80, 0x100)).decode(codec, errors="replace")) == 128
    except LookupError:
        return False


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _latin_prose(text: str) -> bool:
    """Decoded text whose letters are mostly ASCII: Western text, not mis-decoded CJK/Cyrillic."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    ascii_letters = sum(1 for c in letters if c.isascii())
    return ascii_letters >= 0.7 * len(letters)


def _detect(data: bytes) -> str | None:
    for codec in ("cp1252", "latin_1"):
        text = _try(data, codec)
        if text is not None and _latin_prose(text):
            return text
    best = from_bytes(data).best()
    if best is None:
        return None
    return _try(data, best.encoding)


def decode(
    data: bytes, source: str, *, forced: str | None = None, declared: str | None = None
) -> str:
    """Decode input bytes to text (not yet cleaned). Raises InputError with what to do."""
    name = display(source)
    bom = _bom(data)
    if bom is not None:
        text = _try(data[bom[1] :], bom[0])
        if text is None:
            raise InputError(f"{name} has a {bom[0]} byte-order mark but is not valid {bom[0]}")
        return text
    if looks_binary(data):
        raise InputError(
            f"{name} looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file"
        )
    if forced:
        codec = codec_name(forced)
        if codec is None:
            raise InputError(
                f"unknown encoding {forced!r}; pass --encoding with a name like cp1252"
            )
        text = _try(data, codec)
        if text is None:
            raise InputError(f"{name} is not valid {forced} text; check --encoding")
        return text
    codec = codec_name(declared, web=True) if declared else None
    if codec and _single_byte(codec) and (text := _try(data, "utf_8")) is not None:
        return text  # valid UTF-8 mislabelled as Latin-1 & co. (common on the web)
    for candidate in (codec, "utf_8"):
        text = _try(data, candidate) if candidate else None
        if text is not None:
            return text
    if codec == "cp1252" and (text := _try(data, "latin_1")) is not None:
        return text
    text = _detect(data)
    if text is None:
        raise InputError(
            f"{name} is not valid text in any detected encoding; "
            "pass --encoding or convert it to UTF-8"
        )
    return text
