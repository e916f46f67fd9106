"""The SF-36 at the kiosk in Chinese (project text, or a site's installed translation), on the
real storage; the administration records the text version shown."""
from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel

from forms.instrument import INSTRUMENT_DIR, load_instrument, localize
from storage import services as sv
from storage_fixtures import staff
from test_kiosk_support import (click, confirm_identity, dispose, find,  # noqa: F401
                                hand_over, kiosk_store, kiosk_template, make_window,
                                run_instrument, unlock)

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _to_rand36_q1(qtbot, win, store) -> None:
    hand_over(qtbot, win, store.a.visit_id, store.a.birth_year)
    assert win.controller.phase == "welcome" and win.controller.battery[0] == "rand36"


def test_sf36_items_and_options_are_shown_in_chinese(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        _to_rand36_q1(qtbot, win, kiosk_store)
        assert find(win, "InstrumentTitle").text() == "健康状况调查问卷（RAND-36）"
        assert not win.current.findChildren(QLabel, "FallbackNotice")   # no "shown in English"
        assert "过去4周里" in find(win, "RecallPeriod").text()
        click(qtbot, win, "StartButton")
        screen = win.current
        assert screen.objectName() == "ItemScreen" and screen.item_id == "q1"
        assert find(win, "ItemText").text() == "总的来说，您觉得您的健康状况是："
        assert [b.text() for b in screen.options] == ["非常好", "很好", "好", "一般", "差"]
        qtbot.mouseClick(screen.options[1], qtbot_left())
        qtbot.waitUntil(lambda: screen.next_button.isEnabled())
        qtbot.mouseClick(screen.next_button, qtbot_left())
        qtbot.waitUntil(lambda: win.current.item_id == "q2")
        assert find(win, "ItemText").text().startswith("与一年以前相比")
        aid = win.controller.run.administration_id
        st = sv.administration_state(kiosk_store.db, aid)
        zh = load_instrument("rand36").text_version("zh_CN")
        assert (st.language, st.text_version, st.text_sha256) == ("zh_CN", zh.version_id,
                                                                 zh.sha256)
        assert st.answers == {"q1": 2}
        run_instrument(qtbot, win, "rand36", keyboard=True)
        assert not win.current.findChildren(QLabel, "CreditLine")   # credits are staff-facing
    finally:
        dispose(win)


def test_an_installed_translation_is_what_the_next_patient_sees(qtbot, kiosk_store):
    doc = json.loads((INSTRUMENT_DIR / "rand36.zh_CN.json").read_text(encoding="utf-8"))
    doc.update(status="validated", validated=True, text_version="site-licensed-1")
    doc["items"]["q1"] = "总体来讲，您的健康状况是："
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    info = sv.install_translation(kiosk_store.db, staff(kiosk_store.db, "admin"), raw, "site.json")
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        _to_rand36_q1(qtbot, win, kiosk_store)
        click(qtbot, win, "StartButton")
        assert find(win, "ItemText").text() == "总体来讲，您的健康状况是："
        st = sv.administration_state(kiosk_store.db, win.controller.run.administration_id)
        assert (st.text_version, st.text_sha256) == ("site-licensed-1", info.sha256)
    finally:
        dispose(win)


def test_a_resumed_questionnaire_keeps_the_text_it_started_with(qtbot, kiosk_store):
    db, a = kiosk_store.db, kiosk_store.a
    nurse = staff(db, "nurse")
    aid = sv.start_administration(db, nurse, visit_id=a.visit_id, instrument_id="rand36",
                                  language="zh_CN", station_id="elsewhere")
    sv.record_answer(db, nurse, aid, "q1", 1)
    sv.mark_interrupted(db, nurse, aid)
    doc = json.loads((INSTRUMENT_DIR / "rand36.zh_CN.json").read_text(encoding="utf-8"))
    doc.update(status="validated", validated=True, text_version="site-licensed-1")
    doc["items"]["q2"] = "跟一年以前比，您觉得自己的健康状况是："
    sv.install_translation(db, staff(db, "admin"),
                           json.dumps(doc, ensure_ascii=False).encode("utf-8"), "site.json")
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        unlock(qtbot, win)
        click(qtbot, win, f"Resume_{aid}")
        confirm_identity(qtbot, win, a.birth_year)
        assert win.current.item_id == "q2"
        assert find(win, "ItemText").text() == localize(load_instrument("rand36"), "zh_CN").text("q2")
    finally:
        dispose(win)


def test_english_notice_only_when_the_language_is_truly_missing(qtbot, kiosk_store, tmp_path):
    for name in ("rand36.json", "csc.json"):          # the shipped files without rand36.zh_CN
        (tmp_path / name).write_bytes((INSTRUMENT_DIR / name).read_bytes())
    kiosk_store.db.instrument_dir = tmp_path
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        _to_rand36_q1(qtbot, win, kiosk_store)
        assert find(win, "FallbackNotice").text() == "本问卷暂无中文版本，现以英文显示。"
        assert find(win, "InstrumentTitle").text() == "RAND 36-Item Health Survey 1.0"
    finally:
        dispose(win)


def qtbot_left():
    from PySide6.QtCore import Qt
    return Qt.MouseButton.LeftButton
