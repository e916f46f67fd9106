"""Helpers for the kiosk tests: a real (SQLite) database with two patients, a kiosk window over
it, and ways to drive the window like a nurse and a patient.

(No tests here; imported by the other test_kiosk_* modules. A module using the ``kiosk_store``
fixture imports ``kiosk_store`` and ``kiosk_template`` from here.)
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from forms.instrument import load_instrument
from storage import services as sv
from storage.clock import use_clock
from storage.db import Database, open_database
from storage_fixtures import PASSWORDS, _fill_template, answer_all, enrol
from ui.kiosk.backend import StorageKioskBackend
from ui.widgets.tasks import pending_tasks

STATION = "kiosk-test-1"
NURSE_PW = PASSWORDS["nurse"]


@dataclass(frozen=True)
class KioskPatient:
    patient_id: int
    subject_id: str
    birth_year: int
    visit_id: int          # the visit the kiosk staff screen offers for this patient
    visit_code: str


@dataclass
class KioskStore:
    db: Database
    backend: StorageKioskBackend
    a: KioskPatient        # DEMO-0003: a later visit with two questionnaires open
    b: KioskPatient        # DEMO-0004: nothing done yet (first visit open)


def _offered(db: Database, patient_id: int):
    return next(o for o in sv.open_visits(db) if o.patient_id == patient_id)


@pytest.fixture(scope="session")
def kiosk_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, KioskPatient,
                                                                        KioskPatient]:
    """Built once per session through the services; each test gets a file copy. DEMO-0003 has
    answered every visit up to the first later one that gives two questionnaires or more (its
    earlier visits answered in the past, a month apart); DEMO-0004 has answered nothing."""
    path = tmp_path_factory.mktemp("kiosk") / "kiosk.db"
    db = open_database(f"sqlite:///{path}")
    _fill_template(db)
    nurse = sv.authenticate(db, "nurse", NURSE_PW, station_id=STATION)
    now = datetime.now(timezone.utc)
    pa = enrol(db, "DEMO-0003", day1=date.today() - timedelta(days=330)).patient_id
    pb = enrol(db, "DEMO-0004").patient_id
    first = _offered(db, pa).visit_id
    for k in range(12):
        o = _offered(db, pa)
        if o.visit_id != first and len(sv.remaining_battery(db, o.visit_id)) >= 2:
            break
        past = now - timedelta(days=320 - 30 * k)
        with use_clock(lambda: past):
            for inst in sv.remaining_battery(db, o.visit_id):
                aid = sv.start_administration(db, nurse, visit_id=o.visit_id,
                                              instrument_id=inst, language="en",
                                              station_id=STATION)
                answer_all(db, nurse, aid)
                sv.submit_administration(db, nurse, aid)
    a, b = _offered(db, pa), _offered(db, pb)
    assert a.visit_id != first and len(sv.remaining_battery(db, a.visit_id)) >= 2
    years = {p: sv.get_patient(db, p).birth_year for p in (pa, pb)}
    db.dispose()
    return (path, KioskPatient(pa, "DEMO-0003", years[pa], a.visit_id, a.visit_code),
            KioskPatient(pb, "DEMO-0004", years[pb], b.visit_id, b.visit_code))


@pytest.fixture
def kiosk_store(kiosk_template, tmp_path: Path) -> Iterator[KioskStore]:
    src, a, b = kiosk_template
    path = tmp_path / "kiosk.db"
    shutil.copyfile(src, path)
    db = open_database(f"sqlite:///{path}")
    yield KioskStore(db, StorageKioskBackend(db, station=STATION), a, b)
    db.dispose()


def statuses(store: KioskStore, visit_id: int) -> list[str]:
    return [a.status for a in sv.visit_administrations(store.db, visit_id)]


def make_window(qtbot: Any, backend: Any, *, lang: str = "en", idle_ms: int = 600_000,
                countdown_s: float = 30, size: tuple[int, int] = (1280, 800),
                station: bool = True, scale: float = 1.0) -> Any:
    from ui.kiosk.window import KioskWindow
    win = KioskWindow(backend, station=station, lang=lang, idle_ms=idle_ms,
                      countdown_s=countdown_s, fullscreen=False, scale=scale)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


def dispose(win: Any) -> None:
    from ui import i18n
    win.allow_close()
    win.close()
    win.controller.idle.uninstall()
    win.deleteLater()
    QApplication.processEvents()
    i18n.set_language("en")


def find(win: Any, name: str) -> QWidget:
    """The named widget on the topmost overlay, else on the current screen (never a dead one)."""
    for ov in reversed(win.overlays):
        w = ov.findChild(QWidget, name)
        if w is not None:
            return w
    w = win.current.findChild(QWidget, name) if win.current is not None else None
    if w is None:
        w = win.findChild(QWidget, name)
    assert w is not None, f"no widget {name!r} on {win.current.objectName()}"
    return w


def click(qtbot: Any, win: Any, name: str) -> None:
    w = find(win, name)
    assert w.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton)


def login_checked(qtbot: Any) -> None:
    """The staff login is checked on a worker thread (ui/kiosk/staff_login.py): wait until its
    outcome has been delivered to the GUI thread."""
    qtbot.waitUntil(lambda: pending_tasks() == 0)


def staff_login(qtbot: Any, win: Any, button: str = "StaffUnlock") -> None:
    """Press the staff overlay's button and wait for the check's outcome."""
    click(qtbot, win, button)
    login_checked(qtbot)


def unlock(qtbot: Any, win: Any, user: str = "nurse", password: str = NURSE_PW) -> None:
    # after a patient screen the unlock button waits a guard time (start_screens.STAFF_GUARD_MS)
    qtbot.waitUntil(lambda: find(win, "UnlockButton").isEnabled())
    click(qtbot, win, "UnlockButton")
    find(win, "StaffUser").setText(user)
    find(win, "StaffPassword").setText(password)
    staff_login(qtbot, win)


def confirm_identity(qtbot: Any, win: Any, year: int) -> None:
    for digit in str(year):
        click(qtbot, win, f"Pad_{digit}")
    click(qtbot, win, "ConfirmIdentity")


def hand_over(qtbot: Any, win: Any, visit_id: int, year: int, **login: str) -> None:
    unlock(qtbot, win, **login)
    assert win.controller.phase == "staff"
    click(qtbot, win, f"Visit_{visit_id}")
    assert win.controller.phase == "identity"
    confirm_identity(qtbot, win, year)


def option_index_for(item_id: str, instrument_id: str, k: int) -> int:
    """A deterministic, varied answer: option index for the k-th item."""
    n = len(load_instrument(instrument_id).options_for(item_id).codes)
    return (k * 7 + 3) % n


def answer_current(qtbot: Any, win: Any, index: int, *, keyboard: bool) -> int:
    """Choose the index-th option (digit key or mouse) and go Next (Enter or click)."""
    screen = win.current
    assert screen.objectName() == "ItemScreen"
    if keyboard:
        qtbot.keyClick(win, Qt.Key(Qt.Key.Key_1 + index))
    else:
        qtbot.mouseClick(screen.options[index], Qt.MouseButton.LeftButton)
    code = int(screen.options[index].property("code"))
    assert screen.checked_code() == code
    if keyboard:
        qtbot.keyClick(win, Qt.Key.Key_Return)
    else:
        qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    return code


def run_instrument(qtbot: Any, win: Any, instrument_id: str, *, keyboard: bool,
                   choose: Any = None) -> dict[str, int]:
    """Answer every item of the instrument on screen until the review screen; return answers."""
    answers: dict[str, int] = {}
    k = 0
    while win.current.objectName() == "ItemScreen":
        item_id = win.current.item_id
        assert item_id not in answers, f"{item_id} shown twice"
        assert win.current.checked_code() is None        # nothing pre-selected
        assert not win.current.next_button.isEnabled()   # Next only after an answer or skip
        idx = choose(item_id, k) if choose else option_index_for(item_id, instrument_id, k)
        answers[item_id] = answer_current(qtbot, win, idx, keyboard=keyboard)
        k += 1
    assert win.current.objectName() == "ReviewScreen"
    return answers


def tour(qtbot: Any, win: Any, patient: KioskPatient, **login: str):
    """Walk through every kiosk screen and overlay for the patient's offered visit; yield a short
    name at each stop."""
    visit_id, year = patient.visit_id, patient.birth_year
    from ui.i18n import current_language
    lang = current_language()
    yield "locked"
    click(qtbot, win, "UnlockButton")
    find(win, "StaffUser").setText(login.get("user", "nurse"))
    yield "staff_login"
    find(win, "StaffPassword").setText(login.get("password", NURSE_PW))
    staff_login(qtbot, win)
    yield "staff"
    click(qtbot, win, f"Visit_{visit_id}")
    for d in str(year)[:2]:
        click(qtbot, win, f"Pad_{d}")
    yield "identity"
    for d in str(year)[2:]:
        click(qtbot, win, f"Pad_{d}")
    click(qtbot, win, "ConfirmIdentity")
    click(qtbot, win, f"Lang_{lang}")
    yield "welcome_rand36"
    click(qtbot, win, "StartButton")
    yield "item_rand36_q1"
    answer_current(qtbot, win, 0, keyboard=True)
    answer_current(qtbot, win, 0, keyboard=True)
    yield "item_rand36_grid_q3"
    click(qtbot, win, "SkipButton")
    yield "skip_confirm"
    click(qtbot, win, "SkipYes")
    yield "skip_reason"
    click(qtbot, win, "Reason_prefer_not_to_answer")
    while win.current.item_id != "q21":
        answer_current(qtbot, win, 0, keyboard=True)
    yield "item_rand36_q21_six_options"
    run_instrument(qtbot, win, "rand36", keyboard=True)
    yield "review_rand36"
    click(qtbot, win, "SubmitButton")
    yield "welcome_csc"
    click(qtbot, win, "StartButton")
    yield "item_csc_c1"
    while win.current.item_id != "A1":
        answer_current(qtbot, win, 0, keyboard=False)
    yield "item_csc_warning_block_a1"
    answer_current(qtbot, win, 1, keyboard=False)
    while win.current.objectName() == "ItemScreen":
        answer_current(qtbot, win, 0, keyboard=False)
    yield "review_csc"
    win.controller._on_idle()
    yield "idle_overlay"
    click(qtbot, win, "IdleContinue")
    click(qtbot, win, "SubmitButton")
    yield "warning_end"
    click(qtbot, win, "WarningDone")
    yield "thank_you"
