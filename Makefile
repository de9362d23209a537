# `make run` serves the demo on http://127.0.0.1:8000 ; `make test` runs every test.
# Both set up what they need first, so they work on a fresh clone with Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
# Installing Chromium needs root; use sudo only when we are not root already.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install demo chromium lint typecheck lock messages

run: demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

# One pytest worker a core (pytest-xdist); the browser journeys share one worker (tests/e2e).
test: install chromium
	DEBUG=false $(BIN)/pytest --numprocesses auto --dist loadgroup $(PYTEST_ARGS)

install: $(VENV)/.installed

# Exactly the versions in requirements.lock, checked against their hashes, then the project
# itself; reinstall when either file changes (the stamp file records the last install).
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# After changing the dependencies in pyproject.toml: pin them again (newest allowed versions).
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

# Migrating and loading the demo data are safe to repeat.
demo: install
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py load_demo

# The browser tests drive Debian's Chromium; Playwright's own download needs internet.
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is still missing" >&2; exit 1; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs; what it checks is set in pyproject.toml ([tool.mypy]).
typecheck: install
	$(BIN)/mypy

# After changing texts: collect them into locale/*/LC_MESSAGES/*.po (needs GNU gettext, which
# `apt-get install gettext` provides), translate the new entries, then compile the .mo files,
# which are committed so `make run` needs no gettext.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages --all --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=true $(BIN)/python manage.py makemessages --all --no-obsolete -d djangojs $(MESSAGES_IGNORE)
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv
MESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=locale
