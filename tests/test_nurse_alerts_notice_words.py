"""The alerts notice after a nurse login, on real storage: its heading counts the patients'
warning signs and the alerts from staff-entered data apart, long lines wrap (no sideways
scrolling at 1280 px), and a question is named by its text, never by its item code."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from forms import csc
from storage import services as sv
from storage_fixtures import (answer_all, at_kiosk, enrol, sqlite_db,  # noqa: F401
                              sqlite_template, staff, storage_day)
from test_nurse_alerts import _login
from ui import i18n

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
ITEM_CODE = re.compile(r"\b[ACSPGq]\d+b?\b")
TODAY = date.today()


@pytest.fixture(autouse=True)
def _today_stays_today():
    with storage_day(TODAY):              # TODAY is taken at import (tests/storage_fixtures.py)
        yield


@pytest.fixture
def study(sqlite_db):  # noqa: F811, ANN001, ANN201
    v = enrol(sqlite_db, "T-ALERT", day1=TODAY)
    nurse = staff(sqlite_db, "nurse")
    adm = sv.start_administration(sqlite_db, nurse, visit_id=v.visit_id,
                                  instrument_id=csc.INSTRUMENT_ID, language="en")
    pat = at_kiosk(sqlite_db, v.visit_id)
    answer_all(sqlite_db, pat, adm, code_for=lambda item, codes: csc.YES if item in ("A2", "A6")
               else 0 if 0 in codes else codes[0])
    sv.submit_administration(sqlite_db, pat, adm)
    sv.record_outcome(sqlite_db, nurse, v.patient_id, "adverse_event", {
        "term": "Upper gastrointestinal bleeding with haematemesis and melaena needing "
                "transfusion of two units", "onset": (TODAY - timedelta(days=2)).isoformat(),
        "grade": "4", "serious": "yes", "serious_criteria": ["hospitalisation"],
        "relatedness": "unlikely", "action": "none", "outcome": "recovering"})
    return sqlite_db


def test_heading_counts_patient_and_staff_alerts_and_lines_wrap(qtbot, study) -> None:
    win = _login(qtbot, study)
    qtbot.waitUntil(lambda: win.alerts_notice is not None, timeout=20000)
    dlg = win.alerts_notice
    n = dlg.list.count()
    lines = [dlg.list.item(i).text() for i in range(n)]
    assert n >= 3 and sum("patient answered" in t for t in lines) == 2
    # "33 warning signs reported by patients" counted the AEs too
    assert dlg.intro.text() == (f"Alerts not acknowledged yet: {n}. From patients' answers "
                                "(warning signs): 2. From data entered by staff (adverse "
                                f"events, deaths, liver cancer, Child-Pugh): {n - 2}.")
    assert all("patient answered" in t for t in lines[:2])    # the patients' ones first
    # never an item code: the question by its short label from the instrument data
    assert not [t for t in lines if ITEM_CODE.search(t.split(" \u2014 ", 2)[2])], lines
    assert any("Black or bloody stools: patient answered Yes" in t for t in lines)
    # a line longer than the list is wrapped, not cut off with a sideways scroll bar
    dlg.resize(520, 420)
    view = dlg.list
    qtbot.waitUntil(lambda: view.viewport().width() < 520)
    assert view.horizontalScrollBar().maximum() == 0
    line_h = view.fontMetrics().height()
    rects = [view.visualItemRect(view.item(i)) for i in range(n)]
    assert all(r.right() <= view.viewport().width() for r in rects)
    assert max(r.height() for r in rects) >= 2 * line_h
    # acknowledging a staff-data alert updates the counts
    staff_row = next(i for i in range(n) if "patient answered" not in view.item(i).text())
    view.setCurrentRow(staff_row)
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        qtbot.mouseClick(dlg.ack_button, Qt.MouseButton.LeftButton)
    assert f"From data entered by staff (adverse events, deaths, liver cancer, Child-Pugh): " \
           f"{n - 3}." in dlg.intro.text()


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    i18n.install_staff_translators("zh_CN")
    yield
    i18n.set_language("en")
    i18n.install_staff_translators("en")


def test_heading_and_reasons_in_chinese(qtbot, study, zh) -> None:
    win = _login(qtbot, study)
    qtbot.waitUntil(lambda: win.alerts_notice is not None, timeout=20000)
    dlg = win.alerts_notice
    n = dlg.list.count()
    assert dlg.intro.text() == (f"尚未确认的警示：{n} 条。来自患者的回答（警示征象）：2 条。"
                                f"来自工作人员录入的数据（不良事件、死亡、肝癌、Child-Pugh）：{n - 2} 条。")
    lines = [dlg.list.item(i).text() for i in range(n)]
    assert any("黑便或血便：患者回答“是”" in t for t in lines), lines
    assert not [t for t in lines if ITEM_CODE.search(t.split(" \u2014 ", 2)[2])], lines
