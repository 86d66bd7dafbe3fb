# Buurtnet: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test system-deps system-test-deps lint messages bench clean

run: $(VENV)/.installed system-deps
	$(BIN)/buurtnet serve

test: $(VENV)/.installed-test system-deps system-test-deps node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# The Nu HTML checker for the crawl test, from the npm registry (package-lock.json pins it).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Pango and HarfBuzz for WeasyPrint (the foundation's annual report as PDF), and a font.
system-deps:
	@missing=""; \
	ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing="$$missing libharfbuzz-subset0"; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	[ -d /usr/share/fonts/truetype/abyssinica ] || missing="$$missing fonts-sil-abyssinica"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing from Debian's packages"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Debian's Chromium for the browser tests, GNU gettext for the catalog check, Java and npm for
# the Nu HTML checker.
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v khal >/dev/null 2>&1 || missing="$$missing khal"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing from Debian's packages"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

LANGS := nl en ar tr pl uk so ti fa bg

# Refresh the catalogs after changing strings (needs GNU gettext), then translate the new entries.
messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages $(foreach l,$(LANGS),--locale $(l)) --no-obsolete --no-location --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --ignore 'data/*' --ignore 'node_modules/*'
	$(BIN)/python -m buurtnet.core.catalogs fill-english
	$(BIN)/python -m buurtnet.core.catalogs compile

# Three scenarios into bench/RESULTS.md, about 10 minutes: 10 neighbourhoods × 1,500 members on
# SQLite, the same on PostgreSQL (database `bench` at 127.0.0.1, dropped and created afresh), and
# one neighbourhood of 15,000 on SQLite. One of them: make bench BENCH_ARGS="--scenario sqlite".
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data
