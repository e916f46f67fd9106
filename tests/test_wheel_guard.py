"""A stray mouse wheel never changes an input without focus (issue 14, item 1)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QDoubleSpinBox, QScrollArea,
                               QVBoxLayout, QWidget)

from ui.widgets.wheel_guard import install_wheel_guard

# the offscreen platform's notice when a top-level window is shown (not an app problem)
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _wheel(widget, steps: int = -1) -> None:
    pos = QPointF(widget.rect().center())
    ev = QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(), QPoint(0, 120 * steps),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, ev)


def _form(qtbot):
    install_wheel_guard()
    area = QScrollArea()
    page = QWidget()
    lay = QVBoxLayout(page)
    combo = QComboBox()
    combo.addItems(["0 none", "1 mild", "2 moderate", "3 severe"])
    spin = QDoubleSpinBox()
    spin.setValue(5.0)
    lay.addWidget(combo)
    lay.addWidget(spin)
    for _ in range(30):
        lay.addWidget(QComboBox())
    area.setWidget(page)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, combo, spin


def test_wheel_without_focus_scrolls_the_page_not_the_input(qtbot) -> None:
    area, combo, spin = _form(qtbot)
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus      # no focus by wheel
    _wheel(combo)
    _wheel(spin.lineEdit())
    assert combo.currentIndex() == 0 and spin.value() == 5.0
    assert not combo.hasFocus()
    assert area.verticalScrollBar().value() > 0                    # the page scrolled instead


def test_wheel_with_focus_changes_the_input(qtbot) -> None:
    _area, combo, spin = _form(qtbot)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo)
    assert combo.currentIndex() == 1
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    _wheel(spin)
    assert spin.value() != 5.0


def test_clinical_form_grades_and_units_ignore_a_stray_wheel(qtbot) -> None:
    """The issue's case: the nurse's clinical form (as the main window installs the guard)."""
    from ui.nurse.clinical_form import ClinicalAssessmentForm
    install_wheel_guard()
    form = ClinicalAssessmentForm()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    grade = next(iter(form.symptom_combos.values()))
    grade.setCurrentIndex(0)
    unit = form.unit_combos["bilirubin"]
    before = unit.currentIndex()
    for combo in (grade, unit, form.ascites):
        _wheel(combo, steps=-3)
    assert grade.currentIndex() == 0
    assert unit.currentIndex() == before
    assert form.ascites.currentIndex() == -1


def test_main_window_installs_the_guard() -> None:
    import inspect
    from ui.nurse.main_window import NurseMainWindow
    from ui.kiosk.window import KioskWindow
    for cls in (NurseMainWindow, KioskWindow):
        assert "install_wheel_guard()" in inspect.getsource(cls.__init__)
