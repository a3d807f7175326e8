# Centric: `make run` serves the demo, `make test` runs the suite. Both install what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

.PHONY: install run test test-all lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo "Centric is at http://127.0.0.1:8000/ (Ctrl+C stops it)"
	$(MANAGE) runserver 127.0.0.1:8000

# The whole suite on SQLite with Celery eager; tests marked `worker` need a real broker (.ci/run runs them).
test: install
	$(BIN)/pytest -m "not worker"

# Everything, including the real-worker tests: needs CELERY_BROKER_URL and a running worker (see .ci/run).
test-all: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks on a scratch PostgreSQL database (dropped and re-created per benchmark): every bench/bench_*.py.
# Full size takes minutes. BENCH_DATABASE_URL picks the server; `make bench BENCH=bench_imports` runs one.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/centric_bench
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.run $(BENCH)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .cache .test-media db.sqlite3
