"""The static report and the web UI without a browser: what the pages show matches the
database, every link resolves, and untrusted text stays text (checked by parsing the HTML).
The same pages in headless Chromium are in test_browser.py."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from claimgraph.extract.records import Cue, Extraction, Statement
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.present import siteviews as sv
from claimgraph.present.report import build_report
from claimgraph.present.site import CSP
from claimgraph.store import open_store
from conftest import ACTOR_SQL, copy_store, invoke_cli, speaking_sql

P = "window.__pwned=1;document.title='PWNED'"
HOSTILE = {
    "title": f'<script>{P}</script><img src=x onerror="{P}">Hostile headline',
    "outlet": f'<img src=x onerror="{P}">Evil Outlet<script>{P}</script>',
    "speaker": f'<b onmouseover="{P}">Mallory</b> Evil<script>{P}</script>',
    "url": f"javascript:{P}",
}


# -- an HTML scanner, independent of the code under test -------------------------------


class Scan(HTMLParser):
    """Collects what matters for safety and content: elements with attributes, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self.by_id: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self._in.append(d["id"] or "")
            self.by_id.setdefault(d["id"] or "", [])
        elif tag not in ("br", "img", "meta", "link", "input", "rect"):
            self._in.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag not in ("br", "img", "meta", "link", "input", "rect"):
            self._in.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for i in self._in:
            if i:
                self.by_id[i].append(data)

    def text_of(self, element_id: str) -> str:
        return "".join(self.by_id.get(element_id, []))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def assert_inert(html: str, where: str) -> Scan:
    """No script but the site's own file, no event handler, no javascript: link, CSP set."""
    scan = Scan(html)
    for tag, attrs in scan.tags:
        handlers = [k for k in attrs if k.startswith("on")]
        assert not handlers, f"{where}: <{tag}> has {handlers}"
        for key in ("href", "src", "action", "formaction", "xlink:href"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{where}: {key}"
        assert tag not in ("img", "iframe", "object", "embed", "base"), f"{where}: <{tag}>"
    scripts = scan.all("script")
    assert scripts and all((s.get("src") or "").endswith("static/app.js") for s in scripts), where
    return scan


def report_pages(out: Path) -> Iterator[Path]:
    yield from sorted(out.rglob("*.html"))


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_db(seeds_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(seeds_store[0], tmp_path_factory.mktemp("seeds") / "seeds.db")


@pytest.fixture(scope="module")
def seeds_report(seeds_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    res = invoke_cli("report", "--db", str(seeds_db), "--out", str(out))
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().strip() == f"report -> {out / 'index.html'}"
    return out


def _hostile_store(path: Path) -> Any:
    """One article whose title, outlet, url, text and quoted speaker carry payloads."""
    store = open_store(path)
    body = (
        f'"The camps are <script>{P}</script> schools," said {HOSTILE["speaker"]}. '
        f'<a href="javascript:{P}">Click</a> for the so-called evidence.'
    )
    quote_end = body.index(",")
    speaker_start = body.index("<b ")
    raw = RawArticle(
        source="evil.html",
        text=body,
        fmt="html",
        meta={k: Meta(HOSTILE[k], GIVEN_RECORD) for k in ("title", "outlet", "url")},
    )
    st = Statement(
        kind="direct",
        start=1,
        end=quote_end,
        text=body[1:quote_end],
        speaker=HOSTILE["speaker"],
        speaker_mention=HOSTILE["speaker"],
        speaker_start=speaker_start,
        speaker_end=speaker_start + len(HOSTILE["speaker"]),
        cue="said",
        cue_class="neutral",
    )
    so = body.index("so-called")
    cue = Cue(type="so_called", text="so-called", start=so, end=so + 9)
    # a cue in the speaker's voice: the page names the speaker next to it
    said = Cue(type="loaded_label", text="camps", start=5, end=10, statement_index=0)
    store.write_article(
        "evil1",
        raw,
        Extraction(statements=[st], cues=[said, cue]),
        n_words=20,
        extractor_version="t",
    )
    return store


# -- unit: keys, URLs, highlights --------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("90c4dc05973612a7", "90c4dc05973612a7"),  # article ids are used as they are
        ("Wang Wenbin", "wang-wenbin-" + hashlib.sha1(b"Wang Wenbin").hexdigest()[:10]),
        ("China", "china-" + hashlib.sha1(b"China").hexdigest()[:10]),  # case-blind disks
        ("../../etc/passwd", "etc-passwd-" + hashlib.sha1(b"../../etc/passwd").hexdigest()[:10]),
        ("王文斌", hashlib.sha1("王文斌".encode()).hexdigest()[:10]),
    ],
)
def test_page_key_is_a_safe_file_name(key: str, expected: str) -> None:
    assert sv.page_key(key) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.presstv.ir/Detail/2022/06/14/683474",
            "https://www.presstv.ir/Detail/2022/06/14/683474",
        ),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),  # scheme-relative
        ("/local/path", None),
        ("https://exa mple.org/", None),  # a space inside
        ("https:///nohost", None),
        (None, None),
    ],
)
def test_safe_url_links_only_http(url: str | None, expected: str | None) -> None:
    assert sv.safe_url(url) == expected


