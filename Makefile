# The README's two commands are `make run` and `make test`; each prepares what it needs.
PY := .venv/bin/python
# The database tests run on PostgreSQL as well when a server answers on 127.0.0.1:5432 (as on CI);
# a TEST_POSTGRES_URL given by hand wins. Without a server those variants are reported as skipped.
WITH_LOCAL_POSTGRES = if [ -z "$${TEST_POSTGRES_URL:-}" ] \
	&& $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
	export TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres; fi;

.PHONY: setup browser run serve test unit lint train migrate bench-load faults clean

setup:
	@bash scripts/setup.sh

browser:            ## Debian's chromium + chromium-driver for the web chat's browser tests
	@bash scripts/browser.sh

run: setup          ## everything, then chat in this terminal (or Telegram with TELEGRAM_BOT_TOKEN)
	@$(PY) -m launcher run

serve: setup        ## everything, without the terminal chat
	@$(PY) -m launcher serve

train: setup        ## train the Rasa model if its data changed
	@$(PY) -m launcher train

migrate: setup      ## apply the database migrations
	@$(PY) -m launcher migrate

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

test: setup lint train browser   ## unit tests, then end-to-end tests against real Rasa and action servers
	@$(WITH_LOCAL_POSTGRES) $(PY) -m pytest -q

unit: setup         ## only the tests that need no Rasa
	@$(WITH_LOCAL_POSTGRES) $(PY) -m pytest -q -m "not e2e"

bench-load: setup   ## load figures for the README (Locust; about 10 minutes, add ARGS=--stock)
	@.venv/bin/python -m pip install --quiet -e ".[bench]" 2>/dev/null || .venv/bin/python -m pip install -e ".[bench]"
	@$(PY) benchmarks/bench_load.py $(ARGS)

faults: setup train  ## the long kill matrix (FAULT_ROUNDS=2: 12 conversations, 24 kill -9, ~15 min)
	@FAULT_ROUNDS=$${FAULT_ROUNDS:-2} $(PY) -m pytest -q -s tests/e2e/test_fault_matrix.py

clean:
	rm -rf .venv .venv-rasa models var .cache .pytest_cache .ruff_cache
