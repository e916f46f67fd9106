"""zh_CN translation of the nurse screens: compiled, installed, used by the widgets."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import QCoreApplication

from resources.translations import build
from ui.nurse.translations import QM_DIR, install_nurse_translator


def test_every_message_translated():
    root = ET.parse(QM_DIR / "epro_nurse_zh_CN.ts").getroot()
    msgs = list(root.iter("message"))
    assert len(msgs) > 200
    untranslated = [m.find("source").text for m in msgs
                    if not (m.find("translation").text or "").strip()
                    or m.find("translation").get("type") in ("unfinished", "obsolete")]
    assert untranslated == []


def test_translator_changes_widgets(qtbot):
    assert build.main() == 0
    tr = install_nurse_translator("zh_CN")
    assert tr is not None
    try:
        from ui.nurse.login import LoginWidget
        w = LoginWidget(lambda u, p: None)
        qtbot.addWidget(w)
        assert w.login_button.text() == "登录"
        assert QCoreApplication.translate("PatientTable", "Subject") == "受试者"
        assert QCoreApplication.translate("Trends", "population mean 50") == "人群均值 50"
    finally:
        QCoreApplication.instance().removeTranslator(tr)
    assert install_nurse_translator("en") is None
