"""The five real articles in ../shared/seeds: what ingest must read from each."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.ingest import IngestOptions, RawArticle, discover, parse_input, read_bytes
from claimgraph.ingest.base import INFERRED_TEXT
from claimgraph.ingest.decode import clean_text

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent"),
]


def _seed(prefix: str) -> RawArticle:
    [path] = [p for p in discover([str(SEEDS)]) if Path(p).name.startswith(prefix)]
    [article] = parse_input(path, read_bytes(path, max_bytes=10**7), IngestOptions())
    assert isinstance(article, RawArticle)
    return article


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        pytest.param(
            "000_",
            {
                "title": None,
                "outlet": "ANI",
                "agency": "ANI",
                "published": "2021-07-08",
                "dateline": "Beijing",
            },
            id="000-ani",
        ),
        pytest.param(
            "001_",
            {
                "title": "Foreign ministry: US uses human rights to concoct malicious lies against "
                "China, interfere in Beijing’s affairs",
                "outlet": "Press TV",
                "agency": None,
                "published": None,
            },
            id="001-presstv",
        ),
        pytest.param(
            "002_",
            {
                "title": "Xinjiang officials refute allegations, welcome foreign visits",
                "outlet": "Tianshannet",
                "agency": "Xinhua",
                "published": None,
                "dateline": "Beijing",
            },
            id="002-tianshannet-xinhua",
        ),
        pytest.param("003_", {"title": None, "outlet": None, "agency": None}, id="003-no-outlet"),
        pytest.param(
            "004_",
            {
                "title": "After Widely-Criticized Visit by UN Rights Chief, State Dept. Again "
                "Accuses China of ‘Genocide’",
                "outlet": None,
                "agency": None,
            },
            id="004-cnsnews-unnamed",
        ),
    ],
)
def test_seed_metadata(prefix: str, expected: dict[str, str | None]) -> None:
    article = _seed(prefix)
    assert {name: article.get(name) for name in expected} == expected
    for name, value in expected.items():
        assert article.meta[name].provenance == (INFERRED_TEXT if value else "none")
    assert article.get("language") == "en"


def test_seed_text_is_the_whole_file() -> None:
    article = _seed("001_")
    assert article.text == clean_text(Path(article.source).read_text(encoding="utf-8"))
    assert article.text.startswith("News \u00a0 / \u00a0 China \u00a0 / \u00a0 Editor's Choice\n\n")
    title = article.get("title")
    assert title is not None
    assert article.text.index(title) == article.text.index("Foreign ministry:")
