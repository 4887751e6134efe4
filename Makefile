# Two commands for a fresh machine (README "Quick start"):  make run   and   make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint check

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Create .venv, install, create or upgrade the database, load reference data and, into an empty database,
# the demo (HRCOOP_DEMO=0: not), print the demo's sign-ins, serve on 127.0.0.1:8000, with the worker of
# background tasks (search vectors, suggested labels) beside the server, stopped with it. A database that
# holds real records gets no demo: init --demo says so and exits 3, and the server starts all the same.
# The server will not start without a secret key: unless HRCOOP_SECRET_KEY(_FILE) is set, one is generated
# once into $(KEY_FILE), readable by its owner only, and kept (so sessions survive a restart).
KEY_FILE := $${HRCOOP_VAR_DIR:-var}/secret-key
run: $(STAMP)
	@if [ -z "$$HRCOOP_SECRET_KEY$$HRCOOP_SECRET_KEY_FILE" ] && [ ! -s "$(KEY_FILE)" ]; then \
	  mkdir -p "$${HRCOOP_VAR_DIR:-var}" && (umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$(KEY_FILE)"); \
	fi
	@if [ "$${HRCOOP_DEMO:-1}" = 0 ]; then $(BIN)/hrcoop init; \
	else $(BIN)/hrcoop init --demo || [ $$? -eq 3 ]; fi
	@if [ -z "$$HRCOOP_SECRET_KEY$$HRCOOP_SECRET_KEY_FILE" ]; then export HRCOOP_SECRET_KEY_FILE="$(KEY_FILE)"; fi; \
	if [ "$${HRCOOP_TASK_BACKEND:-database}" = database ]; then \
	  $(BIN)/hrcoop db_worker --interval 2 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	fi; \
	$(BIN)/hrcoop runserver 127.0.0.1:8000

# The whole test suite on the database DATABASE_URL names (SQLite in memory by default).
# pytest's exit code 5 means "no test collected": for us that is a broken suite, never a pass.
test: $(STAMP)
	@$(BIN)/pytest -n 2 --dist loadfile -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; exit 1; fi; exit $$rc

# Style, types, the direction of imports between apps (docs/architecture.md), and no model change
# without its migration.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/hrcoop makemigrations --check --dry-run
