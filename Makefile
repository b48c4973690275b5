# The two commands a new user needs: `make demo` and `make test` (they install everything first).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The tests run on both cores (pytest-xdist); shared warehouses are built once (tests/conftest.py).
PYTEST := $(BIN)/pytest -n 2 --dist worksteal

.PHONY: install browser demo test test-fast test-browser lint docs dev bench clean help

help:
	@echo "make demo          install, generate the demo extracts, run the whole pipeline, print the scorecard"
	@echo "make test          install and run the whole test suite (browser tests skip without Chromium)"
	@echo "make test-fast     the inner loop: every test not marked slow (under a minute)"
	@echo "make test-browser  install Debian's Chromium, then run the whole suite"
	@echo "make lint          ruff on the Python, sqlfluff on the dbt SQL"
	@echo "make docs          dbt's documentation site for analysts, one static file (data/dbt_docs/static_index.html)"
	@echo "make dev           open the Dagster UI (http://127.0.0.1:3000) on the demo data"
	@echo "make bench         time every stage at national scale (LAS=152 MONTHS=24 SCALE=1 REPEAT=3)"

# csc prepares the dbt manifest itself when it is missing or stale: a plain pip install is enough.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/csc demo

# The report and Dagster UI tests look at pages in headless Chromium (Debian's package). CI installs it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install
	$(PYTEST)

test-fast: install
	$(BIN)/pytest -m "not slow"

test-browser: install browser
	$(PYTEST)

lint: install
	$(BIN)/ruff check pipelines tests
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros dbt_project/tests

# The catalog (column types) comes from the demo warehouse when it exists (make demo first).
DOCS := $(CURDIR)/data/dbt_docs
docs: install
	cd dbt_project && CSC_WAREHOUSE_PATH=$(CURDIR)/data/warehouse.duckdb ../$(BIN)/dbt docs generate --static \
	  --quiet --profiles-dir . --target-path $(DOCS) $$(test -f ../data/warehouse.duckdb || echo --empty-catalog)
	@echo "dbt docs: $(DOCS)/static_index.html (open it in a browser; no server needed)"

dev: install
	mkdir -p .dagster_home && cp pipelines/dagster_instance.yaml .dagster_home/dagster.yaml
	# dagster dev re-parses the dbt project with the `dbt` on PATH: put the venv first.
	PATH=$(CURDIR)/$(BIN):$$PATH DAGSTER_HOME=$(CURDIR)/.dagster_home $(BIN)/dagster dev -w workspace.yaml

LAS ?= 152
MONTHS ?= 24
SCALE ?= 1
REPEAT ?= 3
bench: install
	$(BIN)/csc bench --las $(LAS) --months $(MONTHS) --scale $(SCALE) --repeat $(REPEAT) \
	  --workdir data/bench --json data/bench-$(LAS)las.json

clean:
	rm -rf data dbt_project/target dbt_project/logs .dagster_home
