# The two commands: `make run` (the product, with demo data) and `make test` (the whole suite).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test setup lint typecheck format messages clean lock pdf-deps

# The progress report PDF (WeasyPrint) needs Debian's pango/harfbuzz and a CJK font; as root:
#   make pdf-deps
pdf-deps:
	apt-get update && apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
		libharfbuzz-subset0 fonts-wqy-microhei poppler-utils

# The locks (pip-tools, with hashes): requirements.txt is what production runs (the Dockerfile
# installs only it), requirements-dev.txt adds tests, checks, honcho and the benchmarks' tools.
# Both are made from the .in files by `make lock`; edit the .in file, never the lock.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

PIP_TOOLS ?= pip-tools==7.6.2
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# Re-lock after editing requirements.in or requirements-dev.in (LOCK_ARGS=--upgrade to refresh
# the unpinned transitive dependencies too). The dev lock is constrained by the runtime one.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(PIP_TOOLS)
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_catalogue
	$(PY) manage.py vapid_keys
	$(PY) manage.py seed_demo
	$(PY) manage.py reminders_demo

run: setup
	@echo ""
	@echo "  Rehab tracker on http://$(HOST):$(PORT)/"
	@echo "    catalogue     http://$(HOST):$(PORT)/exercises/"
	@echo "    sign in       http://$(HOST):$(PORT)/accounts/login/"
	@echo "    API docs      http://$(HOST):$(PORT)/api/v1/docs/"
	@echo "    admin         http://$(HOST):$(PORT)/admin/"
	@echo "  Demo logins are listed above by seed_demo. Ctrl-C stops web, worker and beat."
	@echo ""
	PORT=$(PORT) $(PY) scripts/devrun.py Procfile

# Parallel on every core. With no DATABASE_URL / REDIS_URL: SQLite and the filesystem broker,
# and tests that truly need PostgreSQL or Redis are skipped (listed at the end, with the reason).
test: $(VENV)/.installed
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# mypy with django-stubs and djangorestframework-stubs over tracker/, exercises/ and reminders/:
# strict on services, selectors, rules and tasks (pyproject.toml, [tool.mypy]).
typecheck: $(VENV)/.installed
	$(PY) -m mypy

format: $(VENV)/.installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var staticfiles .pytest_cache
