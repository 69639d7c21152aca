# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests need some key when DEBUG is off; this one never leaves the test run.
TEST_SECRET_KEY ?= test-only-secret-key-3f6c0a2b9d8e4f71a5c2b0d9e8f7a6b5c4d3e2f1

.PHONY: run test install npm screenshots lock lint format migrations messages worker beat clean

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

run: install
	DEBUG=1 $(BIN)/python manage.py compiletranslations
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_report
	@echo ""
	@echo "Travel South is starting on http://$(HOST):$(PORT)/"
	@echo "To use the admin, create an account in another terminal with:"
	@echo "    DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo ""
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install $(if $(shell command -v npm 2>/dev/null),npm)
	$(BIN)/lint-imports --no-cache
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} $(BIN)/python manage.py compiletranslations
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
