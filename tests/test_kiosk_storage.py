"""The kiosk end to end on the real storage services (temporary SQLite file database)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from forms import csc as csc_scoring
from forms.sf36 import score_rand36
from storage import services as sv
from storage.demo import eligible_screening
from storage.actors import Actor
from storage.auth_sessions import system_actor
from storage.db import open_database
from test_kiosk_support import (answer_current, click, confirm_identity, dispose, find,
                                hand_over, make_window, run_instrument, unlock)
from ui.kiosk.backend import StorageKioskBackend

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
ROOT = Path(__file__).resolve().parent.parent
STATION = "kiosk-test-1"
NURSE_PW = "kiosk-ward-pass"


# relative to today: the age criterion (18-70) must hold whenever the test runs
BIRTH_YEAR = date.today().year - 60

def _setup(url: str) -> tuple[int, int]:
    db = open_database(url)
    system = system_actor()
    sv.create_study(db, system)
    sv.create_user(db, system, username="nurse", full_name="Nurse Kiosk", role="nurse",
                   password=NURSE_PW)
    today = date.today()
    pid = sv.enrol_patient(db, sv.authenticate(db, "nurse", NURSE_PW),
                           subject_id="DEMO-0003", initials="ZW", sex="F", day1_date=today,
                           screening=eligible_screening(sv.current_protocol(db), today,
                                                        birth_date=date(BIRTH_YEAR, 6, 1)))
    visit = sv.patient_visits(db, pid)[0]                   # the baseline visit
    db.dispose()
    return pid, visit.id


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    pid, visit_id = _setup(url)
    db = open_database(url)
    yield db, pid, visit_id, url
    db.dispose()


@pytest.fixture
def win(qtbot, store):
    db = store[0]
    w = make_window(qtbot, StorageKioskBackend(db, station=STATION))
    yield w
    dispose(w)


def test_full_battery_stored_with_scores_and_audit(qtbot, win, store):
    db, pid, visit_id, _ = store
    hand_over(qtbot, win, visit_id, BIRTH_YEAR, password=NURSE_PW)
    click(qtbot, win, "StartButton")
    # q1: first answer, then back and change it (recorded as a change)
    answer_current(qtbot, win, 0, keyboard=True)
    qtbot.keyClick(win, Qt.Key.Key_Backspace)
    sf = {"q1": answer_current(qtbot, win, 2, keyboard=False)}
    sf.update(run_instrument(qtbot, win, "rand36", keyboard=True))
    click(qtbot, win, "SubmitButton")
    click(qtbot, win, "StartButton")
    csc = run_instrument(qtbot, win, "csc", keyboard=False,
                         choose=lambda item, k: 1 if item in ("C2", "A2") else 0)
    assert "C2b" in csc and "G2" not in csc          # C2 ≥ 1 → C2b; baseline → no G2
    click(qtbot, win, "SubmitButton")
    assert win.current.objectName() == "WarningScreen"   # A2 = Yes
    click(qtbot, win, "WarningDone")
    click(qtbot, win, "FinishButton")
    assert win.controller.phase == "locked"

    states = {a.instrument_id: a for a in sv.visit_administrations(db, visit_id)}
    assert states["rand36"].status == states["csc"].status == "submitted"
    assert states["rand36"].answers == sf and len(sf) == 36
    assert states["csc"].answers == csc
    assert states["csc"].not_applicable == {"G2"}
    assert states["rand36"].change_counts["q1"] == 1
    assert states["rand36"].station_id == STATION
    scores = sv.visit_scores(db, visit_id)
    rand = scores["rand36"]["rand36-1.0"]["values"]
    expected = score_rand36({int(k[1:]): v for k, v in sf.items()})
    for scale, value in expected.items():
        assert rand[scale] == pytest.approx(value, abs=1e-9), scale
    c = csc_scoring.score_visit({**{i: None for i in csc_scoring.ITEM_IDS}, **csc})
    stored = next(iter(scores["csc"].values()))["values"]
    assert stored["rss"] == pytest.approx(c.rss) and stored["tsb"] == pytest.approx(c.tsb)
    assert stored["alert"] == "red"
    history = sv.audit_history(db, patient_id=pid)
    actions = [h.action for h in history]
    assert actions.count("answer.change_before_submit") >= 1
    assert actions.count("administration.submit") >= 2
    # the patient is the originator of every recorded answer (FDA Q20)
    assert {h.actor_kind for h in history if h.action == "answer.record"} == {"patient"}


def test_skip_reason_and_idle_interrupt_stored(qtbot, store):
    db, pid, visit_id, _ = store
    w = make_window(qtbot, StorageKioskBackend(db, station=STATION), idle_ms=200,
                    countdown_s=0.2)
    try:
        hand_over(qtbot, w, visit_id, BIRTH_YEAR, password=NURSE_PW)
        click(qtbot, w, "StartButton")
        click(qtbot, w, "SkipButton")
        click(qtbot, w, "SkipYes")
        click(qtbot, w, "Reason_not_applicable")
        answer_current(qtbot, w, 1, keyboard=True)
        aid = w.controller.run.administration_id
        qtbot.waitUntil(lambda: w.controller.phase == "locked", timeout=5000)
        st = sv.administration_state(db, aid)
        assert st.status == "interrupted"
        assert st.skipped == {"q1": "not_applicable"} and list(st.answers) == ["q2"]
    finally:
        dispose(w)


CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from storage import services as sv
    from storage.db import open_database
    db = open_database({url!r})
    nurse = sv.authenticate(db, "nurse", {pw!r}, station_id={station!r})
    aid = sv.start_administration(db, nurse, visit_id={visit}, instrument_id="rand36",
                                  language="en", station_id={station!r})
    patient = sv.hand_over_kiosk(db, nurse, {visit})
    for n in range(1, 37):
        sv.record_answer(db, patient, aid, f"q{{n}}", 1, ms_on_item=900)
        print("ACK", n, flush=True)
        if n == {stop}:
            sys.stdin.readline()          # wait here; the parent kills us
""")


def test_crash_then_resume_at_first_unanswered(qtbot, store):
    db, pid, visit_id, url = store
    code = CHILD.format(root=str(ROOT), url=url, pw=NURSE_PW, station=STATION, visit=visit_id,
                        pid=pid, stop=17)
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    acks = 0
    while acks < 17:
        line = child.stdout.readline()
        assert line.startswith("ACK"), line
        acks += 1
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    # a new kiosk starts locked; staff see the offer; resuming continues at q18
    w = make_window(qtbot, StorageKioskBackend(db, station=STATION))
    try:
        assert w.current.objectName() == "LockedScreen"
        unlock(qtbot, w, password=NURSE_PW)
        offers = [b for b in w.current.findChildren(type(find(w, "LockButton")))
                  if b.objectName().startswith("Resume_")]
        assert len(offers) == 1
        assert offers[0].text() == ("Interrupted questionnaire for DEMO-0003, 17 of 36 "
                                    "answered — resume?")
        qtbot.mouseClick(offers[0], Qt.MouseButton.LeftButton)
        confirm_identity(qtbot, w, BIRTH_YEAR)
        assert w.current.objectName() == "ItemScreen" and w.current.item_id == "q18"
        assert w.current.checked_code() is None
        answer_current(qtbot, w, 0, keyboard=True)
        aid = w.controller.run.administration_id
        assert sv.administration_state(db, aid).answered_count == 18
    finally:
        dispose(w)
