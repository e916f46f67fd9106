"""Selection is owned by the user (issue 14 item 2): filters, searches and reloads never open a
patient nobody clicked; when the open patient is filtered out the pane says so. Real storage."""
from __future__ import annotations

import pytest

from storage_fixtures import PASSWORDS, enrol, sqlite_db, sqlite_template  # noqa: F401
from ui.nurse.backend import StorageBackend
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def win(qtbot, sqlite_db):  # noqa: F811
    for subject in ("SEL-001", "SEL-002", "SEL-003"):
        enrol(sqlite_db, subject)
    w = NurseMainWindow(StorageBackend(sqlite_db))
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.patients_loaded, timeout=10000):
        w.login.user_edit.setText("nurse")
        w.login.password_edit.setText(PASSWORDS["nurse"])
        w.login.submit()
    return w


def _row_of(w, subject: str) -> int:
    for r in range(w.proxy.rowCount()):
        if w.proxy.index(r, 0).data() == subject:
            return r
    raise AssertionError(subject)


def test_filters_and_searches_never_switch_the_open_patient(qtbot, win) -> None:
    w = win.work
    opened: list[int] = []
    win.patient_loaded.connect(opened.append)
    with qtbot.waitSignal(win.patient_loaded, timeout=10000):
        w.table.setCurrentIndex(w.proxy.index(_row_of(w, "SEL-002"), 0))   # the user's click
    chosen = win.patient_id
    assert opened == [chosen]
    w.search.setText("SEL-003")              # leaves one row, not the open patient
    assert w.proxy.rowCount() == 1
    assert win.patient_id == chosen and opened == [chosen]
    assert w.filter_note.isVisibleTo(w)
    assert not w.table.selectionModel().hasSelection()
    w.overdue_only.setChecked(True)
    w.overdue_only.setChecked(False)
    w.search.clear()                         # the open patient is listed again and selected
    assert win.patient_id == chosen and opened == [chosen]
    assert not w.filter_note.isVisibleTo(w)
    current = w.table.selectionModel().currentIndex()
    assert current.isValid() and w.proxy.index(current.row(), 0).data() == "SEL-002"


def test_a_reload_of_the_list_opens_nobody(qtbot, win) -> None:
    opened: list[int] = []
    win.patient_loaded.connect(opened.append)
    with qtbot.waitSignal(win.patients_loaded, timeout=10000):
        win.reload_patients()
    assert opened == [] and win.patient_id is None
