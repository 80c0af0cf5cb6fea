# AMI Portal — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo lint browser-deps bench clean worker beat

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# Catalogues are compiled in pure Python (Babel) on every install: no gettext tools needed.
install: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

## run: install, migrate, load territorial + demo data, start the portal (and Celery when Redis is reachable)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_territories
	$(PY) manage.py seed_demo
	./scripts/run_portal.sh $(HOST) $(PORT)

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

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles artifacts .pytest_cache
