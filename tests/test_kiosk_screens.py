"""Kiosk behaviour through the real widgets over the real storage (SQLite template copy)."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QWidget

from forms.instrument import load_instrument
from storage import services as sv
from storage.models import Answer
from test_kiosk_support import (NURSE_PW, StorageKioskBackend, answer_current, click,  # noqa: F401
                                confirm_identity, dispose, find, hand_over, kiosk_store,
                                kiosk_template, make_window, run_instrument, staff_login, statuses,
                                unlock)
from ui.kiosk import theme
from ui.kiosk.flow import InstrumentRun

# The offscreen platform cannot resize a native window to its size hint; it says so once per
# top-level window. Nothing else is ignored.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


class CountingBackend(StorageKioskBackend):
    """The real storage backend, noting what the screens ask it to save (call counts)."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.answer_calls: list[tuple[int, str, int, int | None]] = []

    def record_answer(self, administration_id, item_id, code, ms_on_item) -> None:
        self.answer_calls.append((administration_id, item_id, code, ms_on_item))
        super().record_answer(administration_id, item_id, code, ms_on_item)


@pytest.fixture
def store(kiosk_store):
    kiosk_store.backend = CountingBackend(kiosk_store.db, station=kiosk_store.backend.station)
    return kiosk_store


@pytest.fixture
def backend(store):
    return store.backend


@pytest.fixture
def win(qtbot, store):
    w = make_window(qtbot, store.backend)
    yield w
    dispose(w)


def state(store, aid):
    return sv.administration_state(store.db, aid)


def audit_actions(store, patient_id):
    return [(h.action, h.entity, h.entity_id) for h in sv.audit_history(store.db,
                                                                          patient_id=patient_id)]


def to_first_item(qtbot, win, store) -> None:
    hand_over(qtbot, win, store.a.visit_id, store.a.birth_year)
    assert win.controller.phase == "welcome"
    click(qtbot, win, "StartButton")
    assert win.current.objectName() == "ItemScreen"


def test_starts_locked_with_title(win):
    assert win.windowTitle() == "ePRO Desk — Kiosk"
    assert win.current.objectName() == "LockedScreen"
    assert find(win, "LockedMessage").text() == "Please ask the nurse to start your questionnaire"


def test_wrong_staff_password_stays_locked(qtbot, win):
    unlock(qtbot, win, password="wrong")
    assert win.controller.phase == "locked"
    assert "not correct" in win.overlays[-1].message.text()


def test_identity_not_me_ends_and_notifies_staff(qtbot, win, store):
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{store.a.visit_id}")
    click(qtbot, win, "NotMeButton")
    assert win.controller.phase == "locked"
    assert [a for a in audit_actions(store, store.a.patient_id)
            if a[0] == "kiosk.identity_mismatch"] == [
        ("kiosk.identity_mismatch", "visit", store.a.visit_id)]
    unlock(qtbot, win)
    notices = [w.text() for w in win.current.findChildren(QLabel, "StaffNotice")]
    assert any("DEMO-0003" in n for n in notices)


def test_identity_wrong_year_three_times_ends(qtbot, win, store):
    unlock(qtbot, win)
    click(qtbot, win, f"Visit_{store.a.visit_id}")
    for _ in range(2):
        confirm_identity(qtbot, win, 1950)
        assert win.controller.phase == "identity"
        assert find(win, "IdentityError").isVisible()
    confirm_identity(qtbot, win, 1950)
    assert win.controller.phase == "identity_help"          # a calm message, then staff
    assert [a for a in audit_actions(store, store.a.patient_id)
            if a[0].startswith(("identity.", "kiosk."))] == [
        ("identity.birth_year_mismatch", "visit", store.a.visit_id)] * 3
    assert sv.visit_administrations(store.db, store.a.visit_id) == []


