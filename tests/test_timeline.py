"""Timeline: relative dates resolved from the published date (dates worked out by hand from a
calendar), statements dated by their attribution, not their content; counts per day/week."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.analyze.timeline import (
    _END,
    _PATTERNS,
    Sentences,
    _is_boundary,
    _resolve_with,
    bucket,
    parse_published,
    resolve_dates,
    sentence_bounds,
    statement_date,
)

THU = date(2021, 7, 8)  # Thursday 8 July 2021
MON = date(2021, 2, 1)  # Monday 1 February 2021


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # ANI-style dateline story: "said ... on Wednesday" in Thursday's paper
        ("said spokesperson Wang Wenbin on Wednesday.", THU, [("on Wednesday", "2021-07-07", "day")]),
        # a bare weekday in that day's paper is the same day
        ("the ministry said on Thursday", THU, [("on Thursday", "2021-07-08", "day")]),
        ("Blinken on Tuesday met survivors", THU, [("on Tuesday", "2021-07-06", "day")]),
        ("last Thursday", THU, [("last Thursday", "2021-07-01", "day")]),
        ("will meet next Monday", THU, [("next Monday", "2021-07-12", "day")]),
        ("yesterday", THU, [("yesterday", "2021-07-07", "day")]),
        ("Officials said today", THU, [("today", "2021-07-08", "day")]),
        ("three days ago", THU, [("three days ago", "2021-07-05", "day")]),
        ("2 weeks ago", THU, [("2 weeks ago", "2021-06-21", "week")]),
        # week = its Monday; 8 July 2021 is in the week of Monday 5 July
        ("called on China last week to end", THU, [("last week", "2021-06-28", "week")]),
        ("this week", THU, [("this week", "2021-07-05", "week")]),
        ("last month", THU, [("last month", "2021-06-01", "month")]),
        ("last year", THU, [("last year", "2020-01-01", "year")]),
        ("Early this year, the US became the first", THU, [("this year", "2021-01-01", "year")]),
        # month and day without a year: the publication year...
        ("on Feb. 1 the official denounced", date(2021, 2, 3), [("Feb. 1", "2021-02-01", "day")]),
        # ...unless that is over a week after publication: then the year before
        ("on Dec. 20 the report came out", date(2021, 2, 3), [("Dec. 20", "2020-12-20", "day")]),
        ("BEIJING, Feb. 1 (Xinhua) -- A senior official on Monday denounced", MON,
         [("Feb. 1", "2021-02-01", "day"), ("on Monday", "2021-02-01", "day")]),
        # absolute dates need no published date
        ("in Qiemo County, Oct. 19, 2019.", None, [("Oct. 19, 2019", "2019-10-19", "day")]),
        ("on 1 February 2021", None, [("1 February 2021", "2021-02-01", "day")]),
        ("By October 2019, all trainees had graduated", None, [("October 2019", "2019-10-01", "month")]),
        ("Since April 2017, more than one million", None, [("April 2017", "2017-04-01", "month")]),
        ("elected in 2016", None, [("in 2016", "2016-01-01", "year")]),
        # relative dates without a published date stay unresolved
        ("said on Wednesday", None, []),
        # "may" the verb is not May
        ("they may 2 go", THU, []),
        ("a non-date sentence about 1,000 organizations", THU, []),
    ],
)  # fmt: skip
def test_resolve_dates(text, published, expected):
    got = [(r.text, r.date.isoformat(), r.granularity) for r in resolve_dates(text, published)]
    assert got == expected
    for r in resolve_dates(text, published):
        assert text[r.start : r.end] == r.text


def test_sentence_bounds_skip_abbreviations():
    text = "He left. On Feb. 1 the U.S. envoy said it. Then he went home."
    lo = text.index("envoy")
    assert text[slice(*sentence_bounds(text, lo, lo + 5))] == "On Feb. 1 the U.S. envoy said it."
    # the letters of an abbreviation ending a longer word are none: "first." ends one ("st.")
    text = "They came first. Gov. Ashby spoke. It was fine."
    lo = text.index("Ashby")
    assert text[slice(*sentence_bounds(text, lo, lo + 5))] == "Gov. Ashby spoke."


ARTICLE = (
    "Kestrel Bay, July 8. The dam is safe, Korvan officials said.\n"
    '"By October 2019 all villagers had moved," spokesperson Ilka Dorn said on Wednesday.\n'
    "Ilka Dorn last week called the report a lie.\n"
    '"We will reply on Monday," she said.'
)


def _span(sub: str) -> tuple[int, int]:
    i = ARTICLE.index(sub)
    return i, i + len(sub)


def test_statement_dated_by_attribution_not_content():
    content = _span('"By October 2019 all villagers had moved,"')
    cue = _span("said on")
    got = statement_date(ARTICLE, content, THU, cue=(cue[0], cue[0] + 4))
    assert got == {
        "date": "2021-07-07",
        "granularity": "day",
        "date_source": "sentence",
        "date_text": "on Wednesday",
    }


def test_statement_with_a_date_only_inside_its_quote_falls_back_to_published():
    content = _span('"We will reply on Monday,"')
    cue = _span("she said")
    got = statement_date(ARTICLE, content, THU, cue=(cue[0] + 4, cue[1]))
    assert got == {
        "date": "2021-07-08",
        "granularity": "day",
        "date_source": "published",
        "date_text": None,
    }
    assert statement_date(ARTICLE, content, None, cue=(cue[0] + 4, cue[1]))["date"] is None


def test_reported_speech_between_speaker_and_content():
    content = _span("the report a lie")
    cue = _span("called")
    got = statement_date(ARTICLE, content, THU, cue=cue)
    # the week before the week of Monday 5 July: Monday 28 June
    assert (got["date"], got["granularity"], got["date_text"]) == (
        "2021-06-28",
        "week",
        "last week",
    )


def test_narration_is_dated_by_its_own_dates():
    span = _span("Kestrel Bay, July 8. The dam is safe")
    got = statement_date(ARTICLE, span, date(2021, 7, 9), narrated=True)
    assert (got["date"], got["date_source"]) == ("2021-07-08", "sentence")


def test_parse_published():
    assert parse_published("2021-07-08T10:00:00Z") == THU
    assert parse_published("2021-07-08") == THU
    assert parse_published("8 July") is None
    assert parse_published(None) is None


def test_bucket_by_day_and_week():
    items = [
        {"date": "2021-07-07", "granularity": "day", "outlet": "A", "claim_ids": ["c1"]},
        {"date": "2021-07-08", "granularity": "day", "outlet": "A", "claim_ids": ["c1", "c2"]},
        {"date": "2021-06-28", "granularity": "week", "outlet": "B", "claim_ids": []},
        {"date": "2021-01-01", "granularity": "year", "outlet": "B", "claim_ids": ["c1"]},
        {"date": None, "granularity": None, "outlet": "B", "claim_ids": ["c1"]},
    ]
    assert bucket(items, "day") == [
        {"period": "2021-07-07", "outlet": "A", "claim_id": "c1", "n": 1},
        {"period": "2021-07-08", "outlet": "A", "claim_id": "c1", "n": 1},
        {"period": "2021-07-08", "outlet": "A", "claim_id": "c2", "n": 1},
    ]
    assert bucket(items, "week") == [
        {"period": "2021-W26", "outlet": "B", "claim_id": None, "n": 1},
        {"period": "2021-W27", "outlet": "A", "claim_id": "c1", "n": 2},
        {"period": "2021-W27", "outlet": "A", "claim_id": "c2", "n": 1},
    ]


# -- the shortcuts give what the plain scans give ---------------------------------------------


def _scanned_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """`sentence_bounds` by its definition: the last boundary in a scan of text[:lo], the
    first in a scan from hi (what `Sentences` finds by bisection)."""
    start = 0
    for m in _END.finditer(text, 0, max(lo, 0)):
        if m.end() <= lo and _is_boundary(text, m):
            start = m.end()
    end = len(text)
    for m in _END.finditer(text, max(hi, 0)):
        if _is_boundary(text, m):
            end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
            break
    return start, end


_PIECES = ["a", "No", "Gov", "U.S", "x", " ", "  ", "\n", ".", "!", "?", '"', "”", "’", "'", ")"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_sentences_bisect_as_the_scan_finds(pieces):
    # every span of texts dense in full stops, closing quotes, spaces and line breaks,
    # spans that start or end inside a sentence end's run of quotes and spaces included
    text = "".join(pieces)
    sentences = Sentences(text)
    for lo in range(len(text) + 2):
        for hi in range(lo, len(text) + 2):
            assert sentences.bounds(lo, hi) == _scanned_bounds(text, lo, hi), (text, lo, hi)


_DATE_PIECES = [
    "May 3", "may 3", "MAY 2019", "mAy", "Sept. 19", "sept 4", "ſept 4", "Dec", "decided",
    "Oct.", "3", "19", "3 June", "4 june 2020", "jUly 2020",
    "2019", "2021", ",", ".", "last", "next", "this", "on", "Monday", "friday", "days",
    "week", "month", "years", "ago", "two", "Chicago", "today", "Tonight", "tomorrow",
    "yesterday", "in", "since", "İn", "ı", "K", "Kelvin", "earlier", "past",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_DATE_PIECES), max_size=8),
    st.lists(st.sampled_from([" ", "  ", "\n", ""]), min_size=8, max_size=8),
    st.sampled_from([THU, MON, None]),
)
def test_skipped_patterns_resolve_nothing(pieces, gaps, published):
    # `resolve_dates` reads a text only with the patterns it may hold: the dates are those
    # of every pattern, on texts made of dates' words, their lowercase and capitalised
    # look-alikes and the letters that match i, s and k case-insensitively
    text = "".join(p + g for p, g in zip(pieces, gaps, strict=False))
    assert resolve_dates(text, published) == _resolve_with(_PATTERNS, text, published)


@pytest.mark.parametrize(
    ("odd", "plain"),
    [
        ("on Tue\u017fday", "on Tuesday"),
        ("ton\u0131ght", "tonight"),
        ("Augu\u017ft 3, 2020", "August 3, 2020"),
        ("la\u017ft week", "last week"),
        ("three wee\u212as ago", "three weeks ago"),
    ],
)
def test_letters_a_case_blind_pattern_takes_for_i_s_k_resolve_as_those(odd, plain):
    """ "Tueſday" (long s), "tonıght" (dotless i), the Kelvin sign for k: the case-blind
    patterns match them, so they resolve as the plain words do instead of failing the whole
    timeline (a KeyError, a ValueError) or reading "laſt week" as this week."""
    published = date(2020, 8, 20)
    got = [(r.start, r.end, r.date, r.granularity) for r in resolve_dates(odd, published)]
    want = [(r.start, r.end, r.date, r.granularity) for r in resolve_dates(plain, published)]
    assert got == want and want
