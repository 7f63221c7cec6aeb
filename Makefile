# PAKN Tam Kỳ — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: install install-dev run test lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed

## install: the virtual environment with the runtime dependencies
install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: the local demo on SQLite with seeded data (http://127.0.0.1:5000)
run: install
	PAKN_DEMO=1 DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/instance/demo.sqlite3} \
		$(VENV)/bin/flask --app wsgi demo

## test: the whole suite, once on SQLite and once on PostgreSQL
test: install-dev
	$(PY) -m tests.suites $(ARGS)

## lint: ruff and mypy
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) instance/demo.sqlite3* .pytest_cache .mypy_cache .ruff_cache
