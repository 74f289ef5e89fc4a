"""The report and the web UI in a real browser: headless Chromium (Debian's package, installed
by scripts/browser_setup.sh) driven by Playwright's Python package. Playwright's own browser
download is never used.

Stores are built once per module from ../shared/seeds and examples/corpus by the real CLI.
Screenshots land in test-artifacts/browser/ (kept by CI as artifacts). Where Chromium cannot
be installed (no root or apt-get) the tests skip locally and fail under CI=true."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from claimgraph.present import siteviews as sv
from conftest import REPO, copy_store, invoke_cli, speaking_sql

CHROMIUM = Path(os.environ.get("CLAIMGRAPH_CHROMIUM", "/usr/bin/chromium"))
SETUP = REPO / "scripts" / "browser_setup.sh"
ARTIFACTS = REPO / "test-artifacts" / "browser"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAYLOAD = "window.__pwned=(window.__pwned||0)+1;document.title='PWNED'"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed; pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        res = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True, timeout=900)
        if res.returncode != 0 or not CHROMIUM.exists():
            _skip_or_fail(
                res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "no chromium"
            )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page with every dialog, console message and page error recorded: a payload that
    ran would show up in one of them, or in window.__pwned / document.title."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 860})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.close()


# -- stores, reports, servers (once per module) ---------------------------------------------


def _analyze(db: Path, *args: str) -> Path:
    res = invoke_cli("analyze", *args, "--db", str(db), "-q")
    assert res.returncode == 0, res.stderr.decode()
    return db


def _report(db: Path, out: Path) -> Path:
    res = invoke_cli("report", "--db", str(db), "--out", str(out))
    assert res.returncode == 0, res.stderr.decode()
    return out


@pytest.fixture(scope="module")
def seeds_db(seeds_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(seeds_store[0], tmp_path_factory.mktemp("b-seeds") / "seeds.db")


@pytest.fixture(scope="module")
def corpus_db(corpus_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus with its outlets table, analyzed (conftest.corpus_store)."""
    return copy_store(corpus_store[0], tmp_path_factory.mktemp("b-corpus") / "corpus.db")


