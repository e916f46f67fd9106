"""Register the app's own fonts with Qt so Chinese never shows as empty boxes.

The app ships "ePRO Desk Sans SC" (a Noto Sans CJK SC subset covering every character the app
shows, see ``resources/fonts/README.md``) and DejaVu Sans. The CJK family goes into the font
families of the kiosk and the workstation after the Latin family, so Latin text keeps its face and
Chinese falls through to ours whatever the machine has. Only if the bundled CJK file is missing or
damaged does a system CJK font (WenQuanYi, Noto CJK, YaHei, SimSun) take its place. The bundled
DejaVu Sans is registered only where the system has no DejaVu Sans (a full system copy has more
glyphs than our subset).
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from resources.fonts import (CJK_BOLD_FILE, CJK_FILE, FONT_DIR, LATIN_BOLD_FILE, LATIN_FAMILY,
                            LATIN_FILE)

log = logging.getLogger(__name__)

SYSTEM_CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
    Path("C:/Windows/Fonts/simsun.ttc"),
)

_registered: dict[str, list[str]] = {}


def cjk_font_candidates(font_dir: Path | None = None,
                        system: tuple[Path, ...] | None = None) -> list[Path]:
    """The bundled font first, then fonts a site dropped next to it, then system fonts."""
    font_dir = FONT_DIR if font_dir is None else font_dir
    system = SYSTEM_CJK_FONTS if system is None else system
    bundled = {CJK_FILE, CJK_BOLD_FILE, LATIN_FILE, LATIN_BOLD_FILE}   # bold CJK: PDFs only
    site = sorted(p for p in font_dir.glob("*")
                  if p.suffix.lower() in {".ttf", ".ttc", ".otf"} and p.name not in bundled)
    return [font_dir / CJK_FILE, *site, *(p for p in system if p.is_file())]


def _add_font(path: Path) -> list[str]:
    if not path.is_file():
        return []
    font_id = QFontDatabase.addApplicationFont(str(path))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def register_cjk_font(font_dir: Path | None = None,
                      system: tuple[Path, ...] | None = None) -> list[str]:
    """Add the first usable CJK font to QFontDatabase; return its family names (cached)."""
    if "cjk" in _registered:
        return list(_registered["cjk"])
    for path in cjk_font_candidates(font_dir, system):
        families = _add_font(path)
        if families:
            _registered["cjk"] = families
            log.info("registered CJK font %s", path.name)
            return list(families)
    log.warning("no CJK font found; Chinese text may show as boxes")
    return []


def register_latin_font(font_dir: Path | None = None) -> None:
    """Add the bundled DejaVu Sans (regular, bold) when the system has no DejaVu Sans."""
    font_dir = FONT_DIR if font_dir is None else font_dir
    if "latin" in _registered:
        return
    _registered["latin"] = []
    if LATIN_FAMILY in QFontDatabase.families():
        return
    for name in (LATIN_FILE, LATIN_BOLD_FILE):
        _registered["latin"] += _add_font(font_dir / name)


def ui_font_families() -> list[str]:
    """Families for the application font: a Latin face first, the CJK face as fallback."""
    register_latin_font()
    return [LATIN_FAMILY, *register_cjk_font()]


def apply_app_font() -> QFont:
    """Put the app families into the application font (size and style kept) and return it.

    Every widget then falls back to the bundled CJK face, also one created without a parent and
    styled before it joined a window (its font is resolved against the application font)."""
    font = QFont(QGuiApplication.font())
    font.setFamilies(ui_font_families())
    QGuiApplication.setFont(font)
    return font
