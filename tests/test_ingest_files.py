"""Finding inputs, reading their bytes, fingerprints, sidecars, the outlets map, article ids."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from claimgraph.errors import InputError, UsageError
from claimgraph.ingest import (
    IngestFailure,
    IngestOptions,
    Meta,
    RawArticle,
    article_id,
    detect_format,
    discover,
    fingerprint,
    load_outlets,
    parse_input,
    read_bytes,
)
from claimgraph.ingest.base import GIVEN_OUTLETS, GIVEN_SIDECAR, INFERRED_TEXT

OPTS = IngestOptions()
STORY = b"WASHINGTON (Reuters) - The State Department said on Thursday that it agreed."


@pytest.mark.parametrize(
    ("path", "forced", "fmt"),
    [
        ("a.txt", None, "txt"),
        ("a.TXT", None, "txt"),
        ("a.html", None, "html"),
        ("a.htm", None, "html"),
        ("a.jsonl", None, "jsonl"),
        ("a.ndjson", None, "jsonl"),
        ("a.json", None, "json"),
        ("a.csv", None, "csv"),
        ("a.warc", None, "warc"),
        ("dir.v2/a.warc.gz", None, "warc"),
        ("a.gz", None, None),
        ("a.pdf", None, None),
        ("README", None, None),
        ("-", None, "txt"),
        ("-", "html", "html"),
        ("a.pdf", "TXT", "txt"),
    ],
)
def test_detect_format(path: str, forced: str | None, fmt: str | None) -> None:
    assert detect_format(path, forced) == fmt


def test_detect_format_bad_forced() -> None:
    with pytest.raises(
        UsageError, match=r"^unknown --format 'pdf': use one of txt, html, jsonl, json, csv, warc$"
    ):
        detect_format("a.txt", "pdf")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in [
        "b.txt",
        "a.html",
        "a.html.meta.json",
        "notes.pdf",
        ".hidden.txt",
        ".git/x.txt",
        "sub/z.jsonl",
        "sub/deeper/c.warc.gz",
        "sub/c.meta.json",
        "aa/y.csv",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    return tmp_path


def test_discover_folder(tree: Path) -> None:
    found = [os.path.relpath(p, tree) for p in discover([str(tree)])]
    assert found == ["a.html", "b.txt", "aa/y.csv", "sub/z.jsonl", "sub/deeper/c.warc.gz"]


def test_discover_explicit_stdin_and_dedup(tree: Path) -> None:
    b = str(tree / "b.txt")
    assert discover(["-", b, str(tree / "." / "b.txt"), str(tree / "aa")]) == [
        "-",
        b,
        str(tree / "aa" / "y.csv"),
    ]


def test_discover_forced_format_takes_every_file(tree: Path) -> None:
    found = [os.path.relpath(p, tree) for p in discover([str(tree / "sub")], forced_fmt="txt")]
    assert found == ["sub/z.jsonl", "sub/deeper/c.warc.gz"]
    assert discover([str(tree / "notes.pdf")], forced_fmt="txt") == [str(tree / "notes.pdf")]


@pytest.mark.parametrize(
    ("rel", "message"),
    [
        ("missing.txt", "path not found: {p}; check the path"),
        (
            "notes.pdf",
            "unknown format for {p}: use .txt, .html, .htm, .jsonl, .ndjson, .json, .csv, .warc "
            "or .warc.gz, or pass --format",
        ),
    ],
)
def test_discover_errors(tree: Path, rel: str, message: str) -> None:
    path = str(tree / rel)
    with pytest.raises(UsageError) as info:
        discover([path])
    assert str(info.value) == message.format(p=path)


def test_read_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"12345")
    assert read_bytes(str(path), max_bytes=5) == b"12345"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        pytest.param(
            "big",
            "{p} is 52,428,800 bytes, over the 20,971,520-byte limit; pass --max-bytes to raise it",
            id="too-big",
        ),
        pytest.param(
            "dir", "{p} is a directory, not a file; pass the folder to read its files", id="dir"
        ),
        pytest.param("missing", "{p} not found; check the path", id="missing"),
        pytest.param(
            "noperm", "cannot read {p}: permission denied; check its permissions", id="permission"
        ),
    ],
)
def test_read_bytes_errors(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "a.txt"
    if setup == "big":
        with open(path, "wb") as fh:
            fh.truncate(50 * 1024 * 1024)  # sparse: nothing is written or read
    elif setup == "dir":
        path.mkdir()
    elif setup == "noperm":
        if os.geteuid() == 0:
            pytest.skip("root reads everything")
        path.write_text("x")
        path.chmod(0)
    with pytest.raises(InputError) as info:
        read_bytes(str(path), max_bytes=20 * 1024 * 1024)
    assert str(info.value) == message.format(p=path)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_read_bytes_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"abc"))
    assert read_bytes("-", max_bytes=3) == b"abc"
    monkeypatch.setattr(sys, "stdin", _Stdin(b"abcd"))
    with pytest.raises(InputError) as info:
        read_bytes("-", max_bytes=3)
    assert str(info.value) == ("stdin is over the 3-byte limit; pass --max-bytes to raise it")


def test_fingerprint_changes_with_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(STORY)
    bare = fingerprint(str(path), STORY)
    assert bare == fingerprint(str(path), STORY)
    (tmp_path / "a.meta.json").write_text('{"outlet": "X"}')
    with_sidecar = fingerprint(str(path), STORY)
    (tmp_path / "a.meta.json").write_text('{"outlet": "Y"}')
    assert len({bare, with_sidecar, fingerprint(str(path), STORY)}) == 3


@pytest.mark.parametrize("sidecar_name", ["a.meta.json", "a.txt.meta.json"])
def test_sidecar_overrides(tmp_path: Path, sidecar_name: str) -> None:
    path = tmp_path / "a.txt"
    (tmp_path / sidecar_name).write_text(
        json.dumps(
            {
                "outlet": "Reuters UK",
                "agency": None,
                "published": "2021-07-08",
                "outlet_country": "GB",
            }
        )
    )
    [article] = parse_input(str(path), STORY, OPTS)
    assert isinstance(article, RawArticle)
    assert article.meta["outlet"] == Meta("Reuters UK", GIVEN_SIDECAR)
    assert article.meta["agency"] == Meta(None, GIVEN_SIDECAR)
    assert article.meta["published"] == Meta("2021-07-08", GIVEN_SIDECAR)
    assert article.meta["dateline"] == Meta("Washington", INFERRED_TEXT)
    assert article.outlet_info == {"country": "GB"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "{broken",
            "sidecar {s} is not valid JSON (Expecting property name enclosed in double quotes at line 1 column 2); fix it or remove it",
        ),
        ("[1]", "sidecar {s} must be a JSON object, not list"),
        (
            '{"outlett": "x"}',
            "sidecar {s} has unknown key 'outlett'; use any of title, outlet, published, dateline, agency, language, author, url, outlet_country, outlet_type",
        ),
        ('{"title": 3}', "sidecar {s}: 'title' must be a string or null"),
    ],
)
def test_broken_sidecar(tmp_path: Path, content: str, reason: str) -> None:
    path, sidecar = tmp_path / "a.txt", tmp_path / "a.meta.json"
    sidecar.write_text(content)
    assert parse_input(str(path), STORY, OPTS) == [
        IngestFailure(str(path), reason.format(s=sidecar))
    ]


OUTLETS_CSV = (
    "domain,name,country,type,labels\n"
    "presstv.ir,Press TV,IR,state,state media\n"
    "ts.cn,Tianshannet,CN,state,\n"
    "cnsnews.com,CNSNews,US,private,\n"
    ",ANI,IN,private,\n"
)


@pytest.fixture
def outlets_csv(tmp_path: Path) -> str:
    path = tmp_path / "outlets.csv"
    path.write_text(OUTLETS_CSV)
    return str(path)


@pytest.mark.parametrize(
    ("record", "outlet", "info"),
    [
        pytest.param(
            {"text": "Body.", "url": "https://news.presstv.ir/x"},
            Meta("Press TV", GIVEN_OUTLETS),
            {"domain": "presstv.ir", "country": "IR", "type": "state", "labels": "state media"},
            id="subdomain-falls-back",
        ),
        pytest.param(
            {"text": "Body.", "url": "https://www.ts.cn/x", "media_name": "ts.cn"},
            Meta("Tianshannet", GIVEN_OUTLETS),
            {"domain": "ts.cn", "country": "CN", "type": "state"},
            id="www-stripped-overrides-record",
        ),
        pytest.param(
            {"text": "Beijing [China], July 8 (ANI): Body."},
            Meta("ANI", INFERRED_TEXT),
            {"country": "IN", "type": "private"},
            id="by-inferred-name",
        ),
        pytest.param(
            {"text": "Body.", "url": "https://example.org/x"},
            Meta("example.org", "given:record"),
            {},
            id="unknown-domain",
        ),
    ],
)
def test_outlets_map(
    outlets_csv: str, record: dict[str, str], outlet: Meta, info: dict[str, str]
) -> None:
    outlets = load_outlets(outlets_csv)
    [article] = parse_input("s.jsonl", json.dumps(record).encode(), OPTS, outlets=outlets)
    assert isinstance(article, RawArticle)
    assert article.meta["outlet"] == outlet
    assert article.outlet_info == info


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name,country\nX,US\n",
            "outlets file {p} has no 'domain' column; expected columns domain,name[,country][,type][,labels]",
        ),
        (
            "domain,name,type\nx.com,X,gov\n",
            "outlets file {p} line 2: type 'gov' is not one of state, public, private",
        ),
        ("domain,name\nx.com,\n", "outlets file {p} line 2: empty name; every row needs one"),
        (
            "domain,name\nnot a domain,X\n",
            "outlets file {p} line 2: 'not a domain' is not a domain (e.g. presstv.ir)",
        ),
    ],
)
def test_outlets_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "o.csv"
    path.write_text(content)
    with pytest.raises(UsageError) as info:
        load_outlets(str(path))
    assert str(info.value) == message.format(p=path)


def test_outlets_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "none.csv")
    with pytest.raises(UsageError, match="^outlets file not found: .*none.csv; check the path$"):
        load_outlets(path)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param(
            "China said: “lies!”", 'China  said — "lies"', True, id="punctuation-whitespace"
        ),
        pytest.param("Xinjiang\r\nNews", "XINJIANG news", True, id="case-newlines"),
        pytest.param("ﬁnal １２", "final 12", True, id="nfkc"),
        pytest.param("China said lies", "China said truth", False, id="different-words"),
        pytest.param("1,000 people", "1,001 people", False, id="different-number"),
    ],
)
def test_article_id(a: str, b: str, same: bool) -> None:
    assert (article_id(a) == article_id(b)) is same
    assert len(article_id(a)) == 16
