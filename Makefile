# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests need some key when DEBUG is off; this one never leaves the test run.
TEST_SECRET_KEY ?= test-only-secret-key-3f6c0a2b9d8e4f71a5c2b0d9e8f7a6b5c4d3e2f1

.PHONY: run test test-setup test-suite install npm screenshots lock lint format migrations messages worker beat backup restore clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# axe-core for the browser tests' accessibility checks (and world-atlas, the map's source), from
# package-lock.json. Optional: without npm the accessibility checks skip (CI has npm, so they run).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

npm: node_modules/.package-lock.json
# The links in e-mails follow the address served (HOST, PORT) unless SITE_URL is set in the environment.
RUN_SITE_URL = $${SITE_URL:-http://$(HOST):$(PORT)}

run: install
	DEBUG=1 $(BIN)/python manage.py compiletranslations
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_report
	@echo ""
	@echo "Travel South is starting on http://$(HOST):$(PORT)/ (links in e-mails: $(RUN_SITE_URL))"
	@echo "To use the admin, create an account in another terminal with:"
	@echo "    DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo ""
	DEBUG=1 SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: test-setup
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} $(BIN)/python -m pytest $(PYTEST_ARGS)

# What the tests need before pytest: .ci/run does it once, then runs two suites at the same time
# with `make test-suite` (pytest alone, so the two runs never compile the catalogues at once).
test-setup: install $(if $(shell command -v npm 2>/dev/null),npm)
	$(BIN)/lint-imports --no-cache
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} $(BIN)/python manage.py compiletranslations

test-suite:
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Pictures of the key pages at a desktop and a phone size, in English, Spanish and Chinese, into
# docs/screenshots/ (headless Chromium, as the browser tests; Chinese needs fonts-noto-cjk).
screenshots: install
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} $(BIN)/python manage.py compiletranslations
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/screenshots.py

# With REDIS_URL set (see README): a Celery worker and the beat scheduler.
worker: install
	$(BIN)/celery -A travelsouth worker --loglevel=info

beat: install
	$(BIN)/celery -A travelsouth beat --loglevel=info --schedule var/celerybeat-schedule

# Backups: `make backup` dumps the database DATABASE_URL names (SQLite by default) into backups/;
# `make restore FILE=backups/...` restores one into an empty database (REPLACE=1 to overwrite).
# COMPOSE=1 does the same for the docker-compose stack's database, through its db container.
COMPOSE_DB = docker compose exec -T db
BACKUP_NAME = backups/travelsouth-$$(date -u +%Y%m%d-%H%M%S).dump

backup:
ifdef COMPOSE
	mkdir -p backups
	$(COMPOSE_DB) pg_dump -U travelsouth --format=custom --no-owner travelsouth > $(BACKUP_NAME)
	@ls -l backups | tail -n 1
else
	$(MAKE) install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup_database
endif

restore:
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/..."; exit 2; }
ifdef COMPOSE
	docker compose stop web worker beat
	$(COMPOSE_DB) pg_restore -U travelsouth -d travelsouth --no-owner --exit-on-error $(if $(REPLACE),--clean --if-exists) < $(FILE)
	docker compose start web worker beat
else
	$(MAKE) install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore_database $(FILE) $(if $(REPLACE),--replace)
endif

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade -e ".[dev]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: install
	DEBUG=1 $(BIN)/python manage.py makemigrations

# Refresh the Spanish and Chinese catalogues after changing strings (needs GNU gettext). No source
# locations and sorted entries: a change to one string is one hunk, and branches merge cleanly.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l es -l zh_Hans --no-location --no-obsolete
	for po in locale/*/LC_MESSAGES/django.po; do msgcat --sort-output --no-location -o $$po $$po; done

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
