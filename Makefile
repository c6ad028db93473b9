# justice_schema developer commands. Two promises, kept on a fresh machine that has
# only Python 3.11+ and the package registries:
#   make demo   sets everything up and runs the end-to-end example
#   make test   sets everything up, runs the checks (make lint), the test suite and builds the docs
#               (warnings are errors)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP_CORE := $(VENV)/.installed-core
STAMP_DEV  := $(VENV)/.installed-dev
STAMP_HUB  := $(VENV)/.installed-hub

.PHONY: demo test test-only lint docs benchmarks freeze-schemas clean help browser java

help:
	@echo "make demo        - create .venv, install the package, run examples/end_to_end.py, build the demo hub and its site"
	@echo "make test        - create .venv, install test+docs+lint extras, run make lint, pytest, build docs with -W"
	@echo "make lint        - ruff, mypy and the import contracts (lint-imports); all must report nothing"
	@echo "make docs        - build the Sphinx docs into docs/_build/html"
	@echo "make benchmarks  - run the scripts in benchmarks/"
	@echo "make clean       - remove the virtual environment and build output"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_CORE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMP_DEV): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test,docs,lint,hub,spark]"
	@touch $@ $(STAMP_CORE) $(STAMP_HUB)

$(STAMP_HUB): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[hub]"
	@touch $@

# The hub site's browser tests drive Debian's headless Chromium (packages chromium and chromium-driver).
# Installed here when missing (as root, or with sudo); elsewhere: apt-get install -y chromium chromium-driver.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

# The Spark tests (tests/spark) run Spark in local mode, which needs Java 17 or newer. On a machine
# without it, install the distribution's headless JRE (openjdk-17-jre-headless; default-jre-headless, 21, where
# the distribution has no 17)
# rather than skipping the tests. Needs root or sudo; says so plainly when it has neither.
JAVA_OK := $(shell java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' && echo yes)
java:
ifneq ($(JAVA_OK),yes)
	@echo "Java 17+ not found: installing openjdk-17-jre-headless for the Spark tests"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	 else echo "need root or sudo to install Java 17 (apt-get install openjdk-17-jre-headless)"; exit 1; fi; \
	 $$SUDO apt-get update -qq && { $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless \
	 || $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
endif

# The end-to-end example, then the hub in a box over every bundled vendor sample; prints the site's index.html.
demo: $(STAMP_CORE) $(STAMP_HUB)
	$(PY) examples/end_to_end.py --out build/demo
	$(BIN)/justice-schema hub build examples/hub/hub.toml
	$(BIN)/justice-schema hub site examples/hub/hub.toml
	@echo "case flow: build/hub/site/caseflow/index.html (attrition, days between stages, recidivism, clearance)"

# The suite runs on every core (pytest-xdist, -n auto): 2,632 tests in 6 to 12.5 minutes on two
# cores (2026-12-04, CI's hypothesis profile; 7 to 15 minutes with installs, lint and docs). PYTEST_ARGS adds options, e.g.
# make test PYTEST_ARGS="-n 0 -x". --dist loadgroup keeps the Spark tests (xdist_group "spark") on one
# worker, so one SparkSession serves them all (pytest is pinned below 9.2, where loadgroup stops grouping).
PYTEST_ARGS ?=

test: $(STAMP_DEV) browser java
	$(MAKE) lint
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)
	$(MAKE) docs

test-only: $(STAMP_DEV) browser java
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# The rule sets and why are in pyproject.toml ([tool.ruff.lint], [tool.mypy], [tool.importlinter])
# and docs/development.rst. lint-imports reads the installed package, so it checks src/ (editable install).
lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

docs: $(STAMP_DEV)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html

benchmarks: $(STAMP_DEV)
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Write the JSON Schema files of a NEW schema version. Released versions are frozen:
# this refuses to overwrite a folder that already exists.
freeze-schemas: $(STAMP_CORE)
	@test -n "$(VERSION)" || (echo "usage: make freeze-schemas VERSION=1.1" && exit 2)
	@test ! -e src/justice_schema/schemas/$(VERSION) || (echo "schemas/$(VERSION) is released and frozen" && exit 2)
	$(PY) -c "from justice_schema.schema_json import write_json_schemas; write_json_schemas('$(VERSION)', 'src/justice_schema/schemas/$(VERSION)')"

clean:
	rm -rf $(VENV) build dist docs/_build .pytest_cache .hypothesis