def test_highlight_splits_at_every_boundary_and_links_innermost() -> None:
    text = 'He said "it is a so-called camp" today.'
    spans = [
        sv.Span(9, 31, "statement", "s0", "statement"),
        sv.Span(17, 26, "cue", "c0", "cue"),
        sv.Span(0, 2, "speaker", "s0", "speaker"),
        sv.Span(50, 60, "term", "t9", "outside the text: dropped"),
        sv.Span(5, 5, "term", "t8", "empty: dropped"),
    ]
    got = [(s.text, s.kinds, s.anchor) for s in sv.highlight(text, spans)]
    assert got == [
        ("He", ("speaker",), "s0"),
        (' said "', (), None),
        ("it is a ", ("statement",), "s0"),
        ("so-called", ("cue", "statement"), "c0"),
        (" camp", ("statement",), "s0"),
        ('" today.', (), None),
    ]
    assert "".join(s.text for s in sv.highlight(text, spans)) == text


def test_highlight_clamps_offsets_past_the_end() -> None:
    segs = sv.highlight("abc", [sv.Span(1, 99, "cue", "c0", "")])
    assert [(s.text, s.anchor) for s in segs] == [("a", None), ("bc", "c0")]


# -- the report on the seeds ------------------------------------------------------------


@pytest.mark.seeds
def test_report_files_and_assets(seeds_report: Path, seeds_db: Path) -> None:
    con = sqlite3.connect(seeds_db)
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    speakers = {
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT {ACTOR_SQL} FROM statements WHERE {speaking_sql(seeds_db)}"
        )
    }
    assert len(list((seeds_report / "article").glob("*.html"))) == n_articles == 5
    assert len(list((seeds_report / "speaker").glob("*.html"))) == len(speakers)
    for name in ("index", "outlets", "claims", "speakers", "articles"):
        assert (seeds_report / f"{name}.html").is_file()
    assert not (seeds_report / "search.html").exists()  # search needs the server
    assert (seeds_report / "static" / "site.css").stat().st_size > 1000
    assert (seeds_report / "static" / "app.js").stat().st_size > 1000


