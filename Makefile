# Staffing desk — the everyday commands. `make help` lists them.
#
# One virtualenv (.venv) holds the runtime and the test tools. It is created on first use with a
# Python >= 3.12 (Django 6 needs it) and refreshed whenever a requirements file changes.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest options, e.g. `make test PYTEST_ARGS="-x -k shortlist"`.
PYTEST_ARGS ?=

.PHONY: help run test test-all test-main e2e lint format check messages

help:
	@echo "make run        set up, migrate, load demo data, serve http://$(HOST):$(PORT) + a task worker"
	@echo "make test       main test suite, then the browser tests (skipped without Chromium)"
	@echo "make test-all   as make test, with the slow property-based and benchmark tests (as CI)"
	@echo "make test-main  main test suite only"
	@echo "make e2e        browser tests only"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make format     ruff format + ruff check --fix"
	@echo "make check      lint + import layers + missing-migration check + Django system checks"
	@echo "make vnu        install the Nu HTML Checker (npm) that tests/test_html_validity.py runs"
	@echo "make bench      benchmark on PostgreSQL at 10k, 100k and 1M profiles (BENCH_ARGS=--quick: small)"

# Prints the path of the first Python >= 3.12 found: $PYTHON if given, the interpreter that
# .python-version selects through pyenv, a pyenv-installed 3.12+/3.13+, then python3.1x on PATH.
define FIND_PYTHON
is_recent() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
candidates=()
if [ -n "$${PYTHON:-}" ]; then candidates+=("$$PYTHON"); fi
if command -v pyenv >/dev/null 2>&1; then
  candidates+=("$$(pyenv which python3 2>/dev/null || true)")
  pyenv_root="$$(pyenv root)"
else
  pyenv_root="$${PYENV_ROOT:-$$HOME/.pyenv}"
fi
for minor in 12 13 14; do
  candidates+=($$(ls -d "$$pyenv_root"/versions/3.$$minor.*/bin/python3.$$minor 2>/dev/null | sort -V -r))
done
for name in python3.12 python3.13 python3.14 python3; do
  candidates+=("$$(command -v $$name 2>/dev/null || true)")
done
for candidate in "$${candidates[@]}"; do
  if [ -n "$$candidate" ] && is_recent "$$candidate"; then echo "$$candidate"; exit 0; fi
done
echo "No Python >= 3.12 found (Django 6 needs it). Install one (e.g. 'pyenv install 3.12')" \
     "or point to it: make $(or $(MAKECMDGOALS),run) PYTHON=/path/to/python3.12" >&2
exit 1
endef
export FIND_PYTHON

$(INSTALLED): requirements.txt requirements-dev.txt
	@if [ ! -x $(PY) ]; then \
	  python="$$(bash -c "$$FIND_PYTHON")"; \
	  echo "Creating $(VENV) with $$python ($$("$$python" --version))"; \
	  "$$python" -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	fi
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) runs Python $$($(PY) -c 'import platform; print(platform.python_version())')," \
	       "Django 6 needs >= 3.12: remove $(VENV) and run make again." >&2; exit 1; }
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	@touch $@

# Translations: the compiled .mo files are committed; recompile when gettext is available.
messages: $(INSTALLED)
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1 && command -v msgfmt >/dev/null; then \
	  $(PY) manage.py compilemessages --ignore=$(VENV) --verbosity 0; \
	fi

# seed_demo is idempotent: it leaves an already seeded database untouched.
# The Procfile's web server and task worker (emails) run together under honcho; Ctrl+C (or a
# SIGTERM to make's process group) stops both.
run: export DEBUG = 1
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: export SERVE_PORT := $(PORT)
run: $(INSTALLED) messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(VENV)/bin/honcho start -f Procfile

# pytest exits non-zero (5) when it collects no test, which fails the target as it should.
test: test-main e2e

# The slow tests too (hypothesis and the benchmark's query counts): what CI runs.
test-all: export SLOW_TESTS = 1
test-all: test

# One pytest worker per core (pytest-xdist): each has its own test database.
# The HTML checker is installed first where npm and Java are there (else its test is skipped).
test-main: $(INSTALLED)
	@if command -v npm >/dev/null && command -v java >/dev/null; then \
	  $(MAKE) --no-print-directory vnu; fi
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Browser tests run in their own pytest process: they relax Django's async-safety check.
e2e: $(INSTALLED)
	$(PY) -m pytest e2e $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

# Benchmark of the key pages on PostgreSQL (bench/README.md): builds bench_<size> databases
# (10,000, 100,000 and 1,000,000 profiles; the last one kept between runs), serves the app
# with gunicorn, profiles the pages in-process and writes bench/results.json and
# docs/performance.md. BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS=--quick`
# or `BENCH_ARGS=--rebuild` (every database seeded afresh).
BENCH_ARGS ?=
.PHONY: bench
bench: $(INSTALLED)
	$(PY) bench/run.py $(BENCH_ARGS)

# The Nu HTML Checker that tests/test_html_validity.py runs with the system Java (the test is
# skipped without it, except in CI). Its npm postinstall would download a Java runtime: skipped.
VNU_VERSION := 26.9.27
VNU_DIR := .tools/vnu
.PHONY: vnu
vnu: $(VNU_DIR)/.installed-$(VNU_VERSION)
$(VNU_DIR)/.installed-$(VNU_VERSION):
	npm install --ignore-scripts --no-save --no-audit --no-fund --prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION)
	@touch $@
