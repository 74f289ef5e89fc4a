"""The link step reads its units from the articles' parses: kept by `analyze`'s extraction,
made by `claimgraph link` itself otherwise; both give the same claims (the seeds' equality of
`analyze` and `link --full` is in tests/test_link_store.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from claimgraph.claims.run import DocCache, article_units
from claimgraph.extract.parsebin import deserialize, serialize
from claimgraph.link.parses import ParseSpill
from claimgraph.pipeline import run_analyze

TEXT = (
    "Mira Solberg said on Monday that the dam on the Ostra would not flood the valley. "
    "The ministry, which built the dam, rejected claims that it had hidden the surveys.\n\n"
    "Engineers in Korva expect the reservoir to fill within two years."
)


def _parse(doc) -> list[tuple]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start)
        for t in doc
    ]


def test_a_parse_comes_back_as_it_was_written(nlp):
    doc = nlp(TEXT)
    back = deserialize(serialize(doc), nlp.vocab)
    assert back.text == doc.text
    assert _parse(back) == _parse(doc)
    assert [s.text for s in back.sents] == [s.text for s in doc.sents]


def test_the_spill_keeps_parses_by_article():
    spill = ParseSpill()
    spill.put("a1", b"one")
    spill.put("a2", b"")
    spill.put("a1", b"two")  # a later parse of the same article replaces the first
    assert (spill.get("a1"), spill.get("a2"), spill.get("a3"), len(spill)) == (
        b"two",
        b"",
        None,
        2,
    )
    spill.close()
    assert spill.get("a1") is None and len(spill) == 0
    with pytest.raises(ValueError, match="closed"):
        spill.put("a3", b"x")


def test_a_killed_run_leaves_no_spill_behind(tmp_path):
    """The spill has no name in TMPDIR, so a run killed with SIGKILL (no clean-up code runs)
    leaves nothing there."""
    code = (
        "import sys\n"
        "from claimgraph.link.parses import ParseSpill\n"
        "s = ParseSpill()\n"
        "s.put('a1', b'x' * 100000)\n"
        "assert s.get('a1') == b'x' * 100000\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        assert list(tmp_path.iterdir()) == []  # nameless while the run holds it
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert list(tmp_path.iterdir()) == []


class _Counting:
    """The pipeline, counting the texts it is asked to parse."""

    def __init__(self, nlp):
        self.nlp, self.texts = nlp, []
        self.pipe_names, self.vocab = nlp.pipe_names, nlp.vocab

    def pipe(self, texts, **kw):
        texts = list(texts)
        self.texts += texts
        return self.nlp.pipe(texts, **kw)


def test_units_are_sliced_from_the_article_parse_not_parsed_again(nlp):
    article = {"id": "a1", "text": TEXT}
    statements = [
        {
            "id": "a1:s0",
            "article_id": "a1",
            "kind": "indirect",
            "text": "that the dam on the Ostra would not flood the valley",
            "start_char": TEXT.index("that the dam"),
            "end_char": TEXT.index(" the valley.") + len(" the valley"),
            "speaker": "Mira Solberg",
            "cue": "said",
            "cue_start": TEXT.index("said"),
            "cue_end": TEXT.index("said") + 4,
        }
    ]
    units = article_units(article, statements)
    assert len(units) >= 2  # the statement and the narrated sentences
    counting = _Counting(nlp)
    docs = DocCache(counting)  # type: ignore[arg-type]
    kept = serialize(nlp(TEXT))
    (parsed,) = docs.articles([article], {"a1": kept}.get)
    assert counting.texts == []  # the kept parse is read, not made again
    docs.prefill(parsed, units)
    unit_docs = docs.pipe([u.text for u in units])
    assert counting.texts == []  # every unit came out of the article's parse
    for u, d in zip(units, unit_docs, strict=True):
        assert d.text == u.text
        span = nlp(TEXT).char_span(u.start, u.end)
        assert [(t.tag_, t.lemma_) for t in d] == [(t.tag_, t.lemma_) for t in span]
    # an article without a kept parse is parsed here, once
    (fresh,) = DocCache(counting).articles([article], None)  # type: ignore[arg-type]
    assert counting.texts == [TEXT] and _parse(fresh) == _parse(parsed)
    # a kept parse of another text is not taken for the article's
    other = serialize(nlp("A different text altogether."))
    (again,) = DocCache(counting).articles([article], {"a1": other}.get)  # type: ignore[arg-type]
    assert counting.texts == [TEXT, TEXT] and again.text == TEXT


def test_analyze_links_from_its_own_parses_and_removes_them(tmp_path, nlp, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT)
    (corpus / "b.txt").write_text(
        "The ministry said on Tuesday that the dam on the Ostra would not flood the valley, "
        "and Mira Solberg said the surveys were public."
    )
    read: list[bool] = []
    get = ParseSpill.get

    def spied_get(self, article_id):
        parse = get(self, article_id)
        read.append(parse is not None)
        return parse

    monkeypatch.setattr(ParseSpill, "get", spied_get)
    db = tmp_path / "x.db"
    summary = run_analyze([str(corpus)], db=str(db), nlp=nlp, encoder="static")
    assert summary.stored == 2 and summary.link is not None and summary.link.articles == 2
    assert read == [True, True]  # both articles linked from the parses extraction kept
    spills = [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("claimgraph-parses")]
    assert spills == []  # the spill is gone with the run
    with sqlite3.connect(db) as c:
        members = c.execute("SELECT count(*) FROM claim_members").fetchone()[0]
    assert members > 0


def test_slicing_the_article_keeps_its_parse_and_a_caller_s_span_hooks(nlp):
    """`DocCache.prefill` slices a unit out of its article's parse with spaCy's per-slice
    vector switched off for the while; a hook the doc already had is there afterwards."""
    from claimgraph.claims.run import Unit

    doc = nlp(TEXT)

    def mine(span):
        return span.doc.vocab.get_vector("dam")

    doc.user_span_hooks["vector"] = mine
    text = "the dam on the Ostra would not flood the valley"
    start = TEXT.index(text)
    cache = DocCache(nlp)
    cache.prefill(doc, [Unit("k", "a", None, "outlet", None, text, start, start + len(text))])
    assert doc.user_span_hooks.get("vector") is mine and "vector_norm" not in doc.user_span_hooks
    sliced = cache(text)  # from the article's parse: no second parse
    assert _parse(sliced) == _parse(doc.char_span(start, start + len(text)).as_doc())


def test_a_parse_comes_back_in_a_vocabulary_that_never_saw_its_words(nlp):
    """A worker process parses; the parent reads: the strings travel with the parse."""
    import spacy

    doc = nlp(TEXT + " Zyxqvor Blentish frobnicated the quuxes.")
    fresh = spacy.blank("en").vocab
    assert "frobnicated" not in fresh.strings
    back = deserialize(serialize(doc), fresh)
    assert back.text == doc.text
    assert _parse(back) == _parse(doc)
    assert [t.norm_ for t in back] == [t.norm_ for t in doc]
