"""Metadata inferred from the text: datelines, date lines, self-named outlets, language."""

from __future__ import annotations

import pytest

from claimgraph.ingest import IngestOptions, RawArticle, parse_input
from claimgraph.ingest.base import GIVEN_SIDECAR, INFERRED_TEXT, Meta
from claimgraph.ingest.metadata import (
    dateline,
    infer_metadata,
    language,
    normalize_date,
    outlet_named,
    published_date,
)

REST = " The spokesman said the claims were lies."


@pytest.mark.parametrize(
    ("opening", "place", "agency"),
    [
        pytest.param("BEIJING, Feb. 1 (Xinhua) --", "Beijing", "Xinhua", id="xinhua"),
        pytest.param("Beijing [China], July 8 (ANI):", "Beijing", "ANI", id="ani"),
        pytest.param(
            " date 2021-07-08 Beijing [China], July 8 (ANI):", "Beijing", "ANI", id="ani-after-date"
        ),
        pytest.param("WASHINGTON (Reuters) -", "Washington", "Reuters", id="reuters"),
        pytest.param("NEW YORK, March 3 (AP) —", "New York", "AP", id="ap-two-word-place"),
        pytest.param("(AP) —", None, "AP", id="ap-no-place"),
        pytest.param("MOSCOW, 3 March (TASS) –", "Moscow", "TASS", id="tass-day-month"),
        pytest.param("URUMQI, Feb. 1 /Xinhua/ --", "Urumqi", "Xinhua", id="xinhua-slashes"),
        pytest.param("ANKARA (AA) -", "Ankara", "Anadolu", id="anadolu-alias"),
        pytest.param("New Delhi [India], Jan 5 (ANI):", "New Delhi", "ANI", id="ani-new-delhi"),
        pytest.param("KABUL —", "Kabul", None, id="caps-place-dash"),
        pytest.param("KORVA, March 12 (VNA) --", "Korva", "VNA", id="unlisted-agency-wire-form"),
        pytest.param(
            "LUSSEN, March 13 (Northbridge) -", "Lussen", "Northbridge", id="unlisted-agency-word"
        ),
        pytest.param(
            "Lussen, March 13 (Northbridge) -", None, None, id="unlisted-agency-needs-caps-place"
        ),
        pytest.param("LUSSEN (Northbridge) -", None, None, id="unlisted-agency-needs-date"),
        pytest.param("China hit back on Monday (Xinhua) -", None, None, id="not-at-start"),
        pytest.param("NEWS —", None, None, id="generic-word-not-a-place"),
        pytest.param("Children pose for photos. (Xinhua/Sadat)", None, None, id="photo-credit"),
    ],
)
def test_dateline(opening: str, place: str | None, agency: str | None) -> None:
    assert dateline(opening + REST) == (place, agency)


def test_trailing_credit_gives_agency_only() -> None:
    assert dateline("Body of the story.\n\nLast paragraph, said the spokesperson. (ANI)") == (
        None,
        "ANI",
    )


