# e-report: `make run` serves the site on the embedded default; `make test` runs the suite
# against the real PostgreSQL and Redis on this machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench screenshots messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py setup_staff --demo --address http://$(HOST):$(PORT)
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on two processes (tests/parallel.py keeps them apart; the machines have two
# cores), each handed the next tests in collection order as it asks for more (--dist load).
# pytest-django puts the tests that empty the database (transactional ones, the browser
# tests' live server) after the others; each process must meet them in that order too, or
# a test would find the groups and reasons of the data migrations gone. Work stealing
# broke that: a process done early took tests from the front half of the other's queue.
# The fault tests stop and start PostgreSQL and Redis: they run last, on their own.
test: install
	$(PY) -m pytest -n 2 --dist load --ignore=tests/reliability $(PYTEST_ARGS)
	$(PY) -m pytest tests/reliability $(PYTEST_ARGS)

screenshots: install
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest tests/e2e/test_screenshots.py -q

# Page speed, filing, scale and memory; then the PDF copies; then the README's Performance
# section and bench/results/latest.md, written from the results files.
bench: install
	$(PY) bench/run.py
	$(PY) bench/pdf.py
	$(PY) bench/report.py

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l es -l so -l hmn --no-location \
		--ignore=.venv --ignore=node_modules --ignore=tests --ignore=staticfiles --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 private
