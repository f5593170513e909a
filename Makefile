# Musikkhjemmekontoret. `make run` starts the platform with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every app on disk but the benchmarks' (tests/test_platform.py checks they are all installed).
APPS := $(filter-out bench,$(patsubst %/apps.py,%,$(wildcard */apps.py)))

.PHONY: run test install dev-install messages compilemessages migrations-check lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
dev-install: $(VENV)/.dev-installed node_modules/.installed

# Compile the translation catalogues (msgfmt when gettext is installed, polib otherwise).
compilemessages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null 2>&1; then \
		DEBUG=true $(BIN)/python manage.py compilemessages --ignore=$(VENV) --ignore=node_modules -v 0; \
	else \
		$(BIN)/python platform/compile_messages.py; \
	fi

# Extract strings: each app keeps its own catalogue; templates/ and config/ use locale/.
messages: $(VENV)/.installed
	for app in $(APPS); do (cd $$app && DEBUG=true PYTHONPATH=.. DJANGO_SETTINGS_MODULE=config.settings \
		../$(BIN)/django-admin makemessages -l en --no-obsolete -v 0); done
	DEBUG=true $(BIN)/python manage.py makemessages -l en --no-obsolete -v 0 \
		$(foreach app,$(APPS),--ignore=$(app)/*) --ignore=$(VENV)/* --ignore=node_modules/* --ignore=var/* --ignore=bench/*
	DEBUG=true $(BIN)/python manage.py makemessages -d djangojs -l en --no-obsolete -v 0 --ignore=$(VENV)/* --ignore=node_modules/* --ignore=var/*

run: install compilemessages
	DEBUG=true $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true exec platform/run-dev.sh

migrations-check: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# lint-imports checks the layers contract in pyproject.toml (docs/architecture.md); without its
# cache, which can go stale, it takes half a second.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: dev-install compilemessages migrations-check lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: dev-install
	$(BIN)/python bench/catalogue.py
	$(BIN)/python bench/registration_rush.py
	$(BIN)/python bench/reminder_fanout.py
	$(BIN)/python bench/digest.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/dashboard.py

clean:
	rm -rf var/db.sqlite3 var/test.sqlite3 var/celery var/cache var/mail var/static
