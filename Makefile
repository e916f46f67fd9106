# ePRO Desk. `make run` and `make test` each work as the only command on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= offscreen

.PHONY: venv run kiosk test test-slow bench screenshots translations clean

venv: $(STAMP)

$(STAMP): pyproject.toml .ci/bootstrap_venv.py
	$(PYTHON) .ci/bootstrap_venv.py $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,postgres]'
	touch $(STAMP)

translations: venv
	$(BIN)/python -m resources.translations.build

run: venv translations
	QT_QPA_PLATFORM= $(BIN)/python main.py --demo

kiosk: venv translations
	QT_QPA_PLATFORM= $(BIN)/python main.py --demo --kiosk

test: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test-slow: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow

bench: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

screenshots: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m screenshots tests --screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache screenshots
