# socialgov — `make run` to try it, `make test` to test it. Both work from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)

# Tests run over plain HTTP with a throwaway key and unhashed static names (the test server serves them
# from the apps); production sets its own SECRET_KEY, keeps HTTPS on and builds the manifest.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-make-test-secret-key-not-for-production-0123456789abcdef} HTTPS=0 STATIC_MANIFEST=0
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint check clean

# Production installs requirements.txt alone; tests and tooling need requirements-dev.txt on top.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Embedded default: SQLite in var/, Celery on the filesystem broker in var/broker/, web + worker + beat.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py collectstatic --noinput -v0
	@echo "socialgov: http://127.0.0.1:8000/  (Ctrl-C stops web, worker and beat)"
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=1 $(VENV)/bin/celery -A socialgov worker --loglevel=INFO --concurrency=2 & \
	DEBUG=1 $(VENV)/bin/celery -A socialgov beat --loglevel=INFO & \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -r core members posts moderation retention oversight vetting api socialgov -x "*/migrations/*" --severity-level medium

check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var staticfiles .pytest_cache
