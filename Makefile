# The two commands a newcomer needs: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# Two processes fit the 2-core machines we test on; TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
# Benchmark size: S (1,000 people, quick), M, L (100,000) or XL; see bench/README.md.
SIZE ?= S
# Ralph's learning record store for the xAPI tests lives in its own environment: its pins clash with ours.
LRS_VENV ?= .venv-lrs
export HOST PORT

.PHONY: run test check clean bench lrs-venv translations translations-check translations-update

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed-app

# --with-worker runs the background jobs (quiz deadlines, report snapshots) in a child process, so the
# demo has them without a second terminal; production runs `lms worker` separately (README.md).
run: $(VENV)/.installed-app translations
	$(VENV)/bin/lms db upgrade
	$(VENV)/bin/lms demo --if-empty
	$(VENV)/bin/lms serve --host $(HOST) --port $(PORT) --with-worker

# Coverage of lms, courses and assessments is reported and held at its floor (pyproject.toml).
test: check translations translations-check lrs-venv
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --cov --cov-report=term

# ralph-malph 5.1.0 (its LRS server and xAPI models; requests, which its server imports but does not declare).
$(LRS_VENV)/.installed:
	$(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/python -m pip install -q 'ralph-malph[lrs,cli]==5.1.0' 'requests==2.34.2'
	touch $@

lrs-venv: $(LRS_VENV)/.installed

bench: $(VENV)/.installed-dev
	$(PY) -m bench.suite --size $(SIZE)

# Lint and format (ruff), types (mypy) and layers (tests/test_layers.py: assessments -> courses -> lms, no
# cycles, ...); settings in pyproject.toml. `make test` runs it first. (`lms check` is the
# installation check for operators.)
check: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check lms courses assessments bench tests alembic
	$(VENV)/bin/ruff format --check lms courses assessments bench tests alembic
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -p no:cacheprovider tests/test_layers.py

# Interface languages (docs/languages.md): the compiled catalogues are built here, never committed.
translations: $(VENV)/.installed-app
	$(VENV)/bin/pybabel compile -d lms/locale -D messages --statistics

# Fails when a language has a string left untranslated or fuzzy since the last extraction; changes no file.
translations-check: $(VENV)/.installed-app
	$(PY) -m lms.i18n_check check

# For translators: extract every marked string and merge it into each language's messages.po.
translations-update: $(VENV)/.installed-app
	$(PY) -m lms.i18n_check update

clean:
	rm -rf $(VENV) $(LRS_VENV) .pytest_cache
