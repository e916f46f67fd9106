"""The audit viewer (issue 14 item 10): visit and question names, option labels and readable JSON,
a debounced filter on a model that handles 100 000 rows, sort by time both ways with the
matching arrow, and the pane refreshed after a correction without re-selecting the patient."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from nurse_demo import (backend_for, demo_db, demo_template, login,  # noqa: F401
                        open_visit, reviewable_visit)
from storage import services as sv
from ui.nurse.audit_text import value_text
from ui.nurse.audit_view import AuditTableModel, AuditTrailWidget
from ui.nurse.main_window import NurseMainWindow
from ui.nurse.view_data import AuditRow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def synthetic(n: int) -> list[AuditRow]:
    return [AuditRow(i, T0 + timedelta(seconds=i), f"user{i % 7}", "nurse", "answer.record",
                     "answer", str(i), "code", str(i % 5), str((i + 1) % 5), None,
                     visit_code=f"W{i % 12}", action_text="Answer saved",
                     field_text=f"RAND-36 {i % 36 + 1}. Question {i % 36 + 1}")
            for i in range(n)]


def test_readable_values() -> None:
    labs = json.dumps({"bilirubin": {"value": "2.5", "unit": "mg/dL"}, "inr": {"value": "1.5"}})
    assert value_text(labs, "labs") == "bilirubin: 2.5 mg/dL; inr: 1.5"
    assert value_text("submitted", "status") == "submitted"
    assert value_text("true") == "yes"
    assert value_text("1", "code", "rand36", "q1") == "Excellent (1)"


def test_only_json_that_reads_differently_is_parsed() -> None:
    """Times, numbers and words stay as stored (not parsed: thousands per opened patient);
    null, booleans, arrays and objects in words, also after white space."""
    stamp = "2026-06-08T14:26:03.000000+00:00"
    assert value_text(stamp, "started_at") == stamp
    assert value_text("12.5", "value") == "12.5"
    assert value_text('"quoted"') == '"quoted"'
    assert value_text("not_applicable", "status") == "not applicable"
    assert value_text("null") == "\u2013" and value_text(" false") == "no"
    assert value_text('["true", 2]') == "yes, 2"
    assert value_text("{not json", "note") == "{not json"
    assert value_text("nope", "note") == "nope"


def test_model_filters_100000_rows_quickly_and_sorts_both_ways(qtmodeltester) -> None:
    small = AuditTableModel(synthetic(50))
    qtmodeltester.check(small)
    model = AuditTableModel(synthetic(100_000))
    assert model.rowCount() == 100_000 and model.row_at(0).seq == 99_999    # newest first
    start = time.perf_counter()
    model.set_filter("user3", None)
    first = time.perf_counter() - start
    start = time.perf_counter()
    model.set_filter("question 7", "answer.")
    second = time.perf_counter() - start
    assert first < 1.0 and second < 1.0, (first, second)
    assert model.rowCount() == len([i for i in range(100_000) if i % 36 + 1 == 7])
    assert all("question 7" in model.row_at(i).field_text.lower()
               for i in range(0, model.rowCount(), 97))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    seqs = [model.row_at(i).seq for i in range(model.rowCount())]
    assert seqs == sorted(seqs)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(i).seq for i in range(3)] == sorted(seqs, reverse=True)[:3]


def test_filter_is_debounced_and_arrow_matches_order(qtbot) -> None:
    w = AuditTrailWidget()
    qtbot.addWidget(w)
    w.set_rows(synthetic(2_000))
    header = w.table.horizontalHeader()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert w.model.row_at(0).seq == 1_999                    # arrow down: newest first
    w.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert w.model.row_at(0).seq == 0                        # arrow up: oldest first
    w.search.setText("u")
    w.search.setText("us")
    w.search.setText("user6")
    assert w.model.rowCount() == 2_000 and w.filter_timer.isActive()   # nothing yet
    assert w.filter_timer.interval() == 250
    with qtbot.waitSignal(w.filtered, timeout=2000) as got:
        pass
    assert got.args == [w.model.rowCount()] and 0 < w.model.rowCount() < 2_000
    assert "of 2000 entries" in w.count.text()


def test_real_audit_names_visit_and_question_and_refreshes_after_correction(
        qtbot, demo_db) -> None:  # noqa: F811
    target = reviewable_visit(demo_db, "q1")
    win = NurseMainWindow(backend_for(demo_db))
    qtbot.addWidget(win)
    login(qtbot, win, "nurse")
    w = open_visit(qtbot, win, target)
    rows = w.audit.model.visible_rows()
    answers = [r for r in rows if r.entity == "answer"]
    assert answers and all(r.visit_code for r in answers)
    q1 = [r for r in answers if r.field == "code" and "1. " in r.field_text]
    assert q1 and any(c.isalpha() for c in q1[0].new_text or "")      # option label, not code
    w.review.select_item("q1")
    adm_id, ans = w.review.selected()
    before = w.audit.model.total
    dlg = win.open_correct(adm_id, ans)
    dlg.new_answer.setCurrentIndex(dlg.new_answer.findData((ans.code % 5) + 1))
    dlg.reason.setCurrentIndex(0)
    dlg.details.setPlainText("re-read the paper form")
    with qtbot.waitSignal(w.audit.refreshed, timeout=20000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert w.audit.model.total > before                          # no re-selection needed
    fixed = [r for r in w.audit.model.visible_rows() if r.action == "answer.correct"
             and r.field == "code"]
    assert fixed and fixed[0].action_text == "Answer corrected"
    assert fixed[0].visit_code == target.visit_code
    assert sv.administration_state(demo_db, adm_id).answers["q1"] == (ans.code % 5) + 1
