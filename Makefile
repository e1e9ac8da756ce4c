# The README's commands. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app trainer
STAMP := $(VENV)/.installed

.PHONY: run test lint bench migrate demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

run: demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/ruff check trainer tests bench
	$(BIN)/bandit -r trainer -ll -q
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/score_bench.py
	$(BIN)/python bench/http_submit_bench.py
	$(BIN)/python bench/load_bench.py
	$(BIN)/python bench/load_mixed.py

lint: $(STAMP)
	$(BIN)/ruff check trainer tests bench
	$(BIN)/bandit -r trainer -ll -q
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) instance .pytest_cache
