# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint fmt bench clean help

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "backend-persona needs Python 3.11 or newer on PATH (or set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP) ## Install into .venv and print the context of this repository
	$(BIN)/backend-persona context .

test: lint ## Lint, type-check and run the whole suite with branch coverage
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=90

lint: $(STAMP) ## ruff and mypy --strict
	$(BIN)/ruff check backend_persona tests bench scripts
	$(BIN)/mypy

fmt: $(STAMP) ## Fix what ruff can fix
	$(BIN)/ruff check --fix backend_persona tests bench scripts

# The seed's one-liners need fd (Debian: fd-find): install it when we can, else run.py explains.
bench: $(STAMP) ## Median wall times and ratios against the seed's shell one-liners
	@command -v fdfind >/dev/null 2>&1 || command -v fd >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    apt-get update -qq && apt-get install -y -qq fd-find; } || true
	$(BIN)/python bench/run.py

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage .cache bench/.work