def check_pages(out: Path) -> int:
    """Every page of the report at `out` is inert, carries the CSP, and every link in it
    resolves to a file of the report (and a same-page anchor to an element). Returns the
    number of pages."""
    pages = list(report_pages(out))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        where = str(page.relative_to(out))
        scan = assert_inert(html, where)
        metas = [m for m in scan.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [CSP], where
        ids = {a["id"] for _, a in scan.tags if a.get("id")}
        for _, attrs in scan.tags:
            href = attrs.get("href")
            if not href:
                continue
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and "noopener" in (attrs.get("rel") or ""):
                continue  # an article's own URL, from its metadata
            assert not parts.scheme, f"{where}: {href} leaves the report"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{where}: broken link {href}"
            assert out.resolve() in target.parents, f"{where}: {href} leaves the folder"
            if parts.fragment and target == page:
                assert parts.fragment in ids, f"{where}: no #{parts.fragment}"
    return len(pages)


@pytest.mark.seeds
def test_every_report_page_is_inert_and_every_link_resolves(seeds_report: Path) -> None:
    assert check_pages(seeds_report) >= 30


@pytest.mark.seeds
def test_speaker_page_counts_match_the_database(seeds_report: Path, seeds_db: Path) -> None:
    con = sqlite3.connect(seeds_db)
    said = f"speaker=? AND {speaking_sql(seeds_db)}"  # "did not disclose …" is not said
    for name in ("Wang Wenbin", "Xu Guixiang", "Antony Blinken"):
        n = con.execute(f"SELECT count(*) FROM statements WHERE {said}", (name,)).fetchone()[0]
        texts = {r[0] for r in con.execute(f"SELECT text FROM statements WHERE {said}", (name,))}
        page = seeds_report / "speaker" / f"{sv.page_key(name)}.html"
        scan = Scan(page.read_text(encoding="utf-8"))
        assert scan.text_of("n-statements") == str(n)
        rows = [a for t, a in scan.tags if t == "tr" and a.get("class") == "statement"]
        assert len(rows) == n
        body = "".join(scan.text)
        assert all(t in body for t in texts)
    assert (
        con.execute("SELECT count(*) FROM statements WHERE speaker='Wang Wenbin'").fetchone()[0]
        > 10
    )


@pytest.mark.seeds
def test_overview_counts_match_the_database(seeds_report: Path, seeds_db: Path) -> None:
    con = sqlite3.connect(seeds_db)
    expected = {
        "articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
        "statements": con.execute("SELECT count(*) FROM statements").fetchone()[0],
        "cues": con.execute("SELECT count(*) FROM cues").fetchone()[0],
        "terms": con.execute("SELECT count(*) FROM term_uses").fetchone()[0],
        "speakers": con.execute(
            f"SELECT count(DISTINCT {ACTOR_SQL}) FROM statements WHERE {speaking_sql(seeds_db)}"
        ).fetchone()[0],
    }
    html = (seeds_report / "index.html").read_text(encoding="utf-8")
    for key, n in expected.items():
        assert f'<span data-count="{key}">{n}</span>' in html, key


@pytest.mark.seeds
def test_article_page_highlights_every_statement(seeds_report: Path, seeds_db: Path) -> None:
    con = sqlite3.connect(seeds_db)
    aid = "90c4dc05973612a7"  # ANI, seeds/000_*
    rows = con.execute(
        "SELECT idx, text, start_char, end_char FROM statements WHERE article_id=?", (aid,)
    ).fetchall()
    text = con.execute("SELECT text FROM articles WHERE id=?", (aid,)).fetchone()[0]
    html = (seeds_report / "article" / f"{aid}.html").read_text(encoding="utf-8")
    scan = Scan(html)
    # the article's text is all there, in order, once
    assert scan.text_of("text") == text
    for idx, _, _, _ in rows:
        assert f'id="s{idx}"' in html
        assert f'href="#s{idx}"' in html  # a highlight links to the statement's record
    # Wang 4 (one of them "the Chinese spokesman"), US 5 (incl. "declare … as genocide")
    assert len(rows) == 9


@pytest.mark.seeds
def test_claim_pages_list_every_member(seeds_report: Path, seeds_db: Path) -> None:
    con = sqlite3.connect(seeds_db)
    claims = con.execute("SELECT claim_id, label FROM claims").fetchall()
    assert len(claims) >= 5  # `analyze` ran the link step
    assert len(list((seeds_report / "claim").glob("*.html"))) == len(claims)
    for claim_id, label in claims:
        members = con.execute(
            "SELECT text FROM claim_members WHERE claim_id=?", (claim_id,)
        ).fetchall()
        page = seeds_report / "claim" / f"{sv.page_key(claim_id)}.html"
        scan = Scan(page.read_text(encoding="utf-8"))
        assert "".join(scan.by_id.get("n-members", [])) == str(len(members))
        rows = [a for t, a in scan.tags if t == "tr" and a.get("class") == "member"]
        assert len(rows) == len(members), claim_id
        body = "".join(scan.text)
        assert label in body and all(m[0] in body for m in members)
        rebuttals = con.execute(
            "SELECT count(*) FROM claim_members WHERE claim_id=? AND via='rebuttal'", (claim_id,)
        ).fetchone()[0]
        assert body.count("(by rebuttal)") == rebuttals, claim_id
    assert con.execute("SELECT count(*) FROM claim_members WHERE via='rebuttal'").fetchone()[0]


@pytest.mark.seeds
def test_cues_show_their_voice(seeds_report: Path, seeds_db: Path) -> None:
    """ANI's scare quotes are Wang's (inside his quote), listed with his name; the outlets
    page counts the outlet's own cues apart from its speakers'."""
    con = sqlite3.connect(seeds_db)
    aid = "90c4dc05973612a7"  # ANI, seeds/000_*
    cues = con.execute(
        "SELECT c.idx, c.voice, st.speaker FROM cues c LEFT JOIN statements st"
        " ON st.id = c.statement_id WHERE c.article_id=? AND c.type='scare_quote'",
        (aid,),
    ).fetchall()
    assert cues and {(v, bool(s)) for _, v, s in cues} == {("speaker", True)}
    scan = Scan((seeds_report / "article" / f"{aid}.html").read_text(encoding="utf-8"))
    for idx, _, speaker in cues:
        row = "".join(scan.by_id[f"c{idx}"])
        assert f"speaker: {speaker}" in row
    outlets = Scan((seeds_report / "outlets.html").read_text(encoding="utf-8"))
    for section in ("cues-outlet", "cues-speaker", "cues-carried"):
        assert section in outlets.by_id
    assert "Chinese Foreign Ministry" in "".join(outlets.by_id["cues-carried"])


@pytest.mark.seeds
def test_a_page_per_talking_point(seeds_report: Path) -> None:
    outlets = Scan((seeds_report / "outlets.html").read_text(encoding="utf-8"))
    links = [
        a["href"] for t, a in outlets.tags if t == "a" and "talking-point/" in (a.get("href") or "")
    ]
    pages = sorted((seeds_report / "talking-point").glob("*.html"))
    assert pages and len(links) == len(pages)
    titles = []
    for page in pages:
        scan = Scan(page.read_text(encoding="utf-8"))
        rows = [a for t, a in scan.tags if t == "tr" and a.get("class") == "use"]
        assert scan.text_of("n-uses") == str(len(rows)) and len(rows) >= 2
        titles.append("".join(scan.text))
    assert any("lies and rumors" in t and "Wang Wenbin" in t for t in titles)


# -- hostile text -------------------------------------------------------------------------


def test_hostile_article_renders_inert(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "h.db")
    out = build_report(store, tmp_path / "site", n_boot=20).out_dir
    pages = list(report_pages(out))
    assert len(pages) == 5 + 1 + 1  # index pages, the article, the speaker
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert_inert(html, page.name)
        assert "<script>window" not in html and 'onerror="window' not in html
    art = (out / "article" / "evil1.html").read_text(encoding="utf-8")
    scan = Scan(art)
    text = "".join(scan.text)
    # shown as text, all of it: title, outlet, url, quoted speaker
    for value in HOSTILE.values():
        assert value in text
    assert "&lt;script&gt;" in art
    assert not [a for a in scan.all("a") if "javascript" in (a.get("href") or "")]
    assert f"speaker: {HOSTILE['speaker']}" in "".join(scan.by_id["c0"])
    speaker = out / "speaker" / f"{sv.page_key(HOSTILE['speaker'])}.html"
    assert HOSTILE["speaker"] in "".join(Scan(speaker.read_text(encoding="utf-8")).text)


def test_report_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "h.db")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.docx").write_text("mine")
    db = str(tmp_path / "h.db")
    store.close()
    res = invoke_cli("report", "--db", db, "--out", str(busy))
    assert res.returncode == 2
    assert res.stderr.decode().strip() == (
        f"error: --out {busy} is a folder with other files in it; give an empty or new folder"
    )
    assert (busy / "thesis.docx").read_text() == "mine"
    res = invoke_cli("report", "--db", str(tmp_path / "missing.db"), "--out", str(tmp_path / "o"))
    assert res.returncode == 2
    assert "database not found" in res.stderr.decode()
    # a report folder can be written again (the previous report is replaced)
    store = open_store(db, readonly=True)
    first = build_report(store, tmp_path / "again", n_boot=20)
    (first.index).write_text("stale")
    assert build_report(store, tmp_path / "again", n_boot=20).index.read_text() != "stale"
    store.close()