@pytest.fixture(scope="module")
def seeds_site(seeds_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(seeds_db, tmp_path_factory.mktemp("b-rep") / "site")


@pytest.fixture(scope="module")
def corpus_site(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(corpus_db, tmp_path_factory.mktemp("b-rep-c") / "site")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An article whose title, outlet, URL, body and quoted speaker carry HTML/JS payloads,
    read by the real pipeline from a Media Cloud-style JSONL record."""
    d = tmp_path_factory.mktemp("b-hostile")
    record = {
        "title": f'<script>{PAYLOAD}</script><img src=x onerror="{PAYLOAD}">Camps headline',
        "media_name": f'<img src=x onerror="{PAYLOAD}">Evil Outlet<script>{PAYLOAD}</script>',
        "url": f"javascript:{PAYLOAD}",
        "publish_date": "2024-03-05",
        "text": (
            f'BEIJING, March 5 -- Officials met on Monday. "The camps are <script>{PAYLOAD}'
            f'</script> vocational schools <img src=x onerror="{PAYLOAD}">," said '
            f'<b onmouseover="{PAYLOAD}">Mallory</b> Evil<script>{PAYLOAD}</script>, a '
            f'spokesperson for the ministry. <a href="javascript:{PAYLOAD}">Click here</a> for '
            f'the so-called evidence.\n\nCritics said the <svg onload="{PAYLOAD}"> camps are '
            f"prisons.\n"
        ),
    }
    src = d / "hostile.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return _analyze(d / "hostile.db", str(src))


class Server:
    """The real web UI (uvicorn) on a free loopback port, in a thread."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        from claimgraph.present.web import create_app

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(create_app(str(db)), log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            self.thread.join(0.05)
        assert self.server.started, "uvicorn did not start"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def corpus_server(corpus_db: Path) -> Iterator[Server]:
    s = Server(corpus_db)
    yield s
    s.stop()


def _count(db: Path, sql: str, *params: Any) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql, params).fetchone()[0])
    finally:
        con.close()


# -- the report from disk -------------------------------------------------------------------


@pytest.mark.seeds
def test_report_click_article_speaker_claim(
    watched: Watched, seeds_db: Path, seeds_site: Path
) -> None:
    out = seeds_site
    page = watched.page
    page.goto((out / "index.html").as_uri())
    assert page.title() == "Overview · claimgraph"
    assert page.locator('#counts [data-count="statements"]').inner_text() == str(
        _count(seeds_db, "SELECT count(*) FROM statements")
    )
    # the two sources that name no outlet stand apart, and the page asks to name them
    nudge = page.locator("#unnamed-outlets")
    assert nudge.locator(".unnamed").all_text_contents() == [
        "unnamed source: 003_898df97521179f3e.txt",
        "unnamed source: 004_b7eb989937ca4d7c.txt",
    ]
    assert "meta.json" in nudge.inner_text() and "--outlets" in nudge.inner_text()
    watched.shot("report-seeds-overview")

    # article: the ANI story (seeds/000_*), found through the articles list
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("link", name="000_7c2f18589a300ee4.txt").click()
    assert page.url.endswith("/article/90c4dc05973612a7.html")
    n_st = _count(seeds_db, "SELECT count(*) FROM statements WHERE article_id='90c4dc05973612a7'")
    assert page.locator("#statements tbody tr").count() == n_st
    # a highlight in the text leads to its statement's record
    first = page.locator("#text a.k-statement").first
    anchor = first.get_attribute("href")
    first.click()
    assert page.url.endswith(anchor)
    assert page.locator(f"tr{anchor}").is_visible()
    watched.shot("report-seeds-article")

    # speaker: Wang Wenbin, his page shows as many statements as the database holds, less
    # "did not disclose …" (a negated report: not said)
    page.locator("a.speaker-link", has_text="Wang Wenbin").first.click()
    assert page.url.endswith(f"/speaker/{sv.page_key('Wang Wenbin')}.html")
    n_wang = _count(
        seeds_db,
        f"SELECT count(*) FROM statements WHERE speaker='Wang Wenbin' AND {speaking_sql(seeds_db)}",
    )
    assert n_wang >= 20
    assert page.locator("h1").inner_text() == "Wang Wenbin"
    assert page.locator("#n-statements").inner_text() == str(n_wang)
    assert page.locator("#statements tbody tr").count() == n_wang
    watched.shot("report-seeds-speaker")

    # claim: the first claim he is a voice in; its page lists the claim's members
    link = page.locator("#speaker-claims a.claim-link").first
    label = link.inner_text()
    link.click()
    assert "/claim/" in page.url
    claim_id = page.url.rsplit("/", 1)[-1].removesuffix(".html")
    assert page.locator("h1").inner_text() == label
    n_members = _count(seeds_db, "SELECT count(*) FROM claim_members WHERE claim_id=?", claim_id)
    assert page.locator("#n-members").inner_text() == str(n_members)
    assert page.locator("tr.member").count() == n_members
    assert page.locator("tr.member", has_text="Wang Wenbin").count() >= 1
    watched.shot("report-seeds-claim")
    assert not watched.errors and not watched.dialogs
    assert not [c for c in watched.console if "Content Security Policy" in c], watched.console


def test_report_corpus_charts_and_filters(
    watched: Watched, corpus_db: Path, corpus_site: Path
) -> None:
    out = corpus_site
    page = watched.page
    page.goto((out / "outlets.html").as_uri())
    # one voice bar label per profiled outlet, each bar segment titled with its numbers
    chart = page.locator("figure.chart svg").first
    assert "Share of voices by speaker country" in chart.get_attribute("aria-label")
    titles = chart.locator("rect > title").all_text_contents()
    # an outlet with one article has no interval, and says so
    assert titles and all("%" in t and ("95% CI" in t or "no interval" in t) for t in titles)
    assert any("95% CI" in t for t in titles)
    outlets = _count(corpus_db, "SELECT count(DISTINCT coalesce(outlet, '')) FROM articles")
    assert (
        chart.locator("text.lbl").count() == outlets
    )  # one bar per outlet, each unnamed source too
    watched.shot("report-corpus-outlets")

    # the site's own script runs from file:// under the CSP: the table filter works
    page.goto((out / "articles.html").as_uri())
    rows = page.locator("#articles-table tbody tr")
    n = _count(corpus_db, "SELECT count(*) FROM articles")
    assert rows.count() == n
    page.locator("input[data-filter-table]").fill("radio marenne")
    visible = page.locator("#articles-table tbody tr:visible")
    n_rmi = _count(
        corpus_db, "SELECT count(*) FROM articles WHERE outlet='Radio Marenne International'"
    )
    assert 0 < n_rmi < n
    assert visible.count() >= n_rmi
    assert visible.count() < n
    assert not watched.errors, watched.errors
    # nothing left the machine: every request was for a file of the report
    assert all(u.startswith("file://") for u in watched.requests), watched.requests


def _own_text(texts: Any) -> list[str]:
    """What each SVG text element shows on the page (its own text, not its <title>)."""
    return texts.evaluate_all(
        "els => els.map(e => [...e.childNodes].filter(n => n.nodeType === 3)"
        ".map(n => n.textContent).join('').trim())"
    )


@pytest.mark.seeds
def test_charts_read_without_hovering_and_the_claim_network_renders(
    watched: Watched, seeds_site: Path, seeds_db: Path
) -> None:
    page = watched.page
    for name in ("index.html", "outlets.html"):
        page.goto((seeds_site / name).as_uri())
        figures = page.locator("figure.chart")
        assert figures.count() >= 3, name
        for fig in figures.all():
            svg = fig.locator("svg").first
            texts = [t for t in _own_text(svg.locator("text")) if t]
            assert len(texts) >= 3, (name, svg.get_attribute("aria-label"))
            assert svg.locator("text").first.is_visible()
        # a voice bar says its share on it, and the bars have an axis
        bars = page.locator("figure.chart svg").first
        if "Share of voices" in (bars.get_attribute("aria-label") or ""):
            cells = _own_text(bars.locator("text.celltext"))
            assert [t for t in cells if t.endswith("%")]
            ticks = set(_own_text(bars.locator("text.axis")))
            assert {"0%", "50%", "100%"} <= ticks
        assert page.locator("#timeline-dates").is_visible()

    page.goto((seeds_site / "index.html").as_uri())
    net = page.locator("#claim-network")
    assert net.locator("svg[role=img]").is_visible()
    n_outlets = _count(seeds_db, "SELECT count(DISTINCT outlet) FROM articles")
    assert net.locator("g.node-outlet").count() == n_outlets == 5
    n_claims = net.locator("g.node-claim").count()
    assert n_claims == net.locator("ol.claim-key li").count() >= 5
    assert net.locator("g.node-actor").count() >= 10
    colours = {e.get_attribute("stroke") for e in net.locator("line.edge").all()}
    assert {"#2b8a3e", "#c92a2a"} <= colours  # affirm and deny edges
    assert net.locator("figcaption").inner_text().count("affirm") == 1
    watched.shot("report-seeds-network")

    # rival terms: each outlet's uses of "internment camps" / "vocational ... centers", in
    # its own words and in quotes, as the term_uses table counts them (no wire copies here)
    con = sqlite3.connect(seeds_db)
    want: dict[str, list[int]] = {}
    for outlet, voice, n in con.execute(
        "SELECT a.outlet, t.voice, count(*) FROM term_uses t JOIN articles a"
        " ON a.id = t.article_id WHERE t.grp = 'xinjiang_facilities' GROUP BY 1, 2"
    ):
        want.setdefault(outlet, [0, 0])[voice == "quoted"] += n
    terms = {
        t
        for (t,) in con.execute(
            "SELECT DISTINCT term FROM term_uses WHERE grp = ?", ("xinjiang_facilities",)
        )
    }
    con.close()
    assert terms == {"internment camps", "vocational education and training centers"}
    group = page.locator('#rival-terms [data-group="xinjiang_facilities"]')
    assert group.locator("figcaption").is_visible()
    keys = [k.strip() for k in group.locator("figcaption .key").all_inner_texts()]
    assert sorted(keys) == sorted(f"“{t}”" for t in terms)
    svg = group.locator("svg[role=img]").first
    small = _own_text(svg.locator("text.small-lbl"))
    outlets = svg.locator("text.lbl:not(.small-lbl) > title").all_text_contents()
    assert small[0::4] == ["own words"] * len(outlets) and small[2::4] == ["in quotes"] * len(
        outlets
    )
    got = {o: [int(small[4 * i + 1]), int(small[4 * i + 3])] for i, o in enumerate(outlets)}
    assert got == want and len(want) >= 4
    numbers = [int(t) for t in _own_text(svg.locator("text.celltext"))]
    assert sum(numbers) == sum(map(sum, want.values()))
    assert {"0", "1", "uses"} <= set(_own_text(svg.locator("text.axis")))
    watched.shot("report-seeds-rival-terms")

    # the claim x outlet matrix at 1280 px: every claim label and outlet name shown in full,
    # wrapped, each line inside its column (the labels used to be cut at 44 characters)
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto((seeds_site / "outlets.html").as_uri())
    matrix = page.locator("#matrix svg[role=img]")
    assert matrix.is_visible()
    labels = matrix.locator("text:has(tspan)").evaluate_all(
        """els => els.map(e => {
            const b = e.getBBox(), svg = e.ownerSVGElement.getBoundingClientRect();
            return {title: e.querySelector('title').textContent,
                    lines: [...e.querySelectorAll('tspan')].map(t => t.textContent),
                    x: b.x, right: b.x + b.width, anchor: e.getAttribute('text-anchor'),
                    mid: +e.getAttribute('x'), scale: svg.width / e.ownerSVGElement.viewBox.baseVal.width};
        })"""
    )
    con = sqlite3.connect(seeds_db)
    claim_labels = {lab for (lab,) in con.execute("SELECT label FROM claims")}
    outlet_names = {o for (o,) in con.execute("SELECT DISTINCT outlet FROM articles")}
    con.close()
    rows = [lab for lab in labels if lab["anchor"] == "end"]
    cols = [lab for lab in labels if lab["anchor"] == "middle"]
    assert {r["title"] for r in rows} == claim_labels and len(claim_labels) >= 10
    assert {c["title"] for c in cols} == outlet_names
    assert max(len(r["title"]) for r in rows) > 60 and any(len(r["lines"]) > 1 for r in rows)
    for lab in labels:
        assert "".join(lab["lines"]).replace(" ", "") == lab["title"].replace(" ", ""), lab
        assert "…" not in "".join(lab["lines"]), lab
        assert lab["scale"] == 1  # drawn at full size: 12px type, not scaled down
    assert min(r["x"] for r in rows) >= 0  # no claim label runs off the chart's left edge
    for c in cols:  # each outlet name stays over its own column (92 px wide)
        assert c["mid"] - 46 <= c["x"] and c["right"] <= c["mid"] + 46, c
    watched.shot("report-seeds-matrix")
    assert not watched.errors, watched.errors


def _api(db: Path, *paths: str) -> list[Any]:
    from fastapi.testclient import TestClient

    from claimgraph.present.web import create_app

    with TestClient(create_app(str(db))) as client:
        return [client.get(p).raise_for_status().json() for p in paths]


@pytest.mark.parametrize("which", ["seeds", "corpus"])
def test_one_number_per_fact_across_views(
    watched: Watched, request: pytest.FixtureRequest, which: str
) -> None:
    """The counts the overview, outlets and claim pages show equal `compare --json` and the
    API (issue 27: Press TV had 13 statements in compare and 17 in the report; a claim had
    14 members in one view and listed 18 on its page)."""
    db: Path = request.getfixturevalue(f"{which}_db")
    out: Path = request.getfixturevalue(f"{which}_site")
    res = invoke_cli("compare", "--db", str(db), "--json")
    assert res.returncode == 0, res.stderr.decode()
    cmp = json.loads(res.stdout)
    outlets_api, claims_api, articles_api = _api(
        db, "/api/outlets", "/api/claims", "/api/articles?limit=1"
    )
    api = {o["name"]: o for o in outlets_api["items"]}
    profiles = {p["label"]: p for p in cmp["outlets"]}
    assert set(profiles) <= set(api) and len(profiles) >= 5
    page = watched.page

    # overview: each outlet's articles and statements, as the API and compare count them
    page.goto((out / "index.html").as_uri())
    shown = {}
    for row in page.locator("#outlet-counts tbody tr").all():
        cells = {
            k: row.locator(f'[data-count="{k}"]').inner_text()
            for k in ("articles", "statements", "voices")
        }
        shown[row.get_attribute("data-outlet")] = cells
    assert set(shown) == set(api)
    for name, cells in shown.items():
        assert int(cells["articles"]) == api[name]["n_articles"], name
        assert int(cells["statements"]) == api[name]["n_statements"], name
        p = profiles[name]
        assert (p["stored"]["n_articles"], p["stored"]["n_statements"]) == (
            api[name]["n_articles"],
            api[name]["n_statements"],
        )
        assert p["n_articles"] + p["n_wire_copies"] == api[name]["n_articles"], name
        assert int(cells["voices"]) == p["n_voices"] <= p["n_statements"], name
    total = page.locator('#counts [data-count="articles"]').inner_text()
    assert int(total) == articles_api["total"] == sum(o["n_articles"] for o in api.values())
    statements = int(page.locator('#counts [data-count="statements"]').inner_text())
    assert statements == sum(o["n_statements"] for o in api.values())
    # the timeline: drawn only where at least half the items carry a day date (the seeds:
    # 8 of 92, all from one ANI article), else the counts said plainly
    tl = cmp["timeline"]
    n_items = tl["n_items"]
    dated = n_items - tl["n_undated"] - tl["n_coarse"]
    assert dated == sum(row["n"] for row in tl["by_date"])
    timeline = page.locator("#timeline")
    said = {
        k: int(timeline.locator(f'#timeline-dates [data-count="{k}"]').inner_text())
        for k in ("dated", "items", "undated")
    }
    assert said == {"dated": dated, "items": n_items, "undated": n_items - dated}
    drawn = timeline.locator("svg[role=img]")
    if which == "seeds":
        assert 0 < dated < n_items / 4
        assert drawn.count() == 0 and "No timeline" in timeline.inner_text()
    else:
        assert dated >= n_items / 2 and drawn.is_visible()
        assert sum(int(t) for t in _own_text(drawn.locator("text.celltext"))) == dated

    # outlets page: each profile's counts, labelled apart (all, profiled, voices)
    page.goto((out / "outlets.html").as_uri())
    for name, p in profiles.items():
        counts = page.locator(f"#o-{sv.page_key(name)} .outlet-counts")
        got = {
            k: int(counts.locator(f'[data-count="{k}"]').inner_text())
            for k in ("articles", "statements", "voices")
        }
        assert got == {
            "articles": api[name]["n_articles"],
            "statements": api[name]["n_statements"],
            "voices": p["n_voices"],
        }, name

    # claims: the count each view gives is the number of members the claim's page lists
    rows = {r["claim_id"]: r for r in cmp["matrix"]["rows"]}
    assert len(claims_api["items"]) >= 5
    for c in claims_api["items"]:
        page.goto((out / sv.claim_href(c["claim_id"])).as_uri())
        listed = page.locator("tr.member").count()
        assert int(page.locator("#n-members").inner_text()) == listed == c["n_members"]
        if c["claim_id"] in rows:
            assert rows[c["claim_id"]]["n_members_all"] == listed
            assert rows[c["claim_id"]]["n_members"] <= listed  # wire copies left out
    assert not watched.errors, watched.errors


# -- the served UI ------------------------------------------------------------------------------


def test_served_ui_search_and_click_through(watched: Watched, corpus_server: Server) -> None:
    page = watched.page
    page.goto(corpus_server.url + "/search.html")
    page.locator("#q").fill("dam")
    page.locator("#kind").select_option("statements")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#search-status[data-total]")
    with urlopen(corpus_server.url + "/api/search?q=dam&kind=statements&limit=20") as r:
        api = json.load(r)
    assert api["total"] > 0
    assert page.locator("#search-status").get_attribute("data-total") == str(api["total"])
    hits = page.locator("#hits li")
    assert hits.count() == min(20, api["total"])
    assert hits.first.locator(".snippet").inner_text() == api["hits"][0]["snippet"]
    assert page.locator("#facets button[data-facet=outlet]").count() == len(api["facets"]["outlet"])
    watched.shot("ui-corpus-search")

    # a facet narrows the search
    facet = next(f for f in api["facets"]["outlet"] if f["value"])
    page.locator("#facets button[data-facet=outlet]", has_text=facet["value"]).first.click()
    page.wait_for_function(
        "n => document.querySelector('#search-status').dataset.total === String(n)",
        arg=facet["count"],
    )
    assert page.locator("input[name=outlet]").input_value() == facet["value"]

    # a hit leads to its statement on the article page
    hit = page.locator("#hits li a").first
    href = hit.get_attribute("href")
    hit.click()
    page.wait_for_url("**" + href)
    assert page.locator(f"tr#{href.rsplit('#', 1)[1]}").is_visible()
    watched.shot("ui-corpus-article")
    assert not watched.errors, watched.errors


def test_served_ui_pages_match_database(
    watched: Watched, corpus_server: Server, corpus_db: Path
) -> None:
    page = watched.page
    response = page.goto(corpus_server.url + "/speakers.html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    con = sqlite3.connect(corpus_db)
    top, n = con.execute(
        f"SELECT speaker, count(*) FROM statements WHERE {speaking_sql(corpus_db)}"
        " GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT 1"
    ).fetchone()
    con.close()
    page.locator("#speakers-table a", has_text=top).first.click()
    assert page.locator("h1").inner_text() == top
    assert page.locator("#n-statements").inner_text() == str(n)
    assert page.locator("#statements tbody tr").count() == n
    page.get_by_role("link", name="API (OpenAPI)").click()
    assert "/api/search" in json.loads(page.locator("body").inner_text())["paths"]


# -- hostile text --------------------------------------------------------------------------------


def _visit_all(w: Watched, urls: list[str]) -> None:
    """Open each page, hover and focus every highlight and link (onmouseover payloads)."""
    for url in urls:
        w.page.goto(url)
        if "/article/" in url or "/speaker/" in url:
            for loc in w.page.locator("#text a, h1, tbody td").all()[:30]:
                loc.hover()
        assert w.page.title() != "PWNED", url


def test_probe_catches_a_script_that_runs(watched: Watched) -> None:
    """The detector itself works: an unescaped payload, with no CSP, is caught."""
    watched.page.set_content(f'<img src=x onerror="{PAYLOAD}"><script>alert("x")</script>')
    watched.page.wait_for_function("() => window.__pwned === 1")
    assert watched.dialogs == ["x"]


def test_hostile_article_is_inert_in_report_and_ui(
    watched: Watched, hostile_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = _report(hostile_db, tmp_path_factory.mktemp("b-rep-h") / "site")
    pages = sorted(out.rglob("*.html"))
    _visit_all(watched, [p.as_uri() for p in pages])
    article = next(p for p in pages if p.parent.name == "article")
    watched.page.goto(article.as_uri())
    # the payloads are there, as text
    assert "<script>" in watched.page.locator("h1").inner_text()
    assert "javascript:" in watched.page.locator("table.meta").inner_text()
    assert watched.page.locator("a[href^='javascript']").count() == 0
    assert "<img src=x" in watched.page.locator("#text").inner_text()
    watched.shot("report-hostile-article")

    server = Server(hostile_db)
    try:
        urls = [server.url + "/" + p.relative_to(out).as_posix() for p in pages]
        _visit_all(watched, urls)
        watched.page.goto(server.url + "/search.html?q=camps&kind=articles")
        watched.page.wait_for_selector("#search-status[data-total]")
        assert watched.page.locator("#hits li").count() == 1
        assert "<script>" in watched.page.locator("#hits li a").inner_text()
        watched.page.goto(server.url + "/search.html?q=camps&kind=statements")
        watched.page.wait_for_selector("#search-status[data-total]")
        assert watched.page.locator("#hits li").count() >= 1  # our script ran; theirs did not
        watched.shot("ui-hostile-search")
    finally:
        server.stop()
    assert watched.pwned() is None
    assert watched.dialogs == []
    assert not [c for c in watched.console if "PWNED" in c or "pwned" in c]
    # nothing was even attempted: an escaped payload is text, so the CSP had nothing to refuse
    assert not [c for c in watched.console if "Content Security Policy" in c], watched.console
    assert not watched.errors, watched.errors
