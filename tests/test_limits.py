"""Limits: hostile and broken inputs are handled within set limits, each with a named, recorded
failure or correct output; never a crash, a hang or a lost batch (issue 9).

The readers are checked directly (fast); then one real `claimgraph analyze` run over a folder
holding every kind of bad input next to good articles checks that the run finishes in bounded
time, stores the good articles with valid offsets, and records each failure by file and reason.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from claimgraph.ingest import IngestOptions, RawArticle, parse_input, read_bytes
from claimgraph.ingest.base import IngestFailure
from claimgraph.ingest.html import flatten
from claimgraph.ingest.limits import MAX_SYMBOL_RUN, count_quote_marks, longest_symbol_run
from claimgraph.ingest.sandbox import InlineParser, SandboxParser
from conftest import CORPUS, invoke_cli, run_cli

OPTS = IngestOptions()
PARA = (
    "The council met on Monday to discuss the new bridge. "
    '"We will finish it before winter," Mayor Lena Varga said. '
    "Critics said the plan was too expensive, according to a local report."
)
HTML_PARA = f"<p>{PARA}</p>".encode()


def _one(results: list[RawArticle | IngestFailure]) -> RawArticle | IngestFailure:
    assert len(results) == 1, results
    return results[0]


def _failure(results: list[RawArticle | IngestFailure]) -> str:
    result = _one(results)
    assert isinstance(result, IngestFailure), result
    return result.reason


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


# -- sizes ----------------------------------------------------------------------------------


def test_file_over_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:  # sparse: 3 GB on paper, nothing on disk
        fh.truncate(3 * 1024**3)
    with pytest.raises(Exception) as err:
        read_bytes(str(path), max_bytes=OPTS.max_bytes)
    assert str(err.value) == (
        f"{path} is 3,221,225,472 bytes, over the 20,971,520-byte limit; "
        "pass --max-bytes to raise it"
    )


def test_enormous_single_line_is_over_max_chars_quickly() -> None:
    data = ("word " * 2_000_000).encode()  # 10 MB, no newline
    results, seconds = _timed(parse_input, "line.txt", data, OPTS)
    assert _failure(results) == (
        "line.txt: text is 9,999,999 characters, over the 1,000,000-character limit; "
        "pass --max-chars to raise it"
    )
    assert seconds < 20


def test_long_single_line_within_limits_is_read_whole() -> None:
    text = " ".join([PARA.replace('"', "")] * 2000)  # ~330,000 characters on one line
    article = _one(parse_input("line.txt", text.encode(), OPTS))
    assert isinstance(article, RawArticle)
    assert article.text == text


def test_csv_with_huge_field_fails_that_record_only() -> None:
    big = "word " * 400_000
    data = f'text,title\n"{PARA}",one\n"{big}",two\n"{PARA} Again.",three\n'.encode()
    results = parse_input("s.csv", data, OPTS)
    assert [type(r).__name__ for r in results] == ["RawArticle", "IngestFailure", "RawArticle"]
    assert results[1].source == "s.csv#2"
    assert "2,000,000-character" not in results[1].reason
    assert "over the 1,000,000-character limit; pass --max-chars" in results[1].reason


# -- shapes that are slow for the NLP ------------------------------------------------------


def test_millions_of_quote_marks_fail_fast_with_a_named_reason() -> None:
    data = b'"' * 999_999
    results, seconds = _timed(parse_input, "q.txt", data, OPTS)
    assert _failure(results) == (
        "q.txt: text has 999,999 quote marks, over the 5,000-mark limit that keeps extraction "
        "time bounded; pass --max-quotes to raise it"
    )
    assert seconds < 20
    spaced = ('"a" ' * 200_000).encode()  # quotations, not one run
    assert "400,000 quote marks" in _failure(parse_input("q.txt", spaced, OPTS))


def test_quote_marks_are_counted_as_the_scanner_sees_them() -> None:
    assert count_quote_marks("China's “camps” and 'so-called' «x» don't") == 6
    assert count_quote_marks("It's the people's choice") == 0
    ok = parse_input("q.txt", ('"a" ' * 1000).encode(), IngestOptions(max_quotes=2000))
    assert isinstance(_one(ok), RawArticle)
    over = parse_input("q.txt", ('"a" ' * 1001).encode(), IngestOptions(max_quotes=2000))
    assert "2,002 quote marks" in _failure(over)


def test_long_symbol_runs_are_refused_short_ones_kept() -> None:
    rule = "=" * MAX_SYMBOL_RUN
    ok = _one(parse_input("r.txt", f"{PARA}\n\n{rule}\n\n{PARA}".encode(), OPTS))
    assert isinstance(ok, RawArticle)
    long_rule = "=_" * 60
    reason = _failure(parse_input("r.txt", f"{PARA}\n\n{long_rule}\n\n{PARA}".encode(), OPTS))
    start = len(PARA) + 2
    assert reason == (
        f"r.txt: text has a run of 120 punctuation marks or symbols without a space at "
        f"character {start:,}, over the {MAX_SYMBOL_RUN}-character limit (the tokenizer slows "
        "down quadratically on such runs); shorten the run in the input"
    )
    # combining marks and letters are not symbols (Zalgo text, long words stay readable)
    assert longest_symbol_run("a" + "\u0301" * 500 + " " + "x" * 5000) == (0, 0)


# -- HTML --------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deeply_nested_html_keeps_its_text(depth: int) -> None:
    html = b"<html><body>" + b"<div>" * depth + HTML_PARA * 3 + b"</div>" * depth + b"</body>"
    article, seconds = _timed(parse_input, "deep.html", html, OPTS)
    article = _one(article)
    assert isinstance(article, RawArticle), article
    assert article.text.count("Mayor Lena Varga said") == 3
    assert seconds < 30


def test_unclosed_nesting_keeps_its_text() -> None:
    html = b"<html><body>" + b"<div><span><b>" * 50_000 + HTML_PARA * 3
    article = _one(parse_input("deep.html", html, OPTS))
    assert isinstance(article, RawArticle) and "Lena Varga" in article.text


def test_flatten_counts_nesting_and_keeps_text() -> None:
    flat, deepest = flatten("<div><br><div><img src=x/><p>hi</p></div></div>", keep=1)
    assert deepest == 3
    assert flat == "<div><br><img src=x/>hi</div>"  # void elements do not nest: kept


def test_html_text_past_the_parser_limit_is_named() -> None:
    html = b"<html><body><p>" + b"word " * 2_100_000 + b"</p></body></html>"
    reason = _failure(parse_input("long.html", html, IngestOptions(max_chars=10**8)))
    assert reason == (
        "long.html has 10,500,000 characters without markup, more than the HTML parser reads "
        "(10,000,000); convert it to a .txt file"
    )


# -- characters and encodings ------------------------------------------------------------------


def test_zero_width_and_bidi_controls_are_removed_consistently() -> None:
    hostile = "\u200bMayor\u202e Lena\u2066 Varga\u200d said \u200f“we\u2069 will\ufeff go.”"
    clean = "Mayor Lena Varga said “we will go.”"
    for name, data in {
        "z.txt": hostile.encode(),
        "z.jsonl": json.dumps({"text": hostile}).encode(),
        "z.html": f"<html><body><p>{hostile}</p><p>{PARA}</p></body></html>".encode(),
    }.items():
        article = _one(parse_input(name, data, OPTS))
        assert isinstance(article, RawArticle), (name, article)
        assert clean in article.text, name


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Caf\u00e9 owners said prices rose.".encode("cp1252"), "Café owners"),
        ("\ufeffZürich officials said so.".encode("utf-16"), "Zürich officials"),
        # UTF-8 and cp1252 in one file: not valid UTF-8, read as cp1252 (mojibake, no loss)
        ("naïve ".encode() + "café said.".encode("cp1252"), "naÃ¯ve café said."),
    ],
    ids=["cp1252", "utf16-bom", "mixed"],
)
def test_encodings_are_decoded_without_loss(data: bytes, expected: str) -> None:
    article = _one(parse_input("e.txt", data, OPTS))
    assert isinstance(article, RawArticle)
    assert expected in article.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty.txt is empty"),
        ("blank.txt", b" \n\t\r\n", "blank.txt contains only whitespace"),
        (
            "nul.txt",
            b"Officials said\x00 the dam is safe.",
            "nul.txt looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file",
        ),
        (
            "image.txt",
            gzip.compress(os.urandom(3000)),
            "image.txt looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file",
        ),
    ],
)
def test_empty_nul_and_binary_files_fail_by_name(name: str, data: bytes, reason: str) -> None:
    assert _failure(parse_input(name, data, OPTS)) == reason


def test_nul_escaped_inside_json_is_removed_not_fatal() -> None:
    article = _one(parse_input("n.jsonl", json.dumps({"text": "a\x00b said so"}).encode(), OPTS))
    assert isinstance(article, RawArticle) and article.text == "ab said so"


# -- records and archives ----------------------------------------------------------------------


def test_jsonl_bad_line_among_good_ones() -> None:
    lines = [json.dumps({"text": f"{PARA} {i}"}) for i in range(3)]
    lines.insert(2, '{"text": "broken')
    results = parse_input("r.jsonl", "\n".join(lines).encode(), OPTS)
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["RawArticle", "RawArticle", "IngestFailure", "RawArticle"]
    assert results[2].source == "r.jsonl#3"
    assert results[2].reason.startswith("line 3: invalid JSON: Unterminated string")


def _warc_gz(n: int) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i in range(n):
        body = f"<html><body><p>{PARA} Page {i}.</p></body></html>".encode()
        http = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        record = writer.create_warc_record(
            f"https://news.example/{i}", "response", payload=io.BytesIO(http + body)
        )
        writer.write_record(record)
    return out.getvalue()


def test_truncated_warc_gz_keeps_the_records_before_the_cut() -> None:
    data = _warc_gz(3)
    results = parse_input("c.warc.gz", data[: len(data) - 200], OPTS)
    assert [type(r).__name__ for r in results] == ["RawArticle", "RawArticle", "IngestFailure"]
    assert "broken WARC record" in results[2].reason
    assert "the records before it were read" in results[2].reason


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(Exception) as err:
        read_bytes(str(fifo), max_bytes=100)
    assert "is not a regular file" in str(err.value)


# -- per-file time limit -----------------------------------------------------------------------


def _slow_html(n: int = 25_000) -> bytes:
    """A real page that takes trafilatura several seconds (many <div>s, ~3 MB)."""
    return b"<html><body>" + (b"<div>" + HTML_PARA + b"</div>\n") * n + b"</body></html>"


def test_sandboxed_parse_equals_inline_parse() -> None:
    inline = InlineParser(OPTS, None)
    sandbox = SandboxParser(OPTS, None, timeout=60)
    try:
        for path in sorted(CORPUS.iterdir()):
            if path.suffix in (".txt", ".html", ".jsonl"):
                data = path.read_bytes()
                assert sandbox.parse(str(path), data) == inline.parse(str(path), data), path
    finally:
        sandbox.close()


def test_file_timeout_abandons_a_slow_file_and_goes_on() -> None:
    sandbox = SandboxParser(OPTS, None, timeout=0.5)
    try:
        sandbox.parse("warm.txt", PARA.encode())  # the child is up before the clock starts
        results, seconds = _timed(sandbox.parse, "slow.html", _slow_html())
        assert _failure(results) == (
            "reading slow.html took longer than the 0.5-second limit; "
            "pass --file-timeout to raise it"
        )
        assert seconds < 10
        after = _one(sandbox.parse("next.txt", PARA.encode()))  # a fresh child reads on
        assert isinstance(after, RawArticle) and after.text == PARA
    finally:
        sandbox.close()


# -- everything at once, through the real CLI ---------------------------------------------------


def _hostile_corpus(folder: Path) -> dict[str, str | None]:
    """Write the inputs; returns file name -> expected failure text (None: stored)."""
    folder.mkdir()
    files: dict[str, tuple[bytes, str | None]] = {
        "good.txt": (f"Bridge plan\n\n{PARA}".encode(), None),
        "bidi.txt": (
            f"\u202eMayor\u200b Ann Lee said \u2066“rates will fall.”\n\n{PARA} Z".encode(),
            None,
        ),
        "deep.html": (
            b"<html><body>" + b"<div>" * 100_000 + HTML_PARA + b" Deep." + b"</div>" * 100_000,
            None,
        ),
        "cp1252.txt": (f"Caf\u00e9 owners said prices rose. {PARA}".encode("cp1252"), None),
        "big.txt": (b"x" * 6_100_000, "over the 6,000,000-byte limit; pass --max-bytes"),
        "quotes.txt": (b'"' * 1_000_000, "quote marks, over the 5,000-mark limit"),
        "rule.txt": (f"{PARA}\n\n{'*' * 5000}".encode(), "a run of 5,000 punctuation marks"),
        "empty.txt": (b"", "empty.txt is empty"),
        "nul.txt": (b"Officials\x00 said so.", "looks like binary data"),
        "binary.txt": (gzip.compress(os.urandom(4000)), "looks like binary data"),
        "records.jsonl": (
            "\n".join(
                [
                    json.dumps({"text": f"{PARA} R1"}),
                    "{not json",
                    json.dumps({"text": f"{PARA} R3"}),
                ]
            ).encode(),
            "line 2: invalid JSON",
        ),
        "records.csv": (
            f'text\n"{PARA} C1"\n"{"word " * 250_000}"\n'.encode(),
            "over the 1,000,000-character limit",
        ),
        "crawl.warc.gz": (_warc_gz(2)[:-150], "broken WARC record"),
        "slow.html": (_slow_html(25_000), "took longer than the 3-second limit"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in files.items()}


def _file_of(source: str) -> str:
    """The input file of a source: ``path#N`` for records, the URL for WARC records."""
    if source.startswith("https://news.example/"):
        return "crawl.warc.gz"
    return os.path.basename(source).split("#")[0]


