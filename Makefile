# The two commands: `make run` (the product, with demo data) and `make test` (the whole suite).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test setup lint format messages clean pdf-deps

# The progress report PDF (WeasyPrint) needs Debian's pango/harfbuzz and a CJK font; as root:
#   make pdf-deps
pdf-deps:
	apt-get update && apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
		libharfbuzz-subset0 fonts-wqy-microhei poppler-utils

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

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
	PORT=$(PORT) honcho start -f Procfile

# Parallel on every core. With no DATABASE_URL / REDIS_URL: SQLite and the filesystem broker,
# and tests that truly need PostgreSQL or Redis are skipped (listed at the end, with the reason).
test: $(VENV)/.installed
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var staticfiles .pytest_cache