# -- the served UI, in process (FastAPI's TestClient) -------------------------------------


@pytest.fixture(scope="module")
def corpus_db(corpus_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus with its outlets table, analyzed (conftest.corpus_store)."""
    return copy_store(corpus_store[0], tmp_path_factory.mktemp("corpus") / "corpus.db")


def test_served_pages_carry_csp_and_match_the_report(corpus_db: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from claimgraph.present.site import CSP_HEADER
    from claimgraph.present.web import create_app

    before = hashlib.sha256(corpus_db.read_bytes()).hexdigest()
    out = tmp_path / "site"
    assert invoke_cli("report", "--db", str(corpus_db), "--out", str(out)).returncode == 0
    client = TestClient(create_app(str(corpus_db), n_boot=1000))
    for page in report_pages(out):
        rel = page.relative_to(out).as_posix()
        r = client.get("/" + rel)
        assert r.status_code == 200, rel
        assert r.headers["content-security-policy"] == CSP_HEADER
        assert r.headers["x-content-type-options"] == "nosniff"
        assert_inert(r.text, rel)
        # the same page as the report's, but for the meta CSP (a header here) and the UI links
        static = page.read_text(encoding="utf-8")
        strip = re.compile(
            r'<meta http-equiv="Content-Security-Policy"[^>]*>\n|<a href="(\.\./)?search.html">'
            r'Search</a>\n|<a href="/openapi.json">API \(OpenAPI\)</a>\n|<footer>.*?</footer>',
            re.S,
        )
        assert strip.sub("", r.text) == strip.sub("", static), rel
    assert hashlib.sha256(corpus_db.read_bytes()).hexdigest() == before  # read-only


def test_served_errors_and_assets(corpus_db: Path) -> None:
    from fastapi.testclient import TestClient

    from claimgraph.present.web import create_app

    client = TestClient(create_app(str(corpus_db), n_boot=20))
    assert client.get("/", follow_redirects=False).headers["location"] == "/index.html"
    for path in ("/article/nope.html", "/speaker/nope.html", "/claim/nope.html"):
        r = client.get(path)
        assert r.status_code == 404 and "Not found" in r.text, path
        assert "content-security-policy" in r.headers
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/site.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/../../pyproject.toml").status_code == 404
    assert client.get("/static/%2e%2e%2fweb.py").status_code == 404
    assert client.get("/docs").status_code == 404  # CDN-loading docs pages are off
    assert client.get("/redoc").status_code == 404
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and spec.json()["info"]["title"] == "claimgraph"
    search = client.get("/search.html")
    assert search.status_code == 200 and 'id="search-form"' in search.text


def test_served_ui_for_a_missing_database_is_a_clear_cli_error(tmp_path: Path) -> None:
    res = invoke_cli("serve", "--db", str(tmp_path / "none.db"), "--port", "0")
    assert res.returncode == 2
    assert res.stderr.decode().strip() == (
        f"error: database not found: {tmp_path / 'none.db'}; run 'claimgraph analyze' first"
    )


# -- scale: streaming counts and pages of long lists ------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("articles", ("articles", 1)),
        ("articles.p2", ("articles", 2)),
        ("wang-wenbin-0123456789.p15", ("wang-wenbin-0123456789", 15)),
        ("articles.p1", None),  # page 1 has one name only
        ("articles.p02", None),
        ("articles.p", None),
        ("articles.px", None),
        ("a.b.p2", None),
        (".p2", None),
    ],
)
def test_page_names(name: str, expected: tuple[str, int] | None) -> None:
    assert sv.parse_page_name(name) == expected
    if expected:
        assert sv.page_href(expected[0], expected[1]) == f"{name}.html"


def test_streamed_matrix_equals_the_analysis_matrix(corpus_db: Path) -> None:
    """The report's matrix without a comparison is counted while streaming the members; it
    must equal claimgraph.analyze.matrix.build_matrix over all articles."""
    from claimgraph.analyze.matrix import build_matrix, load_claims

    store = open_store(corpus_db, readonly=True)
    try:
        model = sv.SiteModel.build(store, compare=False)
        claims, members = load_claims(store)
        expected = build_matrix(claims, members, list(store.articles()))
    finally:
        store.close()
    got = model.matrix
    assert len(expected["rows"]) >= 3
    assert got["columns"] == expected["columns"]
    assert got["blindspots"] == expected["blindspots"]
    assert [r["claim_id"] for r in got["rows"]] == [r["claim_id"] for r in expected["rows"]]
    keys = ("stance", "source", "carried", "outlet_voice", "speakers", "n_members")
    for g, e in zip(got["rows"], expected["rows"], strict=True):
        assert g["n_members"] == e["n_members"]
        for col, cell in e["cells"].items():
            assert {k: g["cells"][col][k] for k in keys} == {k: cell[k] for k in keys}


def _hrefs(page: Path, prefix: str) -> list[str]:
    scan = Scan(page.read_text(encoding="utf-8"))
    return [a["href"] or "" for a in scan.all("a") if (a.get("href") or "").startswith(prefix)]


def test_long_lists_come_in_pages(
    corpus_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 3 rows to a page: every article, speaker statement and claim member is on
    exactly one page of its list, the pages link to each other, the served UI serves the
    same pages, and a report written again drops the pages it no longer has."""
    from fastapi.testclient import TestClient

    from claimgraph.present.web import create_app

    monkeypatch.setattr(sv, "PAGE_SIZE", 3)
    con = sqlite3.connect(corpus_db)
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    top, n_top = con.execute(
        f"SELECT speaker, count(*) FROM statements WHERE {speaking_sql(corpus_db)}"
        " GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT 1"
    ).fetchone()
    claim_id, n_claim = con.execute(
        "SELECT claim_id, count(*) FROM claim_members GROUP BY claim_id"
        " ORDER BY count(*) DESC, claim_id LIMIT 1"
    ).fetchone()
    all_ids = {r[0] for r in con.execute("SELECT id FROM articles")}
    con.close()
    assert n_articles > 3 and n_top > 3 and n_claim > 3
    store = open_store(corpus_db, readonly=True)
    out = build_report(store, tmp_path / "site", n_boot=20, compare=False, workers=2).out_dir
    assert check_pages(out) > 0

    lists = sorted(out.glob("articles*.html"))
    assert len(lists) == -(-n_articles // 3)
    seen = [h for p in lists for h in _hrefs(p, "article/")]
    assert len(seen) == n_articles
    assert {h.removeprefix("article/").removesuffix(".html") for h in seen} == {
        sv.page_key(a) for a in all_ids
    }
    assert 'href="articles.p2.html"' in (out / "articles.html").read_text(encoding="utf-8")

    key = sv.page_key(top)
    pages = sorted((out / "speaker").glob(f"{key}*.html"))
    assert len(pages) == -(-n_top // 3)
    rows = 0
    for p in pages:
        scan = Scan(p.read_text(encoding="utf-8"))
        assert scan.text_of("n-statements") == str(n_top)  # the summary counts them all
        rows += len([a for t, a in scan.tags if t == "tr" and a.get("class") == "statement"])
    assert rows == n_top

    key = sv.page_key(claim_id)
    pages = sorted((out / "claim").glob(f"{key}*.html"))
    assert len(pages) == -(-n_claim // 3)
    rows = sum(
        len([a for t, a in Scan(p.read_text(encoding="utf-8")).tags if a.get("class") == "member"])
        for p in pages
    )
    assert rows == n_claim

    client = TestClient(create_app(str(corpus_db), n_boot=20))
    served = {
        "articles.p2.html": "articles-table",
        f"speaker/{sv.page_key(top)}.p2.html": "statements",
        f"claim/{key}.p2.html": None,  # served with the comparison's matrix: not the same
    }
    for rel, table in served.items():
        r = client.get("/" + rel)
        assert r.status_code == 200, rel
        assert_inert(r.text, rel)
        if table:
            static = Scan((out / rel).read_text(encoding="utf-8")).text_of(table)
            assert static and Scan(r.text).text_of(table) == static, rel
    for bad in ("articles.p999.html", "articles.p1.html", f"speaker/{key}.p999.html"):
        assert client.get("/" + bad).status_code == 404, bad

    monkeypatch.setattr(sv, "PAGE_SIZE", 500)
    build_report(store, out, n_boot=20, compare=False)
    store.close()
    assert sorted(p.name for p in out.glob("articles*.html")) == ["articles.html"]
