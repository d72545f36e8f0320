# Every target makes its own virtualenv (.venv) first; nothing else needs installing by hand.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: demo test test-sqlite test-postgres lint format messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "dxmonitor needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/dxmonitor demo

test: $(BIN)/.installed lint
	scripts/install-browser
	$(MAKE) test-sqlite test-postgres

test-sqlite: $(BIN)/.installed
	env -u DATABASE_URL $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

test-postgres: $(BIN)/.installed
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(BIN)/.installed
	cd dxmonitor && ../$(BIN)/dxmonitor makemessages --locale vi --no-obsolete --add-location file
	cd dxmonitor && ../$(BIN)/dxmonitor compilemessages --locale vi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
