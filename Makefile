# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
# Everything they need is installed here: Python packages into .venv (pinned in
# requirements.txt), Pyodide from npm (pinned in package-lock.json), Debian's chromium
# and a CJK font for the browser tests.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build lint test test-fast mutation bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Browser tests drive Debian's chromium (Playwright's own browser download cannot run here).
/usr/bin/chromium /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null

install: $(VENV)/.installed node_modules/.installed

build: install
	$(PY) -m mkdocs build --strict

serve: install
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

# The deployment test serves the site with Debian's nginx (deploy/nginx.conf).
/usr/sbin/nginx:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null

# The JavaScript: ESLint (eslint.config.js), and TypeScript's checker on the JSDoc types of
# the scripts that pass the calculators' data between files (tsconfig*.json, shapes in
# types/); both pinned in package-lock.json. Runs before the tests: Node, no build, seconds.
lint: node_modules/.installed
	node_modules/.bin/eslint --max-warnings 0 .
	node_modules/.bin/tsc -p tsconfig.json
	node_modules/.bin/tsc -p tsconfig.worker.json

test: install lint /usr/bin/chromium /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/sbin/nginx
	$(PY) -m pytest

# Every test that needs neither Node nor a browser (the cpython layer, tests/layers.py):
# no full site build, no Pyodide; about 2.5 min on a loaded 2-core machine.
test-fast: $(VENV)/.installed
	$(PY) -m pytest -m cpython -q

# Mutants of the modules that decide, each run against the fast tests that execute its
# line; fails below the threshold in tests/mutation.py. Not part of `make test` (see README).
mutation: $(VENV)/.installed
	$(PY) tests/mutation.py

bench: install /usr/bin/chromium
	$(PY) bench/calculator_boot.py
	$(PY) bench/tiering.py
	$(PY) bench/revisions.py

clean:
	rm -rf site $(VENV) node_modules
