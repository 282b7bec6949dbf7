# Everything sets itself up from nothing: each target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# HF_HUB_OFFLINE is decided by the settings (environment, then .env, default 1), not here.
export TOKENIZERS_PARALLELISM ?= false
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install wordnet run test test-fast lint format bench bench-quality clean

# The tests start a throwaway PostgreSQL from Debian's server binaries (tests/pgserver.py).
PG_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))

$(STAMP): pyproject.toml
	@test -n "$(PG_INITDB)" || command -v initdb >/dev/null || { \
		echo "installing Debian's postgresql (the store tests run on both backends)"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q postgresql; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) wordnet

# /ask's paraphrase matching reads WordNet's database from Debian's wordnet-base (it runs
# without it, literally, and says so in the log).
WORDNET_DIR ?= /usr/share/wordnet
wordnet:
	@test -f $(WORDNET_DIR)/index.noun || { \
		echo "installing Debian's wordnet-base (WordNet 3.0) for /ask's paraphrase matching"; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends wordnet-base; }

run: $(STAMP) wordnet
	$(PY) -m bot start

test: $(STAMP) wordnet
	$(PY) -m ruff check .
	$(PY) -m pytest -q

# The edit-test loop: the same minus the tests marked slow (the crash-safety kills, model
# runs over whole articles); `make test` (and CI) runs everything.
test-fast: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -m "not slow"

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Scale figures (table + benchmarks/results/*.json). The first run at N=10000 ingests the
# generated corpus for hours on two cores; `make bench N=100` is the quick run.
N ?= 10000
bench: $(STAMP) wordnet
	$(PY) benchmarks/bench.py -n $(N) $(BENCH_ARGS)

# Quality against the gold files (persons, quotes, summaries, answers).
bench-quality: $(STAMP) wordnet
	$(PY) benchmarks/person_recall.py
	$(PY) benchmarks/quotes_eval.py
	$(PY) benchmarks/quotes_eval.py --gold benchmarks/gold/quotes_blind/gold.jsonl --aggregate --no-textacy
	$(PY) benchmarks/summary_rouge.py
	$(PY) benchmarks/qa_eval.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