def test_nothing_preselected_and_next_needs_answer(qtbot, win, store):
    to_first_item(qtbot, win, store)
    s = win.current
    assert s.checked_code() is None and s.group.checkedId() == -1
    assert not s.next_button.isEnabled()
    qtbot.keyClick(win, Qt.Key.Key_Return)          # Enter without an answer: nothing happens
    assert win.current is s
    qtbot.mouseClick(s.options[2], Qt.MouseButton.LeftButton)
    assert s.next_button.isEnabled()
    aid = win.controller.run.administration_id
    assert state(store, aid).answers == {s.item_id: int(s.options[2].property("code"))}


def test_answer_saved_before_move_with_paradata(qtbot, win, store, backend):
    to_first_item(qtbot, win, store)
    first = win.current.item_id
    answer_current(qtbot, win, 1, keyboard=False)
    (aid, item, code, ms), = backend.answer_calls
    assert item == first and isinstance(ms, int) and ms >= 0
    assert win.current.item_id != first
    assert state(store, aid).answers == {first: code}
    with store.db.session() as s:                        # the time on the item is stored
        stored = s.query(Answer).filter_by(administration_id=aid, item_id=first).one()
        assert stored.ms_on_item == ms


def test_double_click_next_skips_no_screen_and_saves_once(qtbot, win, store, backend):
    to_first_item(qtbot, win, store)
    s = win.current
    first = s.item_id
    qtbot.mouseClick(s.options[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(s.options[1], Qt.MouseButton.LeftButton)   # double tap on the answer
    qtbot.mouseDClick(s.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(s.next_button, Qt.MouseButton.LeftButton)  # a late tap on the old button
    run = win.controller.run
    assert win.current.item_id == run.next_id(first)             # exactly one step on
    assert [c[1] for c in backend.answer_calls] == [first]       # one save
    st = state(store, run.administration_id)
    assert list(st.answers) == [first] and st.change_counts.get(first, 0) == 0
    assert not win.current.next_button.isEnabled()               # new screen waits for an answer
    qtbot.mouseDClick(win.current.next_button, Qt.MouseButton.LeftButton)
    assert win.current.item_id == run.next_id(first)


def test_back_and_change_is_recorded_as_change(qtbot, win, store):
    to_first_item(qtbot, win, store)
    first = win.current.item_id
    old = answer_current(qtbot, win, 0, keyboard=True)
    qtbot.keyClick(win, Qt.Key.Key_Backspace)
    assert win.current.item_id == first
    assert win.current.checked_code() == old                    # shows the stored answer
    new = answer_current(qtbot, win, 3, keyboard=True)
    aid = win.controller.run.administration_id
    st = state(store, aid)
    assert st.answers[first] == new and st.change_counts == {first: 1}
    changes = [(h.field, h.old_value, h.new_value) for h in sv.audit_history(
        store.db, patient_id=store.a.patient_id) if h.action == "answer.change_before_submit"
        and h.field == "code"]
    assert changes == [("code", str(old), str(new))]


def test_skip_needs_confirm_and_reason(qtbot, win, store):
    to_first_item(qtbot, win, store)
    first = win.current.item_id
    click(qtbot, win, "SkipButton")
    assert win.overlays[-1].objectName() == "SkipConfirm"
    click(qtbot, win, "SkipNo")                                  # "No": stays, nothing stored
    assert win.current.item_id == first and not win.overlays
    click(qtbot, win, "SkipButton")
    click(qtbot, win, "SkipYes")
    assert win.overlays[-1].objectName() == "SkipReason"
    click(qtbot, win, "Reason_dont_understand")
    aid = win.controller.run.administration_id
    assert state(store, aid).skipped == {first: "dont_understand"}
    assert first not in state(store, aid).answers
    assert win.current.item_id != first


def test_branching_c2b_and_g2():
    inst = load_instrument("csc")
    run = InstrumentRun(inst, 1, "BL", visit_kind="baseline")
    assert "C2b" not in run.ids() and "G2" not in run.ids()
    run.answers["C2"] = 1
    assert "C2b" in run.ids()
    run.visit_code, run.visit_kind = "W4", "follow_up"
    assert "G2" in run.ids()
    run.answers["C2"] = 0
    assert "C2b" not in run.ids()


def test_review_shows_every_answer_and_jumps_back(qtbot, win, store):
    """Review lists every question with the answer in the patient's words (no codes, no item
    numbers); a skipped one says so; tapping a row goes back to it (issue 12 item 8)."""
    hand_over(qtbot, win, store.b.visit_id, store.b.birth_year)
    click(qtbot, win, "Lang_en")
    click(qtbot, win, "StartButton")
    # rand36: answer all but skip item q5 and leave nothing else out
    while win.current.objectName() == "ItemScreen":
        if win.current.item_id == "q5":
            click(qtbot, win, "SkipButton")
            click(qtbot, win, "SkipYes")
            click(qtbot, win, "Reason_prefer_not_to_answer")
        else:
            answer_current(qtbot, win, 0, keyboard=True)
    assert win.current.objectName() == "ReviewScreen"
    inst = load_instrument("rand36")
    rows = {w.objectName()[len("Review_"):]: w for w in win.current.findChildren(QPushButton)
            if w.objectName().startswith("Review_")}
    assert sorted(rows) == sorted(inst.item_ids)
    for item in inst.items:
        question, status = rows[item.id].text().split("\n")
        assert question == item.text["en"]
        first = inst.options_for(item).options[0].label["en"]
        assert status == ("Skipped — tap here to answer" if item.id == "q5"
                          else f"Your answer: {first}")
        assert "Question" not in question and not any(ch.isdigit() for ch in status)
    assert find(win, "ReviewIntro").isVisible()
    assert "RAND" not in " ".join(lab.text() for lab in win.current.findChildren(QLabel))
    click(qtbot, win, "Review_q5")
    assert win.current.item_id == "q5"
    answer_current(qtbot, win, 1, keyboard=False)               # Next returns to review
    assert win.current.objectName() == "ReviewScreen"
    assert win.current.findChild(QLabel, "ReviewAllDone") is not None
    click(qtbot, win, "Review_q2")                              # change an answer
    answer_current(qtbot, win, 2, keyboard=False)
    assert win.current.objectName() == "ReviewScreen"
    label = inst.options_for("q2").options[2].label["en"]
    assert find(win, "Review_q2").text().endswith(f"Your answer: {label}")
    aid = win.controller.run.administration_id
    assert state(store, aid).answers["q2"] == inst.options_for("q2").options[2].code


def test_full_battery_with_warning(qtbot, win, store):
    hand_over(qtbot, win, store.a.visit_id, store.a.birth_year)
    click(qtbot, win, "StartButton")
    sf = run_instrument(qtbot, win, "rand36", keyboard=True)
    assert len(sf) == 36
    click(qtbot, win, "SubmitButton")
    assert win.controller.phase == "welcome"
    click(qtbot, win, "StartButton")
    csc = run_instrument(qtbot, win, "csc", keyboard=False,
                         choose=lambda item, k: 1 if item == "A3" else 0)
    assert "C2b" not in csc and "G2" in csc                    # C2 = 0 → C2b not applicable
    click(qtbot, win, "SubmitButton")
    assert win.current.objectName() == "WarningScreen"
    assert find(win, "WarningHeadline").text() == "Please tell the nurse now"
    click(qtbot, win, "WarningDone")
    assert win.current.objectName() == "ThankYouScreen"
    click(qtbot, win, "FinishButton")
    assert win.current.objectName() == "LockedScreen"
    adms = sv.visit_administrations(store.db, store.a.visit_id)
    assert [a.answers for a in adms] == [sf, csc]
    assert [a.status for a in adms] == ["submitted", "submitted"]
    assert sv.remaining_battery(store.db, store.a.visit_id) == ()


@pytest.mark.parametrize("key", ["escape", "ctrl_q", "ctrl_w", "close", "alt_f4"])
def test_patient_cannot_leave(qtbot, win, store, key):
    to_first_item(qtbot, win, store)
    screen = win.current
    if key == "close":
        assert win.close() is False
    elif key == "alt_f4":
        ev = QCloseEvent()
        QGuiApplication.sendEvent(win, ev)
        assert not ev.isAccepted()
    else:
        k, mod = {"escape": (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                  "ctrl_q": (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                  "ctrl_w": (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)}[key]
        qtbot.keyClick(win, k, mod)
        qtbot.keyClick(screen.options[0], k, mod)                # also from a focused button
    assert win.isVisible() and win.current is screen and win.controller.phase == "item"


def test_staff_password_needed_to_pause(qtbot, win, store):
    to_first_item(qtbot, win, store)
    answer_current(qtbot, win, 0, keyboard=True)
    qtbot.mouseClick(win.topbar.staff, Qt.MouseButton.LeftButton)
    find(win, "StaffUser").setText("nurse")
    find(win, "StaffPassword").setText("nope")
    staff_login(qtbot, win)
    assert win.overlays[-1].objectName() == "StaffLogin"
    find(win, "StaffUser").setText("nurse")
    find(win, "StaffPassword").setText(NURSE_PW)
    staff_login(qtbot, win)
    click(qtbot, win, "StaffPause")
    assert win.controller.phase == "locked"
    assert statuses(store, store.a.visit_id) == ["interrupted"]


def test_idle_timeout_destroys_questionnaire_widgets(qtbot, store):
    win = make_window(qtbot, store.backend, idle_ms=1000, countdown_s=0.2)
    try:
        to_first_item(qtbot, win, store)
        answer_current(qtbot, win, 0, keyboard=True)
        aid = win.controller.run.administration_id
        screen = win.current
        kids = screen.findChildren(QWidget)
        assert kids
        qtbot.waitUntil(lambda: win.controller.phase == "locked", timeout=5000)
        qtbot.waitUntil(lambda: not shiboken6.isValid(screen), timeout=2000)
        assert not any(shiboken6.isValid(k) for k in kids)       # destroyed, not hidden
        assert not win.findChildren(QWidget, "ItemScreen")
        assert statuses(store, store.a.visit_id) == ["interrupted"]
        # staff see the resume offer, with the count of answered items
        unlock(qtbot, win)
        offer = find(win, f"Resume_{aid}")
        assert "DEMO-0003" in offer.text() and "1 of 36" in offer.text()
        click(qtbot, win, f"Resume_{aid}")
        confirm_identity(qtbot, win, store.a.birth_year)
        assert win.current.item_id == "q2"                       # first unanswered item
    finally:
        dispose(win)


def test_idle_still_here_keeps_the_page(qtbot, store):
    win = make_window(qtbot, store.backend, idle_ms=1000, countdown_s=30)
    try:
        to_first_item(qtbot, win, store)
        screen = win.current
        qtbot.waitUntil(lambda: bool(win.overlays), timeout=5000)
        assert win.overlays[-1].objectName() == "IdleOverlay"
        click(qtbot, win, "IdleContinue")
        assert win.current is screen and shiboken6.isValid(screen)
    finally:
        dispose(win)


def test_idle_on_staff_screen_locks(qtbot, store):
    win = make_window(qtbot, store.backend, idle_ms=1000)
    try:
        unlock(qtbot, win)
        assert win.controller.phase == "staff"
        qtbot.waitUntil(lambda: win.controller.phase == "locked", timeout=5000)
    finally:
        dispose(win)


def test_contrast_and_sizes():
    for name, (fg, bg) in theme.CONTRAST_PAIRS.items():
        assert theme.contrast(fg, bg) >= 7.0, name
    assert theme.BODY_PT >= 18 and theme.MIN_TARGET_PX >= 48
