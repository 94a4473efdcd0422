# Two commands matter: `make run` (install, migrate, seed, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install browser db seed run test lint typecheck evaluate evaluate-real clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first and pinned: an unpinned torch would pull gigabytes of CUDA packages.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed

run: seed
	@echo "Matchmaker on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/api/docs)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --timeout 120 --preload app:app

# Debian's chromium drives the browser test; installed here when we may (root), else explained.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser test skipped: install Debian's chromium (sudo apt-get install chromium)."; fi; }

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

evaluate: seed
	$(BIN)/flask evaluate

# The real partnerships (eval/README.md), from scratch in a temporary database.
evaluate-real: install
	$(BIN)/python eval/run.py --set eval/real --with-demo

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
