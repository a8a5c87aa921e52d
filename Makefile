# The README's commands: `make run` and `make test`, and the everyday ones beside them.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# honcho is told to read no env file: it would let .env override the real environment, while every
# process reads .env itself (config/env.py) and lets the environment win.
HONCHO := PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start --env /dev/null --no-prefix

.PHONY: run test lint venv messages messages-extract seed shell prod-local

venv: $(VENV)/.installed messages

# The benchmark's requirements include the test tools; `make test` collects bench/ as well, whose tests
# build the benchmark's settings (Django REST framework among them).
$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-bench.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-bench.txt
	touch $@

# The bot's gettext catalogs: each botclient/locale/<lang>/LC_MESSAGES/bot.po (the source, in git)
# compiled to the .mo gettext reads (built, ignored by git). The bot also builds a missing or
# stale .mo when it starts.
# Each .mo is rebuilt only when its .po changed, so that two `make test` running side by side (as
# .ci/run does) never rewrite a catalog the other's bot is reading.
LOCALES := botclient/locale
CATALOGS := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/bot.po))
messages: $(CATALOGS)

$(LOCALES)/%/LC_MESSAGES/bot.mo: $(LOCALES)/%/LC_MESSAGES/bot.po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -i $< -o $@

# For translators: every text of the bot's code into the template, then merged into each .po
# (new texts arrive untranslated; the bot shows them in English until they are translated).
messages-extract: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract --no-location --sort-output -o $(LOCALES)/bot.pot botclient
	$(VENV)/bin/pybabel -q update --no-wrap --ignore-pot-creation-date -i $(LOCALES)/bot.pot -d $(LOCALES) -D bot

# Local settings live in .env; the first local run makes one with DEBUG on.
.env:
	sed "s/^DEBUG= /DEBUG=1/" .env.example > $@
	@echo "Created .env from .env.example with DEBUG=1 (local development only); edit it to change settings."

# Everything in the Procfile: web on 127.0.0.1:8000, the Huey worker, and the bot (which says it is off
# unless BOT_TOKEN is set). SQLite unless DATABASE_URL is set. Ctrl-C stops all of it.
run: export GUNICORN_BIND := $(or $(GUNICORN_BIND),127.0.0.1:8000)
run: venv .env
	$(PY) manage.py migrate --noinput
	$(HONCHO) web worker bot

# Demo players and requests, and a staff login for the admin and GraphiQL (printed once).
seed: venv .env
	$(PY) manage.py seed_demo

shell: venv .env
	$(PY) manage.py shell

# As in production (DEBUG off, collected static files served by whitenoise) but on 127.0.0.1 over plain
# HTTP: a throwaway SECRET_KEY, no HTTPS redirect, no HSTS that would stick to 127.0.0.1 in the browser.
prod-local: export DEBUG := 0
prod-local: export SECRET_KEY := $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
prod-local: export SECURE_SSL_REDIRECT := 0
prod-local: export SECURE_HSTS_SECONDS := 0
prod-local: export GUNICORN_BIND := $(or $(GUNICORN_BIND),127.0.0.1:8000)
prod-local: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(HONCHO) web worker bot

# The architecture (import-linter: the ledger imports nothing above it, the bot nothing of the
# backend) and a small ruff rule set; .ci/run runs it before the tests.
lint: venv
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check --quiet .

test: venv
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; [ $$status -eq 5 ] && echo "pytest: no tests collected" && exit 0; exit $$status
