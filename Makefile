# Sampark: two commands set everything up on a fresh machine (python3 >= 3.11 and pip only).
#   make run   install into .venv, migrate, load the demo network, serve web + worker + scheduler
#   make test  install into .venv and run the whole test suite on SQLite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPARK := $(BIN)/sampark
DEMO_CONSUMERS ?= 200000
BIND ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test test-postgres lint bench install install-dev messages browser fonts mail-server clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Sampark needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when the dependency files change.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

messages: $(VENV)/.installed
	$(SAMPARK) i18n_compile

run: install fonts
	$(SAMPARK) migrate --noinput
	$(SAMPARK) collectstatic --noinput --verbosity 0
	$(SAMPARK) demo --consumers $(DEMO_CONSUMERS) --if-empty
	$(SAMPARK) nlu train --if-stale
	$(SAMPARK) serve --bind $(BIND)

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here), with
# Noto fonts so Devanagari renders. Nothing to do once /usr/bin/chromium is there.
browser: fonts
	@if [ ! -x /usr/bin/chromium ]; then \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core; \
	fi

# The daily review pack's PDF is set in Noto Sans (Devanagari) from Debian's fonts-noto-core
# (SAMPARK_PDF_FONT_DIR). Nothing to do once the font file is there.
NOTO_DEVANAGARI := /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf
fonts:
	@if [ ! -f $(NOTO_DEVANAGARI) ]; then \
	  echo "Installing Debian's fonts-noto-core: the review pack PDF needs $(NOTO_DEVANAGARI)"; \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core; \
	fi

# The e-mail channel's tests start Debian's Dovecot as their own IMAP server (never the system's
# service). Nothing to do once /usr/sbin/dovecot is there.
mail-server:
	@if [ ! -x /usr/sbin/dovecot ]; then \
	  sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd; \
	fi

test: install-dev browser mail-server
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install-dev browser mail-server
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(SAMPARK) makemigrations --check --dry-run

bench: install-dev
	@$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
