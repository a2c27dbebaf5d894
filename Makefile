# Beredskap — the two commands: `make run` and `make test`; a fresh machine needs nothing else.
SHELL := /bin/bash
PY := .venv/bin/python
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1
PYTEST_ARGS ?=

.PHONY: install system assets run serve test test-sqlite test-postgres test-e2e test-sweep test-schemathesis guide-screenshots lint lint-checks bench clean

system:
	bash scripts/system_packages.sh

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

.venv/.installed: pyproject.toml uv.lock .tools/bin/uv
	$(UV) sync --frozen --all-extras --python python3.11 --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	$(PY) scripts/vendor_assets.py

install: system .venv/.installed assets

run: install
	BEREDSKAP_DEBUG=1 $(PY) manage.py migrate --no-input
	BEREDSKAP_DEBUG=1 $(PY) manage.py demo
	BEREDSKAP_DEBUG=1 $(PY) manage.py serve 127.0.0.1:8000 --oidc-demo 8001

test: install
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# The SQLite run measures coverage (`--cov-report=`: the summary comes from coverage_floor.py) and
# fails when it falls below scripts/coverage_floor.txt; a run narrowed by PYTEST_ARGS is not held
# to the floor of the whole suite.
test-sqlite:
	BEREDSKAP_FAST_HASHER=1 $(PY) -m pytest -n 2 --ignore=tests/e2e --cov=beredskap --cov-report= $(PYTEST_ARGS)
	@if [ -z "$(PYTEST_ARGS)" ]; then $(PY) scripts/coverage_floor.py check; fi
	BEREDSKAP_FAST_HASHER=1 $(PY) -m pytest tests/e2e $(PYTEST_ARGS)

# The simulation engine and the comparison of outbreak detection with R use no database: they run
# once, in the SQLite pass.
test-postgres:
	@url=$$(bash scripts/postgres.sh start); \
	BEREDSKAP_FAST_HASHER=1 DATABASE_URL=$$url $(PY) -m pytest -n 2 --ignore=tests/e2e --ignore=tests/sim \
	  --ignore=tests/surveillance/test_against_r.py $(PYTEST_ARGS) && \
	BEREDSKAP_FAST_HASHER=1 DATABASE_URL=$$url $(PY) -m pytest tests/e2e $(PYTEST_ARGS)

# The full access sweep: every URL pattern and API route, for every marked record and persona
# (the normal suite runs a seeded sample of it). Prints the number of checks and every leak.
test-sweep: install
	BEREDSKAP_FAST_HASHER=1 BEREDSKAP_SWEEP=full $(PY) -m pytest tests/core/test_access_sweep.py -s -p no:randomly $(PYTEST_ARGS)

# The longer schemathesis run: 50 examples per operation (the normal suite runs 3, seed fixed);
# no server error, no undocumented status code, no body outside its schema.
test-schemathesis: install
	BEREDSKAP_FAST_HASHER=1 BEREDSKAP_SCHEMATHESIS=full $(PY) -m pytest tests/api/test_schema.py -n 2 -p no:randomly $(PYTEST_ARGS)

# The user's guide's pictures: Chromium signs in as each demo role and saves the pages the
# guide shows into docs/user-guide/img/ (about two minutes: the whole demo is loaded).
guide-screenshots: install
	BEREDSKAP_FAST_HASHER=1 BEREDSKAP_GUIDE_SCREENSHOTS=1 $(PY) -m pytest tests/e2e/test_user_guide.py -p no:randomly $(PYTEST_ARGS)

lint: install
	$(MAKE) lint-checks

# The rules of DESIGN.md held by tools: style, types, one write/read path, import contracts.
# (lint-checks alone does not install; lint does.)
lint-checks:
	.venv/bin/ruff check src tests benchmarks scripts
	.venv/bin/ruff format --check src tests benchmarks scripts
	.venv/bin/mypy src/beredskap
	$(PY) scripts/check_write_path.py
	PYTHONPATH=src .venv/bin/lint-imports

bench: install
	@for f in benchmarks/*.py; do case $$f in */_*) continue;; esac; echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf .venv .tools node_modules staticfiles var src/beredskap/core/static/vendor
