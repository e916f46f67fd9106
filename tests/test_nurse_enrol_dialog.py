"""Enrol dialog on the real storage: raw screening inputs, live preview with the protocol's own
texts (never an internal id), no arm picker in a randomised study, investigator override, and
the main window showing what storage stored (arm from the allocation list)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from pg_server import pg_server_url  # noqa: F401
from storage import services as sv
from storage_fixtures import PASSWORDS, sqlite_db, sqlite_template  # noqa: F401
from ui import i18n
from ui.nurse.backend import StorageBackend
from ui.nurse.enrol_dialog import EnrolDialog
from ui.nurse.main_window import NurseMainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TODAY = date.today()


def make(qtbot, db):  # noqa: ANN001, ANN201
    win = NurseMainWindow(StorageBackend(db, station_id="WS-T"), demo=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        win.login.user_edit.setText("nurse")
        win.login.password_edit.setText(PASSWORDS["nurse"])
        qtbot.mouseClick(win.login.login_button, Qt.MouseButton.LeftButton)
    return win


def choose(combo, value) -> None:  # noqa: ANN001
    combo.setCurrentIndex(combo.findData(value))


def fill(dlg: EnrolDialog, subject: str, birth: tuple[int, int, int] = (1966, 5, 1),
         **answers) -> None:  # noqa: ANN003
    dlg.subject_id.setText(subject)
    dlg.initials.setText("ZW")
    choose(dlg.sex, "F")
    dlg.birth.setDate(QDate(*birth))
    for name, val, unit in (("bilirubin", "40", "umol/L"), ("albumin", "30", "g/L"),
                            ("inr", "1.5", ""), ("creatinine", "80", "umol/L"),
                            ("sodium", "136", "mmol/L")):
        choose(dlg.unit_combos[name], unit)
        dlg.lab_edits[name].setText(val)
    choose(dlg.ascites, "slight")
    choose(dlg.he, "none")
    choose(dlg.decompensated, answers.get("decompensated", True))
    dlg.kind_boxes["ascites"].setChecked(True)
    for combo in (dlg.life, dlg.hbv, dlg.antiviral):
        choose(combo, True)
    for cid, combo in dlg.excl_combos.items():
        choose(combo, cid == answers.get("exclusion"))


def test_preview_uses_the_protocols_texts_and_liver_scores(qtbot, sqlite_db) -> None:  # noqa: F811
    proto = sv.current_protocol(sqlite_db)
    dlg = EnrolDialog(proto, lambda u, p: None)
    qtbot.addWidget(dlg)
    assert dlg.arm is None                                  # randomised: no arm picker
    assert set(dlg.crit_marks) == {c.id for c in proto.criteria}
    assert set(dlg.excl_combos) == {c.id for c in proto.exclusion}
    assert dlg.crit_marks["age"].text() == "✔"             # default birth date: 18-70
    fill(dlg, "SH01-900")
    assert dlg.screened.child_pugh == 8 and dlg.screened.meld is not None
    assert dlg.screened.result.result == "eligible" and dlg.ok_button.isEnabled()
    assert "Child-Pugh: 8 (B)" in dlg.scores_label.text()
    choose(dlg.excl_combos["pregnancy"], True)
    assert dlg.screened.result.unmet == ("pregnancy",)
    preg = next(c for c in proto.exclusion if c.id == "pregnancy").text["en"].rstrip(".")
    shown = dlg.status.text()
    assert preg in shown and "pregnancy" not in shown        # the text, never the id
    assert not dlg.ok_button.isEnabled() and dlg.override_box.isEnabled()
    choose(dlg.excl_combos["pregnancy"], None)               # back to not known
    assert dlg.screened.result.undetermined == ("pregnancy",)
    assert "(1 open)" in dlg.status.text() and preg in dlg.status.text()


def test_chinese_gui_shows_chinese_criterion_texts(qtbot, sqlite_db, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr("ui.nurse.enrol_dialog.current_language", lambda: "zh_CN")
    proto = sv.current_protocol(sqlite_db)
    dlg = EnrolDialog(proto, lambda u, p: None)
    qtbot.addWidget(dlg)
    texts = [w.text() for w in dlg.findChildren(type(dlg.status))]
    assert any(proto.inclusion[1].text["zh_CN"] == t for t in texts)
    assert not any(c.id == t for c in proto.criteria for t in texts)
    assert i18n.current_language() in ("en", "zh_CN")


def test_enrol_through_the_dialog_stores_raw_inputs_and_allocated_arm(qtbot, sqlite_db) -> None:  # noqa: F811
    win = make(qtbot, sqlite_db)
    dlg = win.open_enrol()
    fill(dlg, "SH01-900")
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    p = sv.find_patient(sqlite_db, "SH01-900")
    rec = sv.enrolment_record(sqlite_db, p.id)
    assert rec.result == "eligible" and rec.override_by is None
    assert rec.derived["child_pugh"]["score"] == 8                  # recomputed by storage
    assert rec.screening.labs["bilirubin"] == {"value": "40", "unit": "umol/L"}
    assert rec.screening.birth_date == date(1966, 5, 1) and p.birth_year == 1966
    assert rec.allocation_sequence == 1 and p.arm in {a.id for a in sv.current_protocol(
        sqlite_db).arms}
    assert win.last_enrolment == rec                                # shown: what was stored
    label = sv.current_protocol(sqlite_db).arm(p.arm).label["en"]
    assert label in win.statusBar().currentMessage()
    assert [v.code for v in sv.patient_visits(sqlite_db, p.id)][:2] == ["BL", "W1"]


def test_ineligible_needs_an_investigator_and_storage_keeps_the_override(qtbot, sqlite_db) -> None:  # noqa: F811
    win = make(qtbot, sqlite_db)
    dlg = win.open_enrol()
    fill(dlg, "SH01-901", birth=(TODAY.year - 17, 1, 1))           # 16 or 17 at screening
    assert dlg.screened.result.unmet == ("age",)
    assert dlg.override_box.isEnabled() and not dlg.ok_button.isEnabled()
    dlg.ov_reason.setPlainText("sponsor waiver 2026-07")
    assert dlg.ok_button.isEnabled()
    dlg.ov_user.setText("nurse")                                    # a nurse cannot confirm
    dlg.ov_password.setText(PASSWORDS["nurse"])
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "investigator" in dlg.message.text()
    assert sv.find_patient(sqlite_db, "SH01-901") is None
    dlg.ov_user.setText("investigator")
    dlg.ov_password.setText(PASSWORDS["investigator"])
    with qtbot.waitSignal(win.patients_loaded, timeout=20000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    rec = sv.enrolment_record(sqlite_db, sv.find_patient(sqlite_db, "SH01-901").id)
    assert rec.result == "ineligible" and rec.override_by == "investigator"
    assert rec.override_reason == "sponsor waiver 2026-07"
    assert [c.id for c in rec.criteria if c.met is False] == ["age"]


def test_patient_list_shows_arm_labels_never_the_ids(qtbot, sqlite_db, monkeypatch) -> None:  # noqa: F811
    from storage_fixtures import enrol
    pid = enrol(sqlite_db, "AL-1").patient_id
    arm = sv.get_patient(sqlite_db, pid).arm
    label = sv.current_protocol(sqlite_db).arm(arm).label
    backend = StorageBackend(sqlite_db)
    (row,) = backend.list_patients()
    assert row.arm == label["en"] and label["en"] in backend.arms
    monkeypatch.setattr("ui.nurse.backend.current_language", lambda: "zh_CN")
    assert backend.list_patients()[0].arm == label["zh_CN"]
    assert arm not in backend.arms
