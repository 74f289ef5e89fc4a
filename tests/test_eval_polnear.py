"""PolNeAR scorer: BRAT reading, span matching and scoring on hand-made cases, and the real
dev split when ../shared/evaldata is present. No spaCy here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimgraph.errors import UsageError
from claimgraph.eval.polnear import (
    GoldArticle,
    GoldAttribution,
    agreement,
    attributions,
    choose_annotation,
    format_agreement,
    format_errors,
    format_report,
    has_quote_mark,
    load_split,
    parse_ann,
    score,
    speaker_by_name,
    speaker_error_class,
    surface_mismatches,
)
from claimgraph.eval.spans import intersection, match, normalize, overlap, prf, size

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "evaldata" / "polnear"

# ----------------------------------------------------------------------------- BRAT parsing

TEXT = (
    '"We will win," Smith said, "and soon."\n\nThe mayor believes it.\n\nIt rained.\n'
    "Jones says taxes rise.\n"
)
ANN = """\
T1\tContent 0 14;27 38\t"We will win," "and soon."
T2\tSource 15 20\tSmith
T3\tCue 21 25\tsaid
T4\tAttribution 21 25\tsaid
E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2
T5\tContent 50 74\tbelieves it.

It rained.
T6\tCue 50 58\tbelieves
T7\tAttribution-no-source 50 58\tbelieves
E2\tAttribution-no-source:T7 Cue:T6 Content:T5
#1\tAnnotatorNotes T5\tDoes the rain belong here?
T8\tSource 75 80\tJones
T9\tCue 81 85\tsays
T10\tContent 86 91\ttaxes
T11\tContent 92 96\trise
T12\tAttribution 81 85\tsays
E3\tAttribution:T12 Source:T8 Cue:T9 Content:T10 Content2:T11 Cue2:T3
T13\tAttribution-no-source 75 80\tJones
E4\tAttribution-no-source:T13
T14\tDiscard 40 49\tThe mayor
"""


def test_parse_ann_reads_discontinuous_spans_and_multiline_surfaces():
    ann = parse_ann(ANN)
    assert ann.textbounds["T1"].fragments == ((0, 14), (27, 38))
    # the surface of T5 crosses a paragraph break: its next two .ann lines belong to it
    assert ann.textbounds["T5"].surface == "believes it.\n\nIt rained."
    assert ann.textbounds["T14"].type == "Discard"
    assert [e.id for e in ann.events] == ["E1", "E2", "E3", "E4"]
    assert ann.events[0].trigger == "T4"
    assert ann.events[1].type == "Attribution-no-source"
    assert ann.events[2].args[-1] == ("Cue2", "T3")
    assert "#1" not in ann.textbounds


def test_surfaces_of_hand_made_ann_match_offsets():
    ann = parse_ann(ANN)
    art = GoldArticle("x", "dev", "a", TEXT, [], ann.textbounds)
    assert surface_mismatches(art) == []


def test_attributions_fold_roles_and_skip_events_without_content():
    golds, skipped = attributions(parse_ann(ANN), TEXT)
    assert skipped == 1  # E4 has no content
    e1, e2, e3 = golds
    assert (e1.id, e1.content, e1.source, e1.source_text) == (
        "E1",
        ((0, 14), (27, 38)),
        ((15, 20),),
        "Smith",
    )
    # fragments joined by one space, as BRAT writes the surface
    assert e1.content_text == '"We will win," "and soon."' and e1.quoted
    assert e2.type == "Attribution-no-source" and e2.source == () and not e2.quoted
    assert e2.content_text == "believes it.\n\nIt rained."
    # Content + Content2 form one content; Cue + Cue2 one cue
    assert e3.content == ((86, 91), (92, 96))
    assert e3.content_text == "taxes rise"
    assert e3.cue == ((21, 25), (81, 85))


@st.composite
def _textbounds(draw):
    n = draw(st.integers(1, 5))
    out = []
    for i in range(n):
        frags = draw(
            st.lists(st.tuples(st.integers(0, 500), st.integers(1, 40)), min_size=1, max_size=3)
        )
        surface = draw(st.text(alphabet="ab \n“”'", max_size=20).filter(lambda s: s[:1] != "T"))
        out.append((f"T{i + 1}", [(s, s + n) for s, n in frags], surface))
    return out


@given(_textbounds())
def test_parse_ann_round_trips_textbounds(tbs):
    source = "".join(
        f"{tid}\tContent {';'.join(f'{s} {e}' for s, e in frags)}\t{surface}\n"
        for tid, frags, surface in tbs
    )
    parsed = parse_ann(source).textbounds
    for tid, frags, surface in tbs:
        assert parsed[tid].fragments == tuple(frags)
        # a surface's trailing newlines cannot be told apart from the line break
        assert parsed[tid].surface == surface.rstrip("\n")


# ----------------------------------------------------------------------------- quote marks


@pytest.mark.parametrize(
    "text, quoted",
    [
        ('"We will win," he said', True),
        ("“absolutely right”", True),
        ("Trump 'absolutely right' in saying", True),  # headline single quotes
        ("It’s ‘in Their Heads.’", True),
        ("«Non»", True),
        ("that the voters’ choice isn’t clear", False),  # apostrophes only
        ("it's the '90s again", True),  # an opening quote before a word: accepted ambiguity
        ("that taxes will rise", False),
    ],
)
def test_has_quote_mark(text, quoted):
    assert has_quote_mark(text) is quoted


# ----------------------------------------------------------------------------- span maths


def test_span_helpers():
    assert normalize([(5, 9), (0, 3), (3, 4), (8, 12), (7, 7)]) == ((0, 4), (5, 12))
    a = normalize([(0, 10), (20, 30)])  # 20 chars
    b = normalize([(5, 25)])  # 20 chars
    assert size(a) == 20 and intersection(a, b) == 10  # [5,10) + [20,25)
    assert overlap(a, b) == 10 / 20
    assert overlap(((0, 10),), ((0, 40),)) == 10 / 40  # a fragment of a long gold span
    assert overlap(((0, 10),), ((10, 20),)) == 0.0
    assert overlap((), ()) == 0.0


def test_match_is_one_to_one_and_greedy_by_overlap():
    golds = [((0, 100),), ((200, 300),)]
    preds = [((0, 60),), ((0, 100),), ((150, 300),)]
    # candidates at 0.3: p1-g0 1.0, p0-g0 0.6, p2-g1 100/150 = 0.667
    found = match(preds, golds, 0.3)
    assert [(m.pred, m.gold) for m in found] == [(1, 0), (2, 1)]
    assert [(m.pred, m.gold) for m in match(preds, golds, 0.8)] == [(1, 0)]
    # lenient: any shared character
    assert len(match([((99, 201),)], golds, None)) == 1


def test_prf():
    assert prf(3, 5, 3, 4) == {"p": 0.6, "r": 0.75, "f1": pytest.approx(2 * 0.6 * 0.75 / 1.35)}
    assert prf(0, 0, 0, 0) == {"p": 0.0, "r": 0.0, "f1": 0.0}


@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=4),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=4),
)
def test_overlap_is_symmetric_and_bounded(a, b):
    a, b = normalize(a), normalize(b)
    assert overlap(a, b) == overlap(b, a)
    assert 0.0 <= overlap(a, b) <= 1.0
    assert (overlap(a, b) == 1.0) == (bool(a) and a == b)


# ----------------------------------------------------------------------------- scoring


@dataclass
class Pred:
    kind: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


def _gold(gid, content, text, source=(), source_text=""):
    return GoldAttribution(gid, "Attribution", content, (), source, text, "", source_text)


def _case():
    golds = [
        _gold("E1", ((0, 100),), '"A long quote."', ((100, 105),), "Smith"),
        _gold("E2", ((200, 250), (260, 310)), "that taxes rise", ((190, 195),), "Jones"),
        _gold("E3", ((400, 500),), "“Another.”"),  # no source
    ]
    preds = [
        Pred("direct", 0, 100, "John Smith", "Smith", 100, 105),  # g0, overlap 1.0
        Pred("indirect", 200, 310),  # g1: 100 shared / 110 = 0.909, no speaker
        Pred("direct", 400, 440),  # g2: 40 / 100 = 0.4, no speaker
        Pred("mixed", 600, 650, "X", "X", 590, 591),  # no gold
        Pred("indirect", 0, 50),  # g0 at 0.5, but g0 goes to the better p0
    ]
    return [GoldArticle("a", "dev", "x", "", golds)], [preds]


def test_score_hand_made_case():
    m = score(*_case())
    assert (m["n_articles"], m["n_gold"], m["n_pred"], m["n_gold_quoted"]) == (1, 3, 5, 2)
    # 0.3: p0-g0, p1-g1, p2-g2 -> P 3/5, R 3/3, F1 2*.6*1/1.6 = .75
    assert m["overlap_0.3"]["all"] == {"p": 0.6, "r": 1.0, "f1": pytest.approx(0.75), "tp": 3}
    # 0.8: p0-g0, p1-g1 -> P 2/5, R 2/3, F1 2*.4*(2/3)/(.4+2/3) = .5
    a8 = m["overlap_0.8"]["all"]
    assert (a8["p"], a8["r"], a8["f1"]) == (0.4, pytest.approx(2 / 3), pytest.approx(0.5))
    assert m["any_overlap"]["all"]["tp"] == 3  # p4 still loses g0 to p0
    # quoted: gold g0, g2; quote-kind predictions p0, p2, p3
    # 0.3: R 2/2, P 2/3 (p0, p2), F1 2*(2/3)*1/(5/3) = .8
    q3 = m["overlap_0.3"]["quoted"]
    assert (q3["p"], q3["r"], q3["f1"]) == (pytest.approx(2 / 3), 1.0, pytest.approx(0.8))
    # 0.8: R 1/2 (g0), P 1/3 (p0), F1 2*(1/3)*(1/2)/(5/6) = .4
    q8 = m["overlap_0.8"]["quoted"]
    assert (q8["p"], q8["r"], q8["f1"]) == (pytest.approx(1 / 3), 0.5, pytest.approx(0.4))
    # speakers over pairs matched at 0.3 with a gold source: g0 right, g1 none predicted
    assert (m["speaker_n"], m["speaker_accuracy"], m["speaker_span_accuracy"]) == (2, 0.5, 0.5)
    assert m["speaker_none"] == {
        "gold_no_source": 1,
        "pred_no_speaker": 3,
        "matched_both_none": 1,
        "matched_gold_none_pred_some": 0,
        "matched_gold_some_pred_none": 1,
    }
    assert m["by_kind"]["direct"] == {"n": 2, "tp_0.3": 2}
    assert m["speaker_errors"]["no speaker"] == 1
    assert sum(m["speaker_errors"].values()) == 1
    assert "     1  no speaker" in format_errors({**m, "split": "dev"}).splitlines()
    report = format_report({**m, "split": "dev", "seconds": 1.0})
    assert "overlap >= 0.3     60.0  100.0   75.0     66.7  100.0   80.0" in report


@pytest.mark.parametrize(
    "source, mention, canonical, ok",
    [
        ("Trump", "Trump", "Donald Trump", True),
        ("he", "he", "Donald Trump", True),
        ("he", "she", "Hillary Clinton", False),
        ("Hillary Clinton’s campaign manager Robby Mook", "Mook", "Robby Mook", True),
        ("Hillary Clinton’s campaign manager Robby Mook", "Clinton", "Hillary Clinton", False),
        ("Flynn, a top Trump surrogate,", "Trump", "Donald Trump", False),  # appositive
        ("Flynn, a top Trump surrogate,", "Flynn", "Michael Flynn", True),
        ("the Clinton campaign", "Clinton", "Hillary Clinton", False),
        ("", "Trump", "Donald Trump", False),
        # an honorific or abbreviated title is not part of the name
        ("Mr. Leenders", "he", "Ryan Leenders", True),
        ("Sen. Sanders", "Sanders", "Bernie Sanders", True),
        ("Mrs. Clinton", "he", "Bill Clinton", False),  # "he" is not Mrs. Clinton
        ("Mrs. Clinton", "she", "Hillary Clinton", True),
        ("Mr. Leenders", "he", "Ryan Walters", False),
    ],
)
def test_speaker_by_name(source, mention, canonical, ok):
    gold = _gold("E1", ((0, 1),), "x", ((0, 1),) if source else (), source)
    assert speaker_by_name(Pred("indirect", 0, 1, canonical, mention), gold) is ok


@dataclass
class TypedPred(Pred):
    speaker_type: str | None = None


# Two invented paragraphs: the gold source is "Okafor" of the quotation before it.
ERR_TEXT = (
    '"Marsh cannot win this seat," said Okafor, according to the Ledger; it ran the story.\n'
    "He left the hall with the mayor."
)


@pytest.mark.parametrize(
    "mention, at, speaker_type, gold_source, expected",
    [
        (None, None, None, "Okafor", "no speaker"),
        ("Okafor", "Okafor", "person", "said", "gold source is a cue word"),
        ("Marsh", "Marsh", "person", "Okafor", "name inside the quote"),
        ("the Ledger", "the Ledger", "document", "Okafor", "medium as speaker"),
        ("the Ledger", "the Ledger", "organisation", "Okafor", "relaying source (according to)"),
        ("He", "He", "person", "Okafor", "carried from another paragraph"),
        ("it", " it ", "organisation", "Okafor", "pronoun resolved elsewhere"),
        ("the story", "the story", "organisation", "Okafor", "role or common noun"),
        ("Okafor", "Okafor", "person", "Lindqvist", "another name"),
    ],
)
def test_speaker_error_class(mention, at, speaker_type, gold_source, expected):
    source = ERR_TEXT.index("Okafor")
    gold = _gold("E1", ((0, 30),), ERR_TEXT[0:30], ((source, source + 6),), gold_source)
    start = None if at is None else ERR_TEXT.index(at) + at.index(mention)
    end = None if start is None else start + len(mention)
    pred = TypedPred("direct", 0, 30, mention, mention, start, end, speaker_type)
    assert speaker_error_class(ERR_TEXT, pred, gold) == expected


# ----------------------------------------------------------------------------- layout


def _write_split(root: Path, listed: str, files: list[str]) -> None:
    (root / "data" / "dev" / "text").mkdir(parents=True)
    (root / "data" / "dev" / "attributions").mkdir(parents=True)
    (root / "data" / "dev" / "text" / "nyt_x_y.txt").write_text(TEXT, encoding="utf-8")
    for annotator in files:
        ann = ANN if annotator == "d473" else 'T1\tContent 0 2\t"W\nE1\tAttribution:T1 Content:T1\n'
        path = root / "data" / "dev" / "attributions" / f"nyt_x_y_{annotator}.ann"
        path.write_text(ann, encoding="utf-8")
    (root / "data" / "metadata.tsv").write_text(
        f"compartment\tfilename\tlevel\tannotators\tpublisher\ndev\tnyt_x_y\t16\t{listed}\tnyt\n",
        encoding="utf-8",
    )


def test_load_split_scores_the_first_listed_annotator(tmp_path):
    _write_split(tmp_path, "d473|4b22|ef2d", ["4b22", "d473", "ef2d"])
    (art,) = load_split(tmp_path, "dev")
    assert (art.name, art.annotator, len(art.attributions)) == ("nyt_x_y", "d473", 3)
    assert art.metadata["publisher"] == "nyt"
    # data/ itself is accepted too
    assert load_split(tmp_path / "data", "dev")[0].annotator == "d473"


def test_choose_annotation_falls_back_to_the_first_file(tmp_path):
    for name in ("a_b_ef2d.ann", "a_b_4e07.ann", "a_b_c_4b22.ann"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert choose_annotation(tmp_path, "a_b", ["zzzz", "ef2d"]).name == "a_b_ef2d.ann"
    # not listed: alphabetical; "a_b_c_4b22" belongs to another article
    assert choose_annotation(tmp_path, "a_b", []).name == "a_b_4e07.ann"
    assert choose_annotation(tmp_path, "zz", []) is None


def _ann(*contents: tuple[int, int]) -> str:
    return "".join(
        f"T{i}\tContent {s} {e}\tx\nE{i}\tAttribution:T{i} Content:T{i}\n"
        for i, (s, e) in enumerate(contents, 1)
    )


def test_agreement_scores_annotators_against_one_another_and_the_system(tmp_path):
    text = "Ann said we win. Bob said we lose. It rained.\n"
    win, lose = (9, 15), (26, 33)
    attributions_dir = tmp_path / "data" / "dev" / "attributions"
    attributions_dir.mkdir(parents=True)
    (tmp_path / "data" / "dev" / "text").mkdir()
    for name in ("a_b", "a_b_c", "solo"):
        (tmp_path / "data" / "dev" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (attributions_dir / "a_b_4b22.ann").write_text(_ann(win, lose), encoding="utf-8")
    (attributions_dir / "a_b_ef2d.ann").write_text(_ann(win), encoding="utf-8")
    # one annotator each: "a_b_c" (whose file also starts with "a_b_") and "solo" are left out
    (attributions_dir / "a_b_c_4b22.ann").write_text(_ann(win), encoding="utf-8")
    (attributions_dir / "solo_4b22.ann").write_text(_ann(win), encoding="utf-8")

    def extractor(doc):
        assert doc == text  # the "pipeline" below hands the text on
        return [Pred("indirect", *lose, None, None)]

    result = agreement(tmp_path, "dev", nlp=lambda t: t, extractor=extractor)
    assert (result["n_articles"], result["n_annotations"]) == (1, 2)
    # 4b22's two spans against ef2d's one and back: 2 of 3 matched each way
    for t in ("overlap_0.3", "overlap_0.8"):
        assert result["human"][t] == pytest.approx({"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3})
    # the system's one span ("we lose") is one of 4b22's two and none of ef2d's one
    system = result["system"]["overlap_0.8"]
    assert system == pytest.approx({"p": 1 / 2, "r": 1 / 3, "f1": 0.4})
    table = format_agreement(result)
    assert "1 articles annotated more than once (2 annotations)" in table
    assert "66.7" in table and "40.0" in table


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="needs ../shared/evaldata/polnear")
def test_agreement_on_the_real_dev_split_reads_both_six_fold_articles():
    result = agreement(POLNEAR, "dev", nlp=lambda t: t, extractor=lambda doc: [])
    assert (result["n_articles"], result["n_annotations"]) == (2, 12)
    human = result["human"]["overlap_0.3"]
    assert human["p"] == pytest.approx(human["r"]) and 0 < human["f1"] < 1
    assert result["system"]["overlap_0.3"]["f1"] == 0.0


def test_load_split_names_a_wrong_folder(tmp_path):
    with pytest.raises(UsageError, match="is not a PolNeAR checkout: no data/dev/text"):
        load_split(tmp_path, "dev")


# ----------------------------------------------------------------------------- real data


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="needs ../shared/evaldata/polnear")
def test_real_dev_split():
    articles = load_split(POLNEAR, "dev")
    assert len(articles) == 84
    assert len({a.name for a in articles}) == 84
    assert all(surface_mismatches(a) == [] for a in articles)
    by_name = {a.name: a for a in articles}
    # the two articles annotated six times are scored once, by the first listed annotator
    for name in (
        "politico_2016-09-08_flynn-says-trump-absolutely-righ",
        "wash-post_2016-09-26_charlotte-struggles-to-return-to",
    ):
        assert by_name[name].annotator == "4b22"
    golds = [g for a in articles for g in a.attributions]
    assert len(golds) == 2192
    assert sum(g.quoted for g in golds) == 653
    assert all(
        g.content_text == " ".join(a.text[s:e] for s, e in g.content)
        for a in articles
        for g in a.attributions
    )


@dataclass
class CuedPred(Pred):
    cue_start: int | None = None
    cue_end: int | None = None


def test_attribution_inside_a_statement_is_not_content():
    text = '"We will win," Smith said on Monday, "and soon." Then he left.'
    first, second = text.index('"We'), text.index('"and')
    end = text.index("soon.") + len('soon."')
    smith, said = text.index("Smith"), text.index("said")
    pred = CuedPred("direct", first, end, "Smith", "Smith", smith, smith + 5, said, said + 4)
    # PolNeAR's content of a split quote: the two quoted pieces, the attribution left out
    gold = _gold("E1", ((first, text.index(" Smith")), (second, end)), "", ((smith, smith + 5),))
    m = score([GoldArticle("a", "dev", "x", text, [gold])], [[pred]])
    # without the cut, the 22 characters between the pieces cost the strict match: 31 / 53
    assert m["overlap_0.8"]["all"]["tp"] == 1
    assert m["speaker_accuracy"] == 1.0
    # an attribution outside the statement's span leaves it whole
    outside = CuedPred("direct", first, end, "Smith", "Smith", 0, 1, 1, 2)
    m = score([GoldArticle("a", "dev", "x", text, [gold])], [[outside]])
    assert m["overlap_0.8"]["all"]["tp"] == 0 and m["overlap_0.3"]["all"]["tp"] == 1