@pytest.mark.parametrize(
    ("text", "date"),
    [
        pytest.param(
            " date 2021-07-08 Beijing [China], July 8 (ANI): x", "2021-07-08", id="date-label"
        ),
        pytest.param("Title\nPublished: July 8, 2021\nBody.", "2021-07-08", id="published-label"),
        pytest.param("Title\nUpdated on 8 July 2021, 10:32\nBody.", "2021-07-08", id="updated-dmy"),
        pytest.param("Title\n2021-07-08T10:32:00Z\nBody.", "2021-07-08", id="iso-line"),
        pytest.param("Title\nThursday, July 8, 2021 | 10:32 AM\nBody.", "2021-07-08", id="weekday"),
        pytest.param("Title\nSept. 14, 2022\nBody.", "2022-09-14", id="abbrev-month"),
        pytest.param("BEIJING, Feb. 1 (Xinhua) -- x", None, id="dateline-day-without-year"),
        pytest.param(
            "Title\nPhoto taken on Oct. 19, 2019. (Xinhua)\nBody.", None, id="caption-date"
        ),
        pytest.param(
            "Title\nJuly 8, 2021 was the day the report came out.\nBody.",
            None,
            id="date-in-sentence",
        ),
        pytest.param("Title\nPublished: February 30, 2021\nBody.", None, id="impossible-date"),
        pytest.param("a\nb\nc\nd\ne\nf\nPublished: July 8, 2021", None, id="not-at-top"),
    ],
)
def test_published_date(text: str, date: str | None) -> None:
    assert published_date(text) == date


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("2021-07-08 10:32:00.123456", "2021-07-08"),
        ("2021-07-08T10:32:00Z", "2021-07-08"),
        ("July 8, 2021", "2021-07-08"),
        ("sometime in 2021", "sometime in 2021"),
    ],
)
def test_normalize_date(value: str, normalized: str) -> None:
    assert normalize_date(value) == normalized


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        pytest.param(
            "Body.\n\nPress TV’s website can also be accessed at:", "Press TV", id="presstv-curly"
        ),
        pytest.param(
            "Body.\n\nPress TV's website can also be accessed at:",
            "Press TV",
            id="presstv-straight",
        ),
        pytest.param("Visit Press TV's website for more.", "Press TV", id="call-to-action-dropped"),
        pytest.param(
            "The analyst told Press TV that the sanctions would fail.", "Press TV", id="told"
        ),
        pytest.param("The analyst told the Global Times on Monday.", "Global Times", id="told-the"),
        pytest.param("(Global Times)\nBEIJING - China said.", "Global Times", id="masthead-line"),
        pytest.param(
            "China said it would respond. (Global Times)\n\nMore.",
            "Global Times",
            id="masthead-end",
        ),
        pytest.param(
            "TIANSHANNET › News › Xinjiang News\n\nTitle\n\nBody.",
            "Tianshannet",
            id="caps-breadcrumb",
        ),
        pytest.param(
            "CGTN / World / China\n\nTitle\n\nBody.", "CGTN", id="caps-acronym-breadcrumb"
        ),
        pytest.param(
            "News / China / Editor's Choice\n\nTitle\n\nBody.", None, id="generic-breadcrumb"
        ),
        pytest.param("HOME / NEWS / CHINA\n\nTitle.", None, id="caps-generic-breadcrumb"),
        pytest.param("Wang told Blinken the claims were lies.", None, id="told-a-person"),
        pytest.param("Details are on the ministry's website.", None, id="ministry-website"),
        pytest.param(
            "A photo credit (Photo by Reuters) and (AFP photo).", None, id="photo-credits"
        ),
        pytest.param("The State Department said on Thursday.", None, id="nothing-named"),
    ],
)
def test_outlet_named(text: str, outlet: str | None) -> None:
    assert outlet_named(text) == outlet


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        pytest.param(
            "The spokesman said that the United States was not able to contain the development "
            "of China and that the claims of the report were lies from the start.",
            "en",
            id="english",
        ),
        pytest.param(
            "Le porte-parole a déclaré que les États-Unis ne pouvaient pas contenir le "
            "développement de la Chine et que les allégations du rapport étaient des mensonges.",
            None,
            id="french",
        ),
        pytest.param("新疆官员驳斥指控，欢迎外国人访问。" * 5, None, id="chinese"),
        pytest.param("Too short to tell.", None, id="short"),
    ],
)
def test_language(text: str, lang: str | None) -> None:
    assert language(text) == lang


def _article(text: str) -> RawArticle:
    return RawArticle(source="a.txt", text=text, fmt="txt")


def test_agency_is_outlet_when_no_outlet_named() -> None:
    article = _article("WASHINGTON (Reuters) - The State Department said on Thursday.")
    infer_metadata(article)
    assert article.meta["outlet"] == Meta("Reuters", INFERRED_TEXT)
    assert article.meta["agency"] == Meta("Reuters", INFERRED_TEXT)
    assert article.meta["dateline"] == Meta("Washington", INFERRED_TEXT)


def test_named_site_beats_agency() -> None:
    article = _article(
        "TIANSHANNET › News › Xinjiang\n\nTitle here now\n\nBEIJING, Feb. 1 (Xinhua) -- x"
    )
    infer_metadata(article)
    assert article.get("outlet") == "Tianshannet"
    assert article.get("agency") == "Xinhua"


def test_given_fields_are_not_inferred() -> None:
    article = _article("WASHINGTON (Reuters) - The State Department said on Thursday.")
    article.meta["outlet"] = Meta(None, GIVEN_SIDECAR)  # known to be empty
    article.meta["dateline"] = Meta("Geneva", GIVEN_SIDECAR)
    infer_metadata(article)
    assert article.meta["outlet"] == Meta(None, GIVEN_SIDECAR)
    assert article.meta["dateline"] == Meta("Geneva", GIVEN_SIDECAR)


def test_text_naming_nothing_gets_no_outlet() -> None:
    [article] = parse_input(
        "a.txt", b"The State Department said on Thursday that it agreed.", IngestOptions()
    )
    assert isinstance(article, RawArticle)
    assert article.meta["outlet"] == Meta()
    assert set(article.meta) >= {"title", "outlet", "published", "dateline", "agency", "url"}
