"""The made-up third instrument (``tests/fixtures/instruments/fat5.json``, no code) given at the
kiosk under a made-up protocol whose baseline battery is ``fat5, csc``: the kiosk offers it
first, the patient answers it on screen, storage scores it (real SQLite storage, pytest-qt)."""
from __future__ import annotations

from pathlib import Path

import pytest
from storage_fixtures import PASSWORDS, enrol
from test_kiosk_support import (STATION, click, dispose, hand_over, make_window, run_instrument)

from forms.instrument import INSTRUMENTS_DIR_ENV
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.db import open_database
from ui.kiosk.backend import StorageKioskBackend

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANSWERS = {"F1": 1, "F2": 2, "F3": 3, "F4": 4, "F5": 4}      # codes 0-4 = option index


@pytest.fixture
def store(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv(INSTRUMENTS_DIR_ENV, str(FIXTURES / "instruments"))
    db = open_database(f"sqlite:///{tmp_path / 'kiosk.db'}")
    system = system_actor()
    sv.create_study(db, system, protocol=FIXTURES / "protocols" / "madeup_fat5.json")
    sv.create_user(db, system, username="nurse", full_name="Nurse Person", role="nurse",
                   password=PASSWORDS["nurse"])
    v1 = enrol(db, "S-302")
    visit = next(v for v in v1.visits if v.code == "BASE")
    yield db, visit, sv.get_patient(db, v1.patient_id).birth_year
    db.dispose()


def test_the_protocol_battery_gives_the_made_up_instrument_first(store):
    db, visit, _year = store
    assert sv.remaining_battery(db, visit.id) == ("fat5", "csc")


def test_given_at_the_kiosk_and_scored(qtbot, store):
    db, visit, year = store
    win = make_window(qtbot, StorageKioskBackend(db, station=STATION))
    try:
        hand_over(qtbot, win, visit.id, year, password=PASSWORDS["nurse"])
        click(qtbot, win, "StartButton")
        got = run_instrument(qtbot, win, "fat5", keyboard=True,
                             choose=lambda item, k: ANSWERS[item])
        assert got == ANSWERS
        click(qtbot, win, "SubmitButton")
        qtbot.waitUntil(lambda: sv.remaining_battery(db, visit.id) == ("csc",))
    finally:
        dispose(win)
    states = {a.instrument_id: a for a in sv.visit_administrations(db, visit.id)}
    assert states["fat5"].status == "submitted" and states["fat5"].answers == ANSWERS
    values = sv.visit_scores(db, visit.id)["fat5"]["fat5-0.9"]["values"]
    assert (values["total"], values["mean"], values["n_severe"]) == (14.0, 2.8, 3)
    assert values["alert"] == "amber" and values["alert_reasons"] == ["F5>=4"]
