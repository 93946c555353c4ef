# Hypex - the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_PRODUCTS ?= 60
# Parallel test workers (pytest-xdist): `auto` is one per CPU; 0 runs the suite in this one process.
PYTEST_WORKERS ?= auto

.PHONY: run test coverage install system-deps check lint format lock migrate seed worker clean

## Set up a fresh machine and run the shop with demo data on the embedded default.
run: install
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo --products $(DEMO_PRODUCTS)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Set up a fresh machine and run the test suite in PYTEST_WORKERS parallel workers (embedded default; set
## DATABASE_URL/REDIS_URL for PG + Redis).
test: install system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## The suite (as `make test`) with line and branch coverage of the application code; prints the report and
## fails below the floor in pyproject.toml ([tool.coverage.report] fail_under; README "Coverage").
coverage: install system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --cov --cov-report=term $(PYTEST_ARGS)

## Debian packages for browser tests and deployment checks (Chromium, Node.js, nginx, compose) and the browser
## tests' npm packages (axe-core, `npm ci`); skipped if apt is absent.
system-deps:
	-@command -v apt-get >/dev/null 2>&1 && scripts/install-system-deps || echo "system-deps: apt-get unavailable; browser tests will be skipped"

## Create the virtualenv and install the locked dependencies (skipped when the lock has not changed).
install:
	@scripts/bootstrap "$(PYTHON)" "$(VENV)"

## Static checks run by CI before the suite.
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=.:platform $(BIN)/lint-imports --no-cache
	PYTHONPATH=.:platform $(BIN)/python scripts/import_cycles.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

lint: check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Re-resolve and hash-pin every dependency from pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml -q --python-version 3.11 --generate-hashes -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -q --python-version 3.11 --generate-hashes -o requirements/dev.lock

migrate: install
	$(BIN)/python manage.py migrate

seed: install
	$(BIN)/python manage.py seed_demo --products $(DEMO_PRODUCTS)

## A huey worker (needs HUEY_MODE=sqlite or REDIS_URL; the embedded default runs tasks in-process).
worker: install
	$(BIN)/python manage.py run_huey

clean:
	rm -rf var/db.sqlite3 var/huey.sqlite3 var/media var/static
