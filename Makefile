# ePRO Desk. `make run` and `make test` each work as the only command on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= offscreen

.PHONY: venv run kiosk test test-slow test-clock bench bench-quick mutation screenshots translations clean

venv: $(STAMP)

$(STAMP): pyproject.toml .ci/bootstrap_venv.py
	$(PYTHON) .ci/bootstrap_venv.py $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,postgres]'
	touch $(STAMP)

# FHIR R4 (4.0.1) models for the FHIR export tests only: fhir.resources 6.4 (the last release whose
# models are R4; the app's 8.x has R5 and R4B) needs pydantic 1, so it lives in its own folder and the
# tests load it in a separate interpreter (tests/fhir_r4.py)
R4DIR   := $(VENV)/fhir-r4
R4STAMP := $(R4DIR)/.installed-stamp
$(R4STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-warn-conflicts --upgrade \
	  --target $(R4DIR) 'fhir.resources==6.4.0' 'pydantic>=1.10,<2'
	touch $(R4STAMP)

translations: venv
	$(BIN)/python -m resources.translations.build

run: venv translations
	QT_QPA_PLATFORM= $(BIN)/python main.py --demo

kiosk: venv translations
	QT_QPA_PLATFORM= $(BIN)/python main.py --demo --kiosk

test: venv translations $(R4STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test-slow: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow

bench: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# every benchmark at a small size (<= 3 min) into bench/results-quick.json
bench-quick: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench --quick

# mutation testing of forms/, the audit verifier, authentication and the CSV safety module against
# their own tests (bench/mutation.py -> bench/mutation.json); long, not part of `make test`.
# One module: make mutation MUTATE=reports/export/csvsafe.py
mutation: venv translations
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'mutmut>=3.3,<4'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.mutation $(MUTATE)

# the clock-sensitive test files under three time zones at awkward instants (tests/timetravel.py)
CLOCK_TESTS ?= tests/test_summary_loader.py tests/test_summary_cli.py tests/test_storage_demo.py tests/test_storage_today.py \
               tests/test_local_calendar.py tests/test_kiosk_storage.py
test-clock: venv translations
	for tz in UTC America/Los_Angeles Pacific/Kiritimati; do \
	  for at in '' 2040-01-01T23:30 2026-12-31T23:30; do \
	    echo "== TZ=$$tz at=$${at:-now}"; \
	    TZ=$$tz EPRO_TEST_AT=$$at QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider $(CLOCK_TESTS) || exit 1; \
	  done; done

screenshots: venv translations
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m screenshots tests --screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache screenshots
