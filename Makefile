# ShopTalk: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHOP ?= data/demo_shop
HOST ?= 127.0.0.1
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup demo test check lint typecheck fast clean

$(BIN)/shoptalk: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: the CPU wheel on local disk (an unpinned torch pulls a CUDA build)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/shoptalk

setup: $(BIN)/shoptalk ## virtualenv + install

demo: setup ## set up, build the demo shop's indexes and start the assistant
	$(BIN)/shoptalk ingest --shop $(SHOP)
	$(BIN)/shoptalk train-click-model --shop $(SHOP) --if-missing
	$(BIN)/shoptalk serve --shop $(SHOP) --host $(HOST) --port $(PORT) --demo

test: setup ## set up and run every test (slow model tests, Chroma server, browser) - what CI runs
	bash scripts/run_tests.sh

check: setup lint typecheck fast ## ruff, mypy and the fast tests

lint:
	$(BIN)/ruff check bot retrieval recsys tests scripts benchmarks
	$(BIN)/ruff format --check bot retrieval recsys tests scripts benchmarks

typecheck:
	$(BIN)/mypy

fast:
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
