# Two commands for a newcomer: `make run` (set up and serve the demo) and `make test`.
# Only python3 (3.11+) and make are needed; everything else goes into .venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install lock migrate messages static seed lint ci clean loadtest lighthouse

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list or the pins change.
$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compile_translations -v0

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0

static: install
	$(PY) manage.py collectstatic --noinput -v0

seed: migrate
	$(PY) manage.py seed_demo --if-empty

run: install messages migrate static seed
	$(PY) manage.py rundemo --port $(PORT)

test: install messages
	DJANGO_SETTINGS_MODULE=shop.settings.test $(PY) -m pytest $(PYTEST_ARGS)

# Load test on PostgreSQL + Redis with production settings (bench/load.py; needs both running on 127.0.0.1).
loadtest: install messages
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev,bench]"
	$(PY) bench/load.py $(LOADTEST_ARGS)

# Lighthouse (mobile) on home, product and lot pages with Debian's chromium (bench/lighthouse.sh).
lighthouse: install messages
	bash bench/lighthouse.sh

lint: install
	$(VENV)/bin/ruff check .

# Regenerate the exact pins after changing pyproject.toml.
lock: $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m pip freeze --exclude-editable > requirements/constraints.txt

clean:
	rm -rf $(VENV) var
