# EMES: the two commands a new user needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

# The test suite runs against the machine's real PostgreSQL and Redis on loopback.
TEST_ENV := DEBUG=false \
	SECRET_KEY=test-only-secret-key-not-for-production-0123456789 \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \
	DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: demo test install install-dev system-deps system-deps-test services run clean

demo: system-deps install .env  ## install, migrate SQLite, load the demo office, serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "EMES at http://$(HOST)/ (log in as planner / emes-demo-2569; see README.md)"
	$(PY) manage.py runserver $(HOST)

test: system-deps-test services install-dev  ## the whole suite on PostgreSQL + Redis
	$(TEST_ENV) $(VENV)/bin/pytest

system-deps:
	scripts/system-deps.sh

system-deps-test:
	scripts/system-deps.sh --test

services:
	scripts/services.sh

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(VENV)/bin/activate
	$(PIP) install -q -e .

install-dev: $(VENV)/bin/activate
	$(PIP) install -q -e '.[dev]'

.env:
	@sed "s/^SECRET_KEY=.*/SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')/" .env.example > .env
	@echo "Wrote .env (DEBUG on, a fresh SECRET_KEY)"

run:
	$(PY) manage.py runserver $(HOST)

clean:
	rm -rf var/ .pytest_cache
