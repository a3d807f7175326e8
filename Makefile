# Centric: `make run` serves the demo, `make test` runs the suite. Both install what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py

.PHONY: install run test test-all lint format bench bench-scorecards clean

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

# Scorecard benchmark on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/scorecards_bench);
# loads 3.65M rows once, prints a result line and writes bench/results/bench_scorecards.json.
bench-scorecards: install
	$(BIN)/python bench/bench_scorecards.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .cache .test-media db.sqlite3
