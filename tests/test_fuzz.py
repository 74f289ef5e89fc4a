"""Short fuzzing runs for `make test`: hypothesis mutates real seed files (../shared/seeds and
examples/corpus, in every input format) and feeds hostile text to the extractor, with the checks
of fuzz/harness.py, the same ones the long atheris runs of `make fuzz` apply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO

sys.path.insert(0, str(REPO / "fuzz"))
import harness  # noqa: E402  (fuzz/harness.py: shared with the atheris harnesses)

READERS = ["txt", "html", "jsonl", "json", "csv", "warc"]
SHORT = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)
# Characters and snippets that broke or slowed text tools before: quote marks of every kind,
# zero-width and bidi controls, NUL and C0 controls, CR, combining marks, astral characters,
# right-to-left text, symbol runs at the limit, markup and record syntax inside text.
HOSTILE = [
    '"', "“", "”", "„", "'", "‘", "’", "«", "»", "‹", "›", "``", "''",
    "\u200b", "\u200d", "\u200e", "\u202e", "\u2066", "\u2069", "\ufeff", "\x00", "\x07",
    "\r", "\r\n", "\n\n", "\u0301" * 30, "😀", "𝔘", "مرحبا بالعالم", "שלום",
    "=" * 100, "_" * 100, "." * 100, "<div>", "</p>", "<script>x</script>", "&amp;",
    '{"text": 1}', ",,,\"\n", "WARC/1.0\r\n",
]  # fmt: skip


def _mutate(data: bytes, ops: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (kind, position, payload) edits: 0 insert, 1 overwrite, 2 delete, 3 truncate."""
    out = bytearray(data)
    for kind, pos, payload in ops:
        pos = pos % (len(out) + 1)
        if kind == 0:
            out[pos:pos] = payload
        elif kind == 1:
            out[pos : pos + len(payload)] = payload
        elif kind == 2:
            del out[pos : pos + len(payload) + 1]
        else:
            del out[pos:]
    return bytes(out)


PAYLOAD = st.one_of(
    st.binary(min_size=1, max_size=12),
    st.sampled_from(HOSTILE).map(lambda s: s.encode("utf-8")),
    st.sampled_from(["é", "ü", "€"]).map(lambda s: s.encode("cp1252")),
)
OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10**6), PAYLOAD), min_size=1, max_size=6)


@pytest.mark.parametrize("fmt", READERS)
def test_seed_inputs_pass_the_reader_checks(fmt: str) -> None:
    seeds = harness.seed_inputs(fmt)
    assert seeds
    for data in seeds:
        results = harness.check_reader(fmt, data)
        assert any(r.__class__.__name__ == "RawArticle" for r in results), (fmt, results)


@pytest.mark.parametrize("fmt", READERS)
def test_mutated_seed_inputs_never_break_the_readers(fmt: str) -> None:
    seeds = harness.seed_inputs(fmt)

    @SHORT
    @given(index=st.integers(0, len(seeds) - 1), ops=OPS)
    def run(index: int, ops: list[tuple[int, int, bytes]]) -> None:
        harness.check_reader(fmt, _mutate(seeds[index], ops))

    run()


TEXTS = harness.seed_texts()


@st.composite
def hostile_texts(draw: st.DrawFn) -> str:
    """A window of a real article with hostile characters inserted at random places."""
    text = draw(st.sampled_from(TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    window = text[start : start + draw(st.integers(200, 2500))]
    for _ in range(draw(st.integers(1, 12))):
        pos = draw(st.integers(0, len(window)))
        snippet = draw(st.sampled_from(HOSTILE))
        if len(snippet) < 10:
            snippet *= draw(st.integers(1, 3))
        window = window[:pos] + snippet + window[pos:]
    return window


@pytest.mark.slow
def test_extractor_offsets_stay_valid_on_hostile_text(nlp) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=hostile_texts())
    def run(text: str) -> None:
        harness.check_extraction(nlp, text)

    run()


def test_reported_speech_ending_in_an_empty_quotation(nlp) -> None:
    """Found by fuzzing: an empty quotation at the end of an article made statements.py index
    past the end of the text."""
    text = "Officials said the talks would cover conditions “ ”"
    assert harness.check_extraction(nlp, text) >= 0


def test_extractor_checks_pass_on_the_seeds(nlp) -> None:
    counts = [harness.check_extraction(nlp, t) for t in TEXTS]
    assert all(n >= 0 for n in counts)
    assert sum(counts) > len(TEXTS)  # real articles have statements: the check looked at some


def test_offset_check_catches_a_shifted_span(nlp) -> None:
    """The offset check can fail: a statement or cue moved by one character is caught."""
    from dataclasses import replace

    from claimgraph.extract.records import Extraction
    from claimgraph.extract.run import extract_doc

    text = TEXTS[0]
    ex = extract_doc(nlp(text))
    harness.check_offsets(text, ex)
    st0 = ex.statements[0]
    with pytest.raises(harness.FuzzFailure):
        harness.check_offsets(text, Extraction(statements=[replace(st0, end=st0.end + 1)]))
    with pytest.raises(harness.FuzzFailure):
        harness.check_offsets(
            text, Extraction(statements=[replace(st0, speaker_end=len(text) + 1, speaker_start=0)])
        )


def test_unit_check_catches_a_unit_off_its_words(nlp, monkeypatch) -> None:
    """The link-unit check can fail: a unit whose offsets do not give its words is caught."""
    from dataclasses import replace

    import claimgraph.claims.run as link_run
    from claimgraph.extract.run import extract_doc

    text = TEXTS[0]
    ex = extract_doc(nlp(text))
    harness.check_units(text, ex)
    real = link_run.article_units

    def shifted(article, statements):
        return [replace(u, start=u.start + 1) for u in real(article, statements)]

    monkeypatch.setattr(link_run, "article_units", shifted)
    with pytest.raises(harness.FuzzFailure):
        harness.check_units(text, ex)


def test_atheris_harness_replays_a_seed(tmp_path: Path) -> None:
    """`make fuzz`'s driver loads and runs its checks (here on one real seed, no fuzzing)."""
    seed = tmp_path / "seed.txt"
    seed.write_bytes(harness.seed_inputs("txt")[0])
    res = subprocess.run(
        [sys.executable, str(REPO / "fuzz" / "run.py"), "txt", "--replay", str(seed)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("passes")
