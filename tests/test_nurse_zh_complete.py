"""Every staff screen and dialog in zh_CN (issue 14 item 8), on a real demo database: no
untranslated text (Latin words in visible labels, buttons, tabs, headers, combos, titles, except
allowed tokens: instrument and score names, units, lab names, subject ids, visit codes, user
names) and no visible internal code (``resign_required``, ``answer.correct``, ``baseline``, arm
ids, snake_case or dotted codes) anywhere on screen, data cells included."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QWidget

from nurse_demo import (backend_for, demo_db, demo_template, login,  # noqa: F401
                        open_visit, reviewable_visit)
from storage import services as sv
from storage.demo import DEMO_ACCOUNTS
from ui import i18n
from ui.nurse.main_window import NurseMainWindow
from zh_walk import visible_texts

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                       "This plugin does not support raise")

#: Latin words a Chinese screen may show: names of instruments, scores and scales, lab names
#: and units, export formats, time zone, and the app's name
ALLOWED = {
    "ePRO", "Desk", "SF-36", "RAND-36", "RAND", "SF", "v1", "MELD", "MELD-Na", "Na", "INR", "PCS",
    "MCS", "RSS", "TSB", "NMOD", "CSC", "T", "PF", "RP", "BP", "GH", "VT", "RE", "MH", "HT",
    "AFP", "ALT", "AST", "HCC", "HBV", "CVVHD", "West", "Haven", "UTC", "PDF", "CSV", "REDCap",
    "ODM", "FHIR", "SDTM", "QS", "XML", "JSON", "CDISC", "R4", "SAS", "R", "ID", "PIN", "OK",
    "mg", "dL", "umol", "µmol", "mmol", "L", "g", "ng", "mL", "U", "cm", "mm", "min", "s",
    "sha256", "Child-Pugh", "Child", "Pugh", "Ware", "vs", "MID", "Define-XML",
    "YYYY-MM-DD",                                   # the date format hint of a date field
}
VISIT_CODE = re.compile(r"^(SCR|BL|D\d+|W\d+|ET|UNS)$")
SUBJECT = re.compile(r"^[A-Z]+\d*-\d+$")
WORD = re.compile(r"[A-Za-zµ][A-Za-z0-9µ\-]*")
#: internal codes that must never be visible
CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+\.[a-z_]+\b|\bbaseline\b")
#: widgets whose text is data (instrument wording, names, free-text reasons): only the code check
DATA_WIDGETS = {"review_answers", "review_history", "audit_table", "user_label",
                "review_signature", "patient_header", "visit_context", "pdf_view"}


def _latin_words(text: str, data_words: set[str]) -> list[str]:
    bad = []
    for w in WORD.findall(text):
        w = w.strip("-")
        if not w or w in ALLOWED or w in data_words or VISIT_CODE.match(w) or SUBJECT.match(w):
            continue
        if re.fullmatch(r"[A-Z]{1,3}\d*", w):          # initials, item numbers (C1, q3)
            continue
        bad.append(w)
    return bad


def problems(root: QWidget, data_words: set[str], arm_ids: set[str]) -> list[str]:
    out = []
    for name, kind, text in visible_texts(root):
        codes = [c for c in CODE.findall(text)] + [a for a in arm_ids
                                                   if re.search(rf"\b{a}\b", text)]
        if codes:
            out.append(f"{name}/{kind}: code {codes} in {text[:80]!r}")
        if name in DATA_WIDGETS or kind.startswith("cell"):
            continue
        bad = _latin_words(text, data_words)
        if bad:
            out.append(f"{name}/{kind}: untranslated {bad} in {text[:80]!r}")
    return out


@pytest.fixture
def zh():
    i18n.set_language("zh_CN")
    i18n.install_staff_translators("zh_CN")
    yield
    i18n.set_language("en")
    i18n.install_staff_translators("en")


def test_every_staff_screen_and_dialog_in_zh_cn(qtbot, demo_db, zh):
    # data, not interface text: demo account names and passwords (the demo login lists them),
    # the protocol's id and registered title, an example station id
    names = {w for _r, (pw, full) in DEMO_ACCOUNTS.items() for w in (*full.split(), pw)}
    names |= {u for u in DEMO_ACCOUNTS}
    proto = sv.current_protocol(demo_db)
    names |= {w for text in (proto.protocol_id, *proto.title.values()) if text
              for w in WORD.findall(text)}
    names.add("kiosk-ward3")
    arm_ids = set(sv.study_arms(demo_db))
    found: dict[str, list[str]] = {}
    seen: set[str] = set()

    def check(label: str, widget: QWidget) -> None:
        got = [g for g in dict.fromkeys(problems(widget, names, arm_ids)) if g not in seen]
        seen.update(got)
        if got:
            found[label] = got

    target = reviewable_visit(demo_db, "q1")
    win = NurseMainWindow(backend_for(demo_db), demo=True)
    qtbot.addWidget(win)
    win.show()
    check("login", win)
    login(qtbot, win, "investigator")
    check("today + list", win)
    w = open_visit(qtbot, win, target)
    for tab in range(w.tabs.count()):
        w.tabs.setCurrentIndex(tab)
        check(f"tab {w.tabs.tabText(tab)}", win)
    w.tabs.setCurrentWidget(w.review)
    w.review.select_item("q1")
    check("review + history", win)

    adm, ans = w.review.selected()
    dlg = win.open_correct(adm, ans)
    check("correct dialog", dlg)
    dlg.reject()
    sdlg = win.open_sign()
    check("sign dialog", sdlg)
    sdlg.reject()
    edlg = win.open_enrol()
    check("enrol dialog", edlg)
    edlg.reject()
    xdlg = win.open_export()
    check("export dialog", xdlg)
    xdlg.reject()
    adlg = win.patient_actions.open_arm_correction()
    check("arm correction dialog", adlg)
    adlg.reject()
    vdlg = win.patient_actions.open_add_visit()
    check("add visit dialog", vdlg)
    vdlg.reject()
    pdlg = win.password_changer.open(win.actor)
    check("password dialog", pdlg)
    pdlg.reject()
    win.session_guard.show_warning()
    check("idle warning", win.session_guard.warning_dialog)
    win.session_guard.hide_warning()
    if sv.clinical_assessment(demo_db, target.visit_id):
        w.clinical.lab_edits["sodium"].setText("127")
        w.clinical.save_button.click()
        qtbot.waitUntil(lambda: getattr(win, "clinical_reason_dialog", None) is not None)
        check("change reason dialog", win.clinical_reason_dialog)
        win.clinical_reason_dialog.reject()
    with qtbot.waitSignal(win.summary_actions.preview_ready, timeout=30000) as got:
        win.summary_actions.preview_visit_id(win.patient_id, win.visit_id)
    check("preview", got.args[0])
    assert win.summary_actions.lang == "zh_CN"
    got.args[0].reject()
    win.logout("user")
    check("logged out", win)
    login(qtbot, win, "admin")
    check("admin", win)
    for tabs in win.work.findChildren(type(w.tabs)):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            check(f"admin tab {tabs.tabText(i)}", win)
    report = "\n".join(f"[{k}]\n  " + "\n  ".join(v) for k, v in found.items())
    assert not found, "untranslated text or internal codes in zh_CN:\n" + report
