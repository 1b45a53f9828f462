# juesuan: `make site` builds the site from the bundled reports (local: relative links, no
# canonical address), `make publish` builds it for JUESUAN_SITE_URL (required; the GitHub Pages
# workflow sets it), `make measure` weighs build/site in headless Chromium, `make test` runs the tests.
# Both install first (a virtualenv in .venv/, reinstalled when pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install site publish measure test lint clean

install: $(STAMP)
	@# The pinned Plotly.js partial bundle, from the npm registry, sha256-checked (juesuan/site/vendor.py).
	@command -v npm >/dev/null || { echo "error: npm not found; it fetches the Plotly.js bundle from the npm registry. Install Node.js and npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	$(BIN)/python -m juesuan.site.vendor
	@# The browser test drives Debian's chromium (playwright's own download does not work here).
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update && apt-get install -y chromium fonts-noto-cjk poppler-utils; \
	elif [ ! -x /usr/bin/chromium ]; then \
		echo "note: /usr/bin/chromium missing; the browser test will be skipped (apt-get install chromium fonts-noto-cjk)"; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test]'
	touch $(STAMP)

site: install
	$(BIN)/juesuan build

publish: install
	@test -n "$$JUESUAN_SITE_URL" || { echo "error: set JUESUAN_SITE_URL to the address the site is published at (e.g. https://example.github.io/juesuan/)" >&2; exit 1; }
	JUESUAN_PUBLISH=1 $(BIN)/juesuan build

measure: install
	$(BIN)/python scripts/measure_site.py build/site

test: install
	$(BIN)/python -m pytest -q -n 2

lint: install
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy

clean:
	rm -rf build site_src/generated
