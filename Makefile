# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test venv messages messages-extract

venv: $(VENV)/.installed messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The bot's gettext catalogs: each botclient/locale/<lang>/LC_MESSAGES/bot.po (the source, in git)
# compiled to the .mo gettext reads (built, ignored by git). The bot also builds a missing or
# stale .mo when it starts.
LOCALES := botclient/locale
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d $(LOCALES) -D bot

# For translators: every text of the bot's code into the template, then merged into each .po
# (new texts arrive untranslated; the bot shows them in English until they are translated).
messages-extract: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract --no-location --sort-output -o $(LOCALES)/bot.pot botclient
	$(VENV)/bin/pybabel -q update --no-location -i $(LOCALES)/bot.pot -d $(LOCALES) -D bot

# Local run of everything in the Procfile: web on 127.0.0.1:8000, the Huey worker, and the bot
# (which says it is off unless BOT_TOKEN is set). SQLite unless DATABASE_URL is set; DEBUG on
# unless set. Ctrl-C stops all of it.
run: export DEBUG := $(or $(DEBUG),1)
run: export GUNICORN_BIND := $(or $(GUNICORN_BIND),127.0.0.1:8000)
run: venv
	$(PY) manage.py migrate --noinput
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start web worker bot

test: venv
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; [ $$status -eq 5 ] && echo "pytest: no tests collected" && exit 0; exit $$status
