"""Qt uses the bundled CJK font: Chinese in the kiosk and the workstation is drawn with
"ePRO Desk Sans SC" from resources/fonts/, whatever CJK fonts the machine has (this one may have
WenQuanYi or Noto CJK installed: the glyphs must still come from ours)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from resources.fonts import CJK_FAMILY, CJK_FILE, FONT_DIR, LATIN_FAMILY
from resources.fonts.coverage import is_cjk
from storage.db import open_database
from test_kiosk_support import dispose, make_window
from ui import fonts as ui_fonts
from ui.kiosk.backend import StorageKioskBackend

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
ROOT = Path(__file__).resolve().parent.parent
NO_FONTS_PROBE = """
import json
from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication
app = QApplication([])
system = QFontDatabase.families()
from ui.fonts import apply_app_font
font = apply_app_font()
def families(text, f):
    layout = QTextLayout(text, f)
    layout.beginLayout()
    layout.createLine().setLineWidth(100000)
    layout.endLayout()
    return sorted({run.rawFont().familyName() for run in layout.glyphRuns()})
bold = QFont(font)
bold.setBold(True)
layout = QTextLayout("Next", bold)
layout.beginLayout()
layout.createLine().setLineWidth(100000)
layout.endLayout()
print(json.dumps({"system": system, "zh": families("您好，请开始答题", font),
                  "latin": families("Visit W12", font), "bold": families("Next", bold),
                  "bold_weight": layout.glyphRuns()[0].rawFont().weight()}))
"""


def glyph_families(text: str, font: QFont) -> set[str]:
    """Families of the fonts Qt actually draws ``text`` with (after its font fallback)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def cjk_labels(root: QWidget) -> list[QLabel]:
    return [lb for lb in root.findChildren(QLabel)
            if lb.isVisible() and any(is_cjk(c) for c in lb.text())]


def assert_drawn_with_bundled_font(labels: list[QLabel]) -> None:
    assert labels, "no Chinese label on screen"
    for lb in labels:
        chinese = "".join(c for c in lb.text() if is_cjk(c))
        assert glyph_families(chinese, lb.font()) == {CJK_FAMILY}, lb.text()


def test_app_families_put_the_bundled_cjk_font_after_the_latin_face(qapp):
    assert ui_fonts.ui_font_families() == [LATIN_FAMILY, CJK_FAMILY]
    assert CJK_FAMILY in QFontDatabase.families()
    font = QFont()
    font.setFamilies(ui_fonts.ui_font_families())
    assert glyph_families("您好，请开始", font) == {CJK_FAMILY}
    assert glyph_families("Hello", font) == {LATIN_FAMILY}


def test_candidates_start_with_the_bundled_file_then_system(tmp_path):
    system = tmp_path / "wqy.ttc"
    system.write_bytes(b"x")
    (tmp_path / "site.ttf").write_bytes(b"x")
    got = ui_fonts.cjk_font_candidates(FONT_DIR, (system, tmp_path / "absent.ttc"))
    assert got[0] == FONT_DIR / CJK_FILE and got[-1] == system
    assert all(p.name not in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") for p in got)
    assert ui_fonts.cjk_font_candidates(tmp_path, (system,))[0] == tmp_path / CJK_FILE


def test_a_damaged_bundled_file_falls_back_to_the_next_candidate(qapp, tmp_path, monkeypatch):
    (tmp_path / CJK_FILE).write_bytes(b"not a font")
    monkeypatch.setattr(ui_fonts, "_registered", {})
    assert ui_fonts.register_cjk_font(tmp_path, (FONT_DIR / CJK_FILE,)) == [CJK_FAMILY]
    monkeypatch.setattr(ui_fonts, "_registered", {})
    assert ui_fonts.register_cjk_font(tmp_path, ()) == []     # nothing usable: a warning, no crash


@pytest.mark.parametrize("system_has_dejavu", [True, False])
def test_bundled_dejavu_is_added_only_where_the_system_lacks_it(qapp, monkeypatch,
                                                                system_has_dejavu):
    added: list[str] = []
    monkeypatch.setattr(ui_fonts, "_registered", {"cjk": [CJK_FAMILY]})
    monkeypatch.setattr(ui_fonts, "_add_font", lambda path: added.append(path.name) or [])
    monkeypatch.setattr(ui_fonts.QFontDatabase, "families",
                        staticmethod(lambda *a: [LATIN_FAMILY] if system_has_dejavu else []))
    assert ui_fonts.ui_font_families() == [LATIN_FAMILY, CJK_FAMILY]
    assert added == ([] if system_has_dejavu else ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])


@pytest.fixture
def kiosk_backend(tmp_path):
    """The real storage backend on a fresh SQLite file (the locked screen needs no patient)."""
    db = open_database(f"sqlite:///{tmp_path / 'kiosk.db'}")
    yield StorageKioskBackend(db, station="fonts-test")
    db.dispose()


def test_kiosk_in_chinese_draws_with_the_bundled_font(qtbot, kiosk_backend):
    win = make_window(qtbot, kiosk_backend, lang="zh_CN")
    try:
        qtbot.waitUntil(lambda: bool(cjk_labels(win)), timeout=5000)
        assert CJK_FAMILY in win.font().families()
        assert_drawn_with_bundled_font(cjk_labels(win))
    finally:
        dispose(win)


def test_workstation_in_chinese_draws_with_the_bundled_font(qtbot, tmp_path):
    from ui import i18n
    from ui.launcher import Launcher
    app = QApplication.instance()
    saved = QFont(app.font())
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_database(url, create=True).dispose()     # as `epro init` leaves it: the wizard follows
    args = argparse.Namespace(database=url, demo=False, lang="zh_CN", kiosk=False, verbose=False)
    launcher = Launcher(args, kiosk_fullscreen=False)
    try:
        with qtbot.waitSignal(launcher.wizard_shown, timeout=20000) as shown:
            launcher.start()
        wiz = shown.args[0]
        assert CJK_FAMILY in app.font().families()
        qtbot.waitUntil(lambda: bool(cjk_labels(wiz)), timeout=5000)
        assert_drawn_with_bundled_font(cjk_labels(wiz))
    finally:
        launcher.dispose()                       # waits for its tasks, closes the database
        if launcher.wizard is not None:
            launcher.wizard.deleteLater()
        app.setFont(saved)
        i18n.set_language("en")
        i18n.install_staff_translators("en")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig")
def test_a_machine_without_any_font_still_draws_chinese_and_latin(tmp_path):
    """fontconfig sees an empty font folder: only the bundled files can draw anything."""
    (tmp_path / "empty").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{tmp_path / 'empty'}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>
""", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", NO_FONTS_PROBE], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert not {LATIN_FAMILY, CJK_FAMILY, "WenQuanYi Micro Hei"} & set(got["system"])
    assert got["zh"] == [CJK_FAMILY]
    assert got["latin"] == [LATIN_FAMILY] and got["bold"] == [LATIN_FAMILY]
    assert got["bold_weight"] >= 600                    # the bundled bold file, not synthesised
