# Two commands: `make run` (the app, on a demo database the first time) and `make test`.
# `make bundle` builds the stand-alone program folder dist/desk-league/ (PyInstaller).
# Both build the virtual environment in .venv the first time and whenever pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test demo screenshot bench lint bundle clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更高版本 (Python 3.11+ required)"; exit 1; }
	$(PYTHON) -m venv --clear $(VENV)  # afresh: a package dropped from pyproject.toml must not linger
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@sh packaging/qt-system-libs.sh
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/desk-league --demo-if-new

test: $(STAMP)
	@bash packaging/test-system-packages.sh
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/desk-league demo

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/desk-league screenshot --out shots

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

bundle: $(STAMP)
	$(BIN)/python packaging/build.py

lint: $(STAMP)
	$(BIN)/ruff check desk_league tests bench packaging
	$(BIN)/ruff format --check desk_league tests bench packaging
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info
