"""A real demo database for the staff-screen tests: ``storage.demo`` writes it through the
services (audit trail, scores, signatures real) once per session; each test gets a file copy.

Test modules import the fixtures they use (``demo_db``, ``demo_template``) from here.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt

from storage import services as sv
from storage.db import Database, open_database
from storage.demo import DEMO_ACCOUNTS, generate_demo_data
from ui.nurse.backend import StorageBackend

DEMO_PW = {role: pw for role, (pw, _name) in DEMO_ACCOUNTS.items()}
N_PATIENTS = 6


def build_demo(path: Path, patients: int) -> Path:
    db = open_database(f"sqlite:///{path}")
    generate_demo_data(db, patients=patients, seed=1, full_names=True)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("nurse_demo") / "demo.db", N_PATIENTS)


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


def backend_for(db: Database) -> StorageBackend:
    return StorageBackend(db, station_id="WS-TEST")


@dataclass(frozen=True)
class Reviewable:
    """A patient's completed, unsigned, unlocked visit with at least two questionnaires."""
    patient_id: int
    subject_id: str
    visit_id: int
    visit_code: str
    instruments: tuple[str, ...]


def reviewable_visit(db: Database, *items: str) -> Reviewable:
    """The first (by subject id) visit that is completed, not signed, not locked, and whose
    submitted answers include every one of ``items``."""
    for p in sv.list_patients(db):
        for v in sv.patient_visits(db, p.id):
            if v.status != "completed" or v.locked or sv.visit_signatures(db, v.id):
                continue
            adms = [a for a in sv.visit_administrations(db, v.id) if a.status == "submitted"]
            answered = {k for a in adms for k in a.answers}
            if len(adms) >= 2 and set(items) <= answered:
                return Reviewable(p.id, p.subject_id, v.id, v.code,
                                  tuple(a.instrument_id for a in adms))
    raise AssertionError(f"the demo data has no completed unsigned visit with {items}")


def login(qtbot: Any, win: Any, user: str, password: str | None = None) -> None:
    sig = win.logged_in if user == "admin" else win.patients_loaded
    with qtbot.waitSignal(sig, timeout=20000):
        win.login.user_edit.setText(user)
        win.login.password_edit.setText(DEMO_PW[user] if password is None else password)
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)


def open_row(qtbot: Any, win: Any, row: int) -> None:
    w = win.work
    w.proxy.sort(0, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(win.patient_loaded, timeout=20000):
        w.table.setCurrentIndex(w.proxy.index(row, 0))


def open_visit(qtbot: Any, win: Any, target: Reviewable) -> Any:
    """Select the patient in the list, then the visit; wait until its review is shown."""
    w = win.work
    w.proxy.sort(0, Qt.SortOrder.AscendingOrder)
    rows = [w.proxy.index(r, 0).data() for r in range(w.proxy.rowCount())]
    open_row(qtbot, win, rows.index(target.subject_id))
    w.visits.select_code(target.visit_code)
    qtbot.waitUntil(lambda: w.review.review is not None
                    and w.review.review.visit_id == target.visit_id, timeout=20000)
    return w
