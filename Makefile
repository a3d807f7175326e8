# Centric: `make run` serves the demo, `make test` runs the suite. Both install what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
MSGFMT := /usr/bin/msgfmt
# Compiled catalogues are built, never committed: one .mo beside each locale/<language>/LC_MESSAGES/django.po.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test test-all lint format screenshots audit bench bench-scorecards bench-reports faults load prod-smoke backup restore backup-check clean \
	messages check-translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP) $(CATALOGUES)

# Catalogues compile with Debian's gettext (msgfmt), installed like chromium when it is missing.
$(MSGFMT):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext

%.mo: %.po | $(MSGFMT)
	$(MSGFMT) --check-format -o $@ $<

# The Swedish catalogue gains the strings marked since the last run (see docs/translation.md), then compiles.
messages: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemessages -l sv --no-obsolete \
		--ignore=node_modules --ignore=tests --ignore=bench --ignore=scripts --ignore=docs --ignore=static
	$(MAKE) $(CATALOGUES)

# Fails on any missing, untranslated or fuzzy Swedish string; tests/i18n/test_swedish_catalogue.py runs it in CI.
check-translations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check_translations sv

# Browser tests drive Debian's chromium; Playwright never downloads a browser of its own.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo "Centric is at http://127.0.0.1:8000/ (Ctrl+C stops it)"
	$(MANAGE) runserver 127.0.0.1:8000

# The whole suite on SQLite with Celery eager; tests marked `worker` need a real broker (.ci/run runs them).
# Prints line coverage and fails below the floor in pyproject.toml ([tool.coverage.report] fail_under).
# Two processes (pytest-xdist; each has its own test database and live server): about half the wall time on
# the 2-core CI machine. TEST_PROCESSES=0 runs serially.
TEST_PROCESSES ?= 2
test: install $(CHROMIUM)
	$(BIN)/pytest -n $(TEST_PROCESSES) -m "not worker" --cov --cov-report=term

# Everything, including the real-worker tests: needs CELERY_BROKER_URL and a running worker (see .ci/run).
test-all: install $(CHROMIUM)
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -ll -r config core users culture incentives hiring reports demo scim -x "*/migrations/*"
	$(BIN)/mypy config core users culture incentives hiring reports demo scripts scim
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	$(BIN)/python scripts/check_links.py

# The browser journeys again, writing their chosen 1280x800 screens to docs/img/ (see tests/e2e/journey_helpers.py).
screenshots: install $(CHROMIUM)
	DOCS_SCREENSHOTS=1 $(BIN)/pytest tests/e2e -q -p no:randomly

# Known vulnerabilities in the pinned dependencies (PyPI's JSON API or OSV: needs the public internet, so
# .ci/run cannot call it where only a package mirror is reachable; see README, Security checks).
audit: install
	$(BIN)/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Scorecard benchmark on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/scorecards_bench);
# loads 3.65M rows once, prints a result line and writes bench/results/bench_scorecards.json.
bench-scorecards: install
	$(BIN)/python bench/bench_scorecards.py
# PDF benchmarks (reports): team scorecard vs WeasyPrint, board report pages/s, 500 PDFs Celery vs process pool.
# The batch bench starts its own Celery worker on Redis db 11 (results db 12). Results: bench/results/.
bench-reports: install
	$(BIN)/python bench/bench_pdf_team_scorecard.py
	$(BIN)/python bench/bench_pdf_board_report.py
	$(BIN)/python bench/bench_pdf_batch.py

# Fault test: 200 report jobs while workers are SIGKILLed 20 times and a private Redis restarts once.
faults: install
	$(BIN)/python bench/faults/run_faults.py

# Load test: the highest rate at which the main pages keep p95 <= 300 ms (gunicorn + PostgreSQL, loopback).
# LOAD_COMPANY=bench500 runs it on the 500-team bench company (loaded once into centric_load_bench500, minutes);
# LOAD_ARGS passes more options, e.g. LOAD_ARGS="--rates 2,4,8 --seconds 30" (docs/benchmarks.md#load).
LOAD_COMPANY ?= demo
load: install
	$(BIN)/python bench/load/run_load.py --company $(LOAD_COMPANY) $(LOAD_ARGS)

# The production layout on loopback (gunicorn, worker, beat, PostgreSQL, Redis db 9, moto S3), driven once:
# readiness, TOTP login, an import, a report built by the worker and downloaded (docs/deployment.md).
prod-smoke: install
	$(BIN)/python -m deploy.smoke

# Backups (docs/administration.md#backups): DATABASE_URL dumped with pg_dump plus every stored file, through the
# storage API, into BACKUP_DIR (default backups/<UTC timestamp>/). `make restore BACKUP_DIR=... RESTORE_DATABASE_URL=...`
# refuses a non-empty database unless RESTORE_FORCE=--force.
backup: install
	$(BIN)/python -m deploy.backup backup $(if $(BACKUP_DIR),--dir $(BACKUP_DIR))

restore: install
	$(BIN)/python -m deploy.backup restore $(BACKUP_DIR) --database-url $(RESTORE_DATABASE_URL) $(RESTORE_FORCE)

# Back up a small seeded company (S3 storage), restore it into another database and media folder, compare.
backup-check: install
	$(BIN)/python -m deploy.backup_roundtrip
# Benchmarks on a scratch PostgreSQL database (dropped and re-created per benchmark): every bench/bench_*.py.
# Full size takes minutes. BENCH_DATABASE_URL picks the server; `make bench BENCH=bench_imports` runs one.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/centric_bench
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.run $(BENCH)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .cache .test-media db.sqlite3 $(CATALOGUES)