@pytest.mark.slow
def test_analyze_over_hostile_folder_records_each_failure_and_stores_the_rest(tmp_path):
    corpus = tmp_path / "in"
    expected = _hostile_corpus(corpus)
    db = tmp_path / "h.db"
    args = ("analyze", str(corpus), "--db", str(db), "--json", "--no-link")
    limits = ("--max-bytes", "6000000", "--file-timeout", "3")
    res, seconds = _timed(run_cli, *args, *limits, timeout=300)
    assert res.returncode == 1, res.stderr.decode()
    summary = json.loads(res.stdout)
    assert seconds < 120
    by_source: dict[str, list[str]] = {}
    for f in summary["failures"]:
        by_source.setdefault(_file_of(f["source"]), []).append(f["reason"])
    for name, reason in expected.items():
        if reason is None:
            assert name not in by_source, (name, by_source.get(name))
        else:
            assert any(reason in r for r in by_source.get(name, [])), (name, by_source.get(name))

    con = sqlite3.connect(db)
    try:
        sources = {_file_of(s) for (s,) in con.execute("SELECT source FROM article_sources")}
        texts = dict(con.execute("SELECT id, text FROM articles"))
        statements = con.execute(
            "SELECT article_id, start_char, end_char, text FROM statements"
        ).fetchall()
        recorded = con.execute("SELECT count(*) FROM failures").fetchone()[0]
    finally:
        con.close()
    stored_names = {n for n, r in expected.items() if r is None}
    stored_names |= {"records.jsonl", "records.csv", "crawl.warc.gz"}  # their good records
    assert sources == stored_names
    assert recorded == summary["failed"] == len(summary["failures"])
    assert len(texts) == summary["stored"] == 8  # 4 files, 2 + 1 + 1 good records
    assert all(
        "\u202e" not in t and "\u200b" not in t and "\u2066" not in t for t in texts.values()
    )
    assert statements, "the good articles have statements"
    for article_id, start, end, text in statements:  # offsets are into the stored text
        assert texts[article_id][start:end] == text

    again = invoke_cli(*args, *limits)  # failed files are retried, fail the same way
    second = json.loads(again.stdout)
    assert second["stored"] == 0 and second["duplicate"] == 0
    assert second["failed"] == summary["failed"]
