# AMI Portal — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo demo-reset lint browser-deps bench clean worker beat oidc-provider

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# Catalogues are compiled in pure Python (Babel) on every install: no gettext tools needed.
# The single sign-on tests' OpenID provider (tests/oidc_provider, Node) is installed when Node is there.
install: $(VENV)/.installed
	$(PY) scripts/compile_messages.py
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory oidc-provider; \
	else echo "npm not found: the single sign-on tests will skip (see README, Single sign-on)"; fi

OIDC_PROVIDER_DIR := tests/oidc_provider

## oidc-provider: install the test OpenID provider (npm ci from the committed package-lock.json)
oidc-provider: $(OIDC_PROVIDER_DIR)/node_modules/.package-lock.json

$(OIDC_PROVIDER_DIR)/node_modules/.package-lock.json: $(OIDC_PROVIDER_DIR)/package-lock.json
	cd $(OIDC_PROVIDER_DIR) && npm ci --no-audit --no-fund --loglevel=error

# `make run` only: links in e-mails follow the address actually served, and e-mails are written to .run/mail (one
# file each) instead of flooding the terminal. Both can be overridden from the environment.
run demo-reset: export SITE_URL ?= http://$(HOST):$(PORT)
run demo-reset: export EMAIL_URL ?= filemail://
run demo-reset: export EMAIL_FILE_PATH ?= $(CURDIR)/.run/mail

## run: install, migrate, load territorial + demo data, start the portal with a Celery worker and beat
## (on Redis when REDIS_URL is reachable, else on an embedded broker); prints the demo accounts last
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_territories
	$(PY) manage.py seed_demo
	./scripts/run_portal.sh $(HOST) $(PORT)

## demo-reset: erase the demo database and load the territories and the demo data again
demo-reset: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py reset_demo --yes

## test: the whole test suite (PostgreSQL and a real Celery worker when DATABASE_URL / REDIS_URL are set)
test: install
	./scripts/run_tests.sh

## worker / beat: the Celery worker and the (single) beat, needs REDIS_URL (see notifications/README.md)
worker: install
	$(VENV)/bin/celery -A ami_portal worker -l info

beat: install
	$(VENV)/bin/celery -A ami_portal beat -l info -S django

lint: install
	$(VENV)/bin/ruff check .

## bench: query counts and time per page as rows grow (bench/run.py), each page against a bare Django page of the
## same kind on gunicorn + PostgreSQL (bench/pages.py; --quick for a smoke run), then the deadline rush
## (bench/rush.py); the tables are written to bench/RESULTS.md
bench: install
	$(PY) bench/run.py
	$(PY) bench/pages.py
	$(PY) bench/rush.py

clean:
	rm -rf $(VENV) staticfiles artifacts .pytest_cache $(OIDC_PROVIDER_DIR)/node_modules
