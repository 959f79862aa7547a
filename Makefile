# One command per routine task. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint format migrations-check bench demo messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/mawa migrate --noinput
	$(BIN)/mawa demo
	MAWA_DEBUG=1 $(BIN)/mawa runserver 127.0.0.1:$(PORT)

demo: install
	$(BIN)/mawa migrate --noinput
	$(BIN)/mawa demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/mawa makemigrations --check --dry-run

test: lint migrations-check
	$(BIN)/pytest -n 2 --dist loadfile

# Apps with a catalogue of their own (src/mawa/APP/locale) are left out of the shared one and
# get theirs made inside their folder, with the shared LOCALE_PATHS set aside.
APP_CATALOGUES = feedback
messages: install
	cd src/mawa && ../../$(BIN)/mawa makemessages -l ar -l ckb --no-obsolete --ignore='*/migrations/*' $(foreach app,$(APP_CATALOGUES),--ignore='$(app)/*')
	for app in $(APP_CATALOGUES); do (cd src/mawa/$$app && DJANGO_SETTINGS_MODULE=mawa.settings ../../../$(BIN)/python -c "import django; from django.conf import settings; settings.LOCALE_PATHS = []; django.setup(); from django.core.management import call_command; call_command('makemessages', locale=['ar', 'ckb'], no_obsolete=True, ignore_patterns=['migrations/*'])") || exit 1; done
	$(BIN)/mawa compilemessages

# Every benchmark in turn (hours at full size on 2 cores); each writes its section of
# docs/benchmarks.md. Run one alone with the command shown in its section.
bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py
	DATABASE_URL=sqlite:///$(CURDIR)/bench/results/registry/registry.sqlite3 $(BIN)/python bench/dupcheck.py
	$(BIN)/python bench/dedup/run.py --records 20000 --febrl --libraries
	$(BIN)/python bench/dedup/run.py --records 1000000
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/assistance/run.py
	$(BIN)/python bench/field.py
	$(BIN)/python bench/field_offices.py
	$(BIN)/python bench/hazards.py

clean:
	rm -rf $(VENV) var .pytest_cache
