"""What the fuzzers check, shared by the atheris harnesses (`fuzz/run.py`, `make fuzz`) and the
short hypothesis runs in `make test` (tests/test_fuzz.py).

A reader passes when it returns, for any bytes, a non-empty list of articles (non-empty, clean
text) and failures (a source and a reason), and raises nothing. The extractor passes when, for
any text that `parse_input` would let through (within --max-chars, --max-quotes and the symbol
run limit), it raises nothing and every offset it gives points into the text: a statement's or
cue's text is exactly ``text[start:end]``, speaker and cue-verb spans lie inside the text.

Seeds are real files: the five articles in ../shared/seeds and examples/corpus, turned into each
input format by `seed_inputs` (a CSV, a JSON list and a WARC are built from them at run time;
nothing from ../shared is written into the repository).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from claimgraph.ingest import FORMATS, IngestFailure, IngestOptions, RawArticle, parse_input
from claimgraph.ingest.decode import clean_text
from claimgraph.ingest.limits import check_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
CORPUS = REPO / "examples" / "corpus"
OPTIONS = IngestOptions()
NAMES = {fmt: f"fuzz.{fmt}" for fmt in FORMATS}


class FuzzFailure(AssertionError):
    """An invariant the fuzzed code broke (a crash is any other exception)."""


def check_reader(fmt: str, data: bytes) -> list[RawArticle | IngestFailure]:
    """Parse `data` as `fmt`; raise FuzzFailure if the result breaks the reader contract."""
    results = parse_input(NAMES[fmt], data, OPTIONS)
    if not results:
        raise FuzzFailure(f"{fmt}: no result at all")
    for r in results:
        if isinstance(r, RawArticle):
            if not r.text.strip():
                raise FuzzFailure(f"{fmt}: an article with empty text from {r.source}")
            if clean_text(r.text) != r.text:
                raise FuzzFailure(f"{fmt}: article text is not clean: {r.text[:80]!r}")
            if len(r.text) > OPTIONS.max_chars:
                raise FuzzFailure(f"{fmt}: article over --max-chars let through")
        elif isinstance(r, IngestFailure):
            if not r.source or not r.reason.strip():
                raise FuzzFailure(f"{fmt}: a failure without source or reason: {r!r}")
        else:
            raise FuzzFailure(f"{fmt}: unexpected result {r!r}")
    return results


def _span_ok(text: str, start: Any, end: Any) -> bool:
    return start is None or (isinstance(start, int) and 0 <= start <= end <= len(text))


def check_extraction(nlp: Any, raw: str) -> int:
    """Extract from `raw` as the pipeline would (cleaned, within the limits); raise FuzzFailure
    for an offset that does not point into the text. Returns the number of statements (-1 when
    the text is refused by the limits or empty, as the pipeline would refuse it)."""
    from claimgraph.extract.run import extract_doc

    text = clean_text(raw)
    if not text.strip() or check_text("fuzz", text, OPTIONS) is not None:
        return -1
    ex = extract_doc(nlp(text))
    check_offsets(text, ex)
    check_units(text, ex)
    return len(ex.statements)


def check_units(text: str, ex: Any) -> None:
    """Raise FuzzFailure unless every unit the link step would cut from `ex` (statement
    pieces, discredited allegations, narration) points into `text` and gives its words."""
    from claimgraph.claims.run import article_units

    stored = [
        {
            **st.to_dict(),
            "id": f"fuzz:s{i}",
            "start_char": st.start,
            "end_char": st.end,
        }
        for i, st in enumerate(ex.statements)
    ]
    for u in article_units({"id": "fuzz", "text": text}, stored):
        if not _span_ok(text, u.start, u.end) or text[u.start : u.end] != u.text:
            raise FuzzFailure(f"link unit {u.key} {u.start}:{u.end} does not give {u.text!r}")


def check_offsets(text: str, ex: Any) -> None:
    """Raise FuzzFailure unless every span of the Extraction `ex` points into `text`."""
    for st in ex.statements:
        if not _span_ok(text, st.start, st.end) or text[st.start : st.end] != st.text:
            raise FuzzFailure(f"statement offsets {st.start}:{st.end} do not give {st.text!r}")
        for a, b in ((st.speaker_start, st.speaker_end), (st.cue_start, st.cue_end)):
            if not _span_ok(text, a, b):
                raise FuzzFailure(f"speaker or cue span {a}:{b} outside the text")
        if st.speaker_start is not None and text[st.speaker_start : st.speaker_end] != (
            st.speaker_mention
        ):
            raise FuzzFailure(f"speaker span does not give {st.speaker_mention!r}")
    for cue in ex.cues:
        if not _span_ok(text, cue.start, cue.end) or text[cue.start : cue.end] != cue.text:
            raise FuzzFailure(f"cue offsets {cue.start}:{cue.end} do not give {cue.text!r}")
    for term in ex.terms:
        if not _span_ok(text, term.start, term.end):
            raise FuzzFailure(f"term offsets {term.start}:{term.end} outside the text")


# -- seeds ---------------------------------------------------------------------------------------


def seed_texts() -> list[str]:
    """Real article texts: ../shared/seeds (when present) and the sample corpus."""
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    paths += sorted(CORPUS.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def _warc(pages: list[bytes]) -> bytes:
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i, body in enumerate(pages):
        http = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://seed.example/{i}", "response", payload=io.BytesIO(http + body)
            )
        )
    return out.getvalue()


def seed_inputs(fmt: str) -> list[bytes]:
    """Real inputs in format `fmt`, built from the seed texts and the sample corpus."""
    texts = seed_texts()
    records = [
        {"text": t, "title": t.split("\n", 1)[0][:80], "url": f"https://s.example/{i}"}
        for i, t in enumerate(texts)
    ]
    pages = [p.read_bytes() for p in sorted(CORPUS.glob("*.html"))]
    if fmt == "txt":
        return [t.encode() for t in texts]
    if fmt == "html":
        return pages
    if fmt == "jsonl":
        return [p.read_bytes() for p in sorted(CORPUS.glob("*.jsonl"))] + [
            "\n".join(json.dumps(r) for r in records).encode()
        ]
    if fmt == "json":
        return [json.dumps(records).encode(), json.dumps({"stories": records[:2]}).encode()]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["text", "title", "url"])
        writer.writeheader()
        writer.writerows(records)
        return [buf.getvalue().encode()]
    if fmt == "warc":
        return [_warc(pages)]
    raise ValueError(f"no seeds for format {fmt!r}")
