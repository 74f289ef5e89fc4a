"""Take the screenshots of docs/tutorial.md: the report and the web UI built from the seeds.

    .venv/bin/python scripts/docs_screenshots.py [--seeds ../shared/seeds] [--out docs/img]

Runs the same steps as the tutorial (analyze, report, serve) in a temporary folder and shoots
each page with Debian's headless Chromium (scripts/browser_setup.sh installs it), driven by
Playwright. Screens are viewport-sized (1000 x 640) so the PNGs stay small; a chart is shot
whole, as its section of the page."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def run(*args: str) -> None:
    subprocess.run([str(CLAIMGRAPH), *args], check=True)


def serve(db: Path) -> tuple[str, object, threading.Thread]:
    import uvicorn

    from claimgraph.present.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"))
    ap.add_argument("--out", default=str(REPO / "docs" / "img"))
    opts = ap.parse_args()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", str(REPO / "scripts" / "browser_setup.sh")], check=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db, site = Path(tmp) / "xinjiang.db", Path(tmp) / "report"
        run("analyze", opts.seeds, "--db", str(db), "-q")
        run("report", "--db", str(db), "--out", str(site))
        url, server, thread = serve(db)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 640})

            def shot(name: str, target: str, selector: str | None = None) -> None:
                page.goto(target)
                if selector:
                    page.locator(selector).first.scroll_into_view_if_needed()
                    page.evaluate("s => document.querySelector(s).scrollIntoView()", selector)
                page.screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png")

            def figure(name: str, target: str, selector: str) -> None:
                """One section of a page, whole (a chart taller than the screen too)."""
                page.goto(target)
                page.locator(selector).first.screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png")

            index = (site / "index.html").as_uri()
            shot("overview", index)
            figure("overview-matrix", index, "#matrix")
            figure("network", index, "#claim-network")
            figure("rival-terms", index, '#rival-terms [data-group="xinjiang_facilities"]')
            shot("outlets", (site / "outlets.html").as_uri())
            shot("article", (site / "article" / "90c4dc05973612a7.html").as_uri(), "#text")
            page.goto((site / "article" / "90c4dc05973612a7.html").as_uri())
            page.locator("a.speaker-link", has_text="Wang Wenbin").first.click()
            shot("speaker", page.url)
            page.locator("#speaker-claims a.claim-link").first.click()
            shot("claim", page.url)
            page.goto(url + "/search.html?q=genocide&kind=statements")
            page.wait_for_selector("#search-status[data-total]")
            page.screenshot(path=str(out / "search.png"))
            print(out / "search.png")
            browser.close()
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(10)


if __name__ == "__main__":
    main()
