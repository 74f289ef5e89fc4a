"""Records that the readers produce: one `RawArticle` per article, one `IngestFailure` per
input (file or record) that could not be read. Readers never raise for bad input; they
return a failure with the source and a reason that says what to do."""

from __future__ import annotations

from dataclasses import dataclass, field

# Provenance of a metadata field: where its value came from.
GIVEN_HTML = "given:html"  # HTML meta tags / trafilatura metadata
GIVEN_RECORD = "given:record"  # a field of a JSONL/JSON/CSV record
GIVEN_SIDECAR = "given:sidecar"  # NAME.meta.json next to the file
GIVEN_OUTLETS = "given:outlets"  # --outlets CSV mapping domain -> outlet
GIVEN_WARC = "given:warc"  # WARC record headers (target URI, date)
INFERRED_TEXT = "inferred:text"  # read from the article text itself
# An article no input names the outlet of stands apart under a label of its own, never pooled
# with other unnamed ones: its site (the URL's domain) when it has a URL, else its source.
UNNAMED_URL = "unnamed:url"
UNNAMED_SOURCE = "unnamed:source"
UNNAMED_PREFIX = "unnamed source: "
NONE = "none"

META_FIELDS = (
    "title",
    "outlet",
    "published",
    "dateline",
    "agency",
    "language",
    "author",
    "url",
)


@dataclass(frozen=True)
class Meta:
    """One metadata value with its provenance."""

    value: str | None = None
    provenance: str = NONE

    @property
    def given(self) -> bool:
        return self.provenance.startswith("given:")


@dataclass
class RawArticle:
    """An article as read from its input, before any NLP.

    `source` is the input path as given (``-`` for stdin), or ``path#N`` for the N-th record of
    a JSONL/JSON/CSV/WARC file (1-based), or the record's URL when a WARC record has one.
    """

    source: str
    text: str
    fmt: str
    meta: dict[str, Meta] = field(default_factory=dict)
    # Outlet details from an --outlets mapping (country, type) or a record.
    outlet_info: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        m = self.meta.get(name)
        return m.value if m else None


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not be read, with a reason that says what to do."""

    source: str
    reason: str


@dataclass(frozen=True)
class IngestOptions:
    """Options of the readers. Defaults match Media Cloud story exports."""

    text_field: str = "text"
    title_field: str = "title"
    url_field: str = "url"
    outlet_field: str = "media_name"
    date_field: str = "publish_date"
    encoding: str | None = None  # force a charset; None = declared, then detected
    max_bytes: int = 20 * 1024 * 1024  # per input file
    # Per article text; spaCy refuses longer texts (its max_length) and extraction time grows
    # with the length (see ingest/limits.py).
    max_chars: int = 1_000_000
    max_quotes: int = 5_000  # quote marks per article (ingest/limits.py)
    # Seconds to read and parse one input file before it is abandoned as failed; None = no
    # limit. Parsing then runs in a child process that can be killed (pipeline.py).
    file_timeout: float | None = 300.0
    fmt: str | None = None  # force a format (txt, html, jsonl, json, csv, warc)


def source_name(source: str) -> str:
    """The file name of a source: ``/in/003_x.txt`` -> ``003_x.txt``, ``recs.jsonl#3`` stays,
    a URL gives its last part."""
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def article_label(title: str | None, source: str | None, article_id: str) -> str:
    """What every view calls an article: its title, else its file's name (``recs.jsonl#3``,
    the last part of a URL), its id only when it has neither."""
    if title and title.strip():
        return title
    if source:
        return source_name(source)
    return article_id
