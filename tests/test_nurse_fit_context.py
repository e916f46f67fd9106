"""Issue 14 item 6 on a real demo database: the staff window fits a 1280×800 screen and grows;
every tab names its patient and visit; each visit's clinical form starts from THAT visit's
stored units and values; saving without a change does nothing and asks no reason."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt

from nurse_demo import backend_for, demo_db, demo_template, login, open_row  # noqa: F401
from forms.schedule import visit_label
from storage import services as sv
from ui.nurse.main_window import MINIMUM_SIZE, NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SCREEN = QSize(1280, 800 - 40)          # a 1280×800 screen less a task bar


@pytest.fixture
def win(qtbot, demo_db):
    w = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(w)
    return w


def _visits_with_and_without_assessment(db):
    """A patient with a stored assessment at one visit (its units) and none at another."""
    for p in sv.list_patients(db):
        visits = sv.patient_visits(db, p.id)
        stored = [v for v in visits if sv.clinical_assessment(db, v.id)]
        empty = [v for v in visits if not sv.clinical_assessment(db, v.id)]
        if stored and empty:
            return p, stored[0], empty[0]
    raise AssertionError("demo data without a patient with and without an assessment")


def _open(qtbot, win, patient, visit):
    w = win.work
    w.proxy.sort(0, Qt.SortOrder.AscendingOrder)
    rows = [w.proxy.index(r, 0).data() for r in range(w.proxy.rowCount())]
    if win.patient_id != patient.id:
        open_row(qtbot, win, rows.index(patient.subject_id))
    with qtbot.waitSignal(win.visit_loaded, timeout=20000):
        w.visits.select_code(visit.code)
    return w


def test_window_fits_1280x800_and_scales_up(qtbot, win, demo_db):
    avail = win.screen().availableGeometry().size()
    assert win.width() <= avail.width() and win.height() <= avail.height() - 40   # + title bar
    login(qtbot, win, "investigator")
    p, stored, _ = _visits_with_and_without_assessment(demo_db)
    w = _open(qtbot, win, p, stored)
    for tab in range(w.tabs.count()):                  # whatever tab is open
        w.tabs.setCurrentIndex(tab)
        hint = win.minimumSizeHint().expandedTo(win.minimumSize())
        assert hint.width() <= SCREEN.width() and hint.height() <= SCREEN.height() - 30, tab
    assert win.minimumSize() == MINIMUM_SIZE.boundedTo(win.screen().availableGeometry().size())
    assert win.maximumSize().width() > 1280                # not fixed
    win.resize(SCREEN.width(), SCREEN.height() - 30)
    win.show()
    qtbot.waitExposed(win)
    bar = win.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < win.height()
    win.resize(1920, 1080)                                 # scales up: the tabs take the room
    qtbot.waitUntil(lambda: win.width() == 1920)
    qtbot.waitUntil(lambda: w.tabs.width() > 1000)


def test_every_tab_names_patient_and_visit(qtbot, win, demo_db):
    login(qtbot, win, "nurse")
    p, stored, _ = _visits_with_and_without_assessment(demo_db)
    w = _open(qtbot, win, p, stored)
    name = visit_label(sv.current_protocol(demo_db), stored.code, "en")   # "Week 12"
    assert name != stored.code
    want = f"{p.subject_id} · {name} (day {stored.target_day})"
    assert w.visit_context.text() == want and w.visit_context.isVisibleTo(w)
    for tab in (w.clinical, w.review, w.outcomes):       # the tooltip of each visit tab
        assert w.tabs.tabToolTip(w.tabs.indexOf(tab)) == want
    assert w.patient_header.text().startswith(p.subject_id)
    arm_ids = set(sv.study_arms(demo_db))
    assert not arm_ids & set(w.patient_header.text().split())   # the arm's label, not its id


def test_each_visit_starts_from_its_own_stored_units(qtbot, win, demo_db):
    login(qtbot, win, "nurse")
    p, stored, empty = _visits_with_and_without_assessment(demo_db)
    saved = sv.clinical_assessment(demo_db, stored.id)
    w = _open(qtbot, win, p, stored)
    f = w.clinical
    for name, entry in saved["labs"].items():
        if name in f.unit_combos and f.unit_combos[name].count() > 1:
            assert f.unit_combos[name].currentData() == entry["unit"], name
    # the nurse switches bilirubin to the other unit, then opens a visit without an assessment
    other = 1 - f.unit_combos["bilirubin"].currentIndex()
    f.unit_combos["bilirubin"].setCurrentIndex(other)
    _open(qtbot, win, p, empty)
    assert all(c.currentIndex() == 0 for c in f.unit_combos.values())   # the defaults
    assert all(not e.text() for e in f.lab_edits.values())
    _open(qtbot, win, p, stored)                                        # and back: as stored
    assert f.unit_combos["bilirubin"].currentData() == saved["labs"]["bilirubin"]["unit"]


def test_saving_without_a_change_does_nothing_and_asks_no_reason(qtbot, win, demo_db):
    login(qtbot, win, "nurse")
    p, stored, _ = _visits_with_and_without_assessment(demo_db)
    before = sv.clinical_assessment(demo_db, stored.id)
    n_audit = len(sv.audit_history(demo_db, patient_id=p.id))
    w = _open(qtbot, win, p, stored)
    with qtbot.waitSignal(win.clinical_unchanged, timeout=5000):
        qtbot.mouseClick(w.clinical.save_button, Qt.MouseButton.LeftButton)
    assert getattr(win, "clinical_reason_dialog", None) is None
    assert sv.clinical_assessment(demo_db, stored.id) == before
    assert len(sv.audit_history(demo_db, patient_id=p.id)) == n_audit
    # nothing entered on a visit without an assessment: nothing saved either
    _, _, empty = _visits_with_and_without_assessment(demo_db)
    _open(qtbot, win, p, empty)
    with qtbot.waitSignal(win.clinical_unchanged, timeout=5000):
        qtbot.mouseClick(w.clinical.save_button, Qt.MouseButton.LeftButton)
    assert sv.clinical_assessment(demo_db, empty.id) is None
    _open(qtbot, win, p, stored)
    # a real change asks for the reason
    w.clinical.lab_edits["sodium"].setText("129")
    qtbot.mouseClick(w.clinical.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(win, "clinical_reason_dialog", None) is not None
                    and win.clinical_reason_dialog.isVisible())
    win.clinical_reason_dialog.reject()


def test_preview_fits_the_screen_and_follows_the_gui_language(qtbot, tmp_path):
    from reports.demo_summary import empty_visit_summary
    from reports.visit_summary import build_visit_summary
    from ui import i18n
    from ui.widgets.pdf_preview import PdfPreviewDialog, VisitSummaryActions, report_language
    pdf = tmp_path / "s.pdf"
    build_visit_summary(empty_visit_summary(), pdf)
    dlg = PdfPreviewDialog(pdf)
    qtbot.addWidget(dlg)
    avail = dlg.screen().availableGeometry().size()
    assert dlg.height() <= avail.height() - 40 and dlg.width() <= avail.width()
    dlg.show()
    qtbot.waitExposed(dlg)
    for b in (dlg.print_button, dlg.buttons):
        assert b.isVisible() and b.mapTo(dlg, b.rect().bottomRight()).y() < dlg.height()
    dlg.reject()
    actions = VisitSummaryActions(None)
    try:
        i18n.set_language("zh_CN")                # as ui/launcher.py starts the app
        i18n.install_staff_translators("zh_CN")
        assert report_language() == "zh_CN" and actions.lang == "zh_CN"
    finally:
        i18n.set_language("en")
        i18n.install_staff_translators("en")
    assert report_language() == "en" and actions.lang == "en"


def test_review_questions_wrap_instead_of_being_cut(qtbot, win, demo_db):
    from nurse_demo import open_visit, reviewable_visit
    target = reviewable_visit(demo_db, "q3")
    win.resize(SCREEN.width(), SCREEN.height() - 30)
    win.show()
    qtbot.waitExposed(win)
    login(qtbot, win, "nurse")
    w = open_visit(qtbot, win, target)
    w.tabs.setCurrentWidget(w.review)
    tree = w.review.tree
    assert w.review.select_item("q3")
    item = tree.currentItem()
    col = tree.header().sectionSize(1)
    fm = tree.fontMetrics()
    assert fm.horizontalAdvance(item.text(1)) > 2 * col          # a long question ...
    qtbot.waitUntil(lambda: tree.visualItemRect(item).height() >= 3 * fm.height())  # ... wraps
    header = tree.topLevelItem(0)
    assert tree.isFirstColumnSpanned(tree.indexOfTopLevelItem(header), tree.rootIndex())
