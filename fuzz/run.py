"""Coverage-guided fuzzing with atheris (libFuzzer) of each reader and of the extractor.

    python fuzz/run.py all --seconds 300       # every target in turn (what `make fuzz` runs)
    python fuzz/run.py html --seconds 60       # one target: txt html jsonl json csv warc extract

Each target keeps its corpus in build/fuzz/TARGET/corpus (git-ignored), seeded on first use
with real files (`harness.seed_inputs`: ../shared/seeds and examples/corpus, turned into the
target's format); libFuzzer writes what breaks a check, crashes or runs longer than --timeout
seconds (a hang) to build/fuzz/TARGET/ as crash-*/timeout-* files, and the run exits non-zero.
Replay one with `python fuzz/run.py TARGET --replay FILE`.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "build" / "fuzz"
READERS = ["txt", "html", "jsonl", "json", "csv", "warc"]
TARGETS = [*READERS, "extract"]
# Per-input time limits: a reader gets --file-timeout's spirit (seconds, not minutes); the
# extractor parses with spaCy, so it gets more. Inputs are capped so a run explores shapes, not
# sizes (the size limits themselves are tested in tests/test_limits.py).
TIMEOUT = {"extract": 60}
MAX_LEN = {"extract": 20_000, "warc": 200_000, "html": 200_000}


def _seed(target: str, corpus: Path) -> None:
    """Write the real seed inputs into an empty corpus folder."""
    from harness import seed_inputs, seed_texts

    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    seeds = [t.encode() for t in seed_texts()] if target == "extract" else seed_inputs(target)
    for data in seeds:
        (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)


def _one_input(target: str):
    """The TestOneInput function of `target`, with claimgraph instrumented for coverage."""
    import atheris

    with atheris.instrument_imports(include=["claimgraph", "harness"]):
        import harness

        if target == "extract":
            import claimgraph.extract.cues
            import claimgraph.extract.statements
            import claimgraph.extract.terms  # noqa: F401

    if target == "extract":
        from claimgraph.extract.run import load_pipeline

        nlp = load_pipeline()

        def test_extract(data: bytes) -> None:
            harness.check_extraction(nlp, data.decode("utf-8", "replace"))

        return test_extract

    def test_reader(data: bytes) -> None:
        harness.check_reader(target, data)

    return test_reader


def fuzz(target: str, seconds: int, extra: list[str]) -> None:
    """Run libFuzzer on `target` in this process (it exits when done)."""
    import atheris

    work = OUT / target
    corpus = work / "corpus"
    test_one_input = _one_input(target)  # instrument claimgraph before anything imports it
    _seed(target, corpus)
    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        f"-timeout={TIMEOUT.get(target, 20)}",
        f"-max_len={MAX_LEN.get(target, 100_000)}",
        "-rss_limit_mb=4096",
        f"-artifact_prefix={work}/",
        *extra,
    ]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


def replay(target: str, path: str) -> None:
    _one_input(target)(Path(path).read_bytes())
    print(f"{path}: passes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=[*TARGETS, "all"])
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--replay", help="run one input file through the target's checks")
    args, extra = parser.parse_known_args()
    sys.path.insert(0, str(HERE))
    if args.replay:
        replay(args.target, args.replay)
        return 0
    if args.target != "all":
        fuzz(args.target, args.seconds, extra)
        return 0
    failed = []
    for target in TARGETS:  # one process each: libFuzzer exits the process when it is done
        print(f"== fuzz {target} ({args.seconds}s)", flush=True)
        cmd = [sys.executable, __file__, target, "--seconds", str(args.seconds), *extra]
        if subprocess.run(cmd).returncode != 0:
            failed.append(target)
    if failed:
        print(f"fuzzing found problems in: {', '.join(failed)} (see build/fuzz/)", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
