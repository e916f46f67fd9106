"""Register a CJK TrueType font with Qt so Chinese renders on a PC without Chinese system fonts.

Lookup order (the same the PDF reports use): any .ttf/.ttc/.otf shipped in ``resources/fonts/``,
then the WenQuanYi Micro Hei system font (Debian/Ubuntu package ``fonts-wqy-microhei``), then a
few other common CJK system fonts. The first file Qt accepts wins.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SYSTEM_CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
    Path("C:/Windows/Fonts/simsun.ttc"),
)
LATIN_FAMILY = "DejaVu Sans"

_registered: list[str] = []


def cjk_font_candidates() -> list[Path]:
    shipped = sorted(p for p in FONT_DIR.glob("*") if p.suffix.lower() in {".ttf", ".ttc", ".otf"})
    return shipped + [p for p in SYSTEM_CJK_FONTS if p.is_file()]


def register_cjk_font() -> list[str]:
    """Add the first usable CJK font to QFontDatabase; return its family names (cached)."""
    from PySide6.QtGui import QFontDatabase

    if _registered:
        return list(_registered)
    for path in cjk_font_candidates():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families:
            _registered.extend(families)
            log.info("registered CJK font %s", path.name)
            return list(_registered)
    log.warning("no CJK font found; Chinese text may show as boxes")
    return []


def ui_font_families() -> list[str]:
    """Families for the application font: a Latin face first, the CJK face as fallback."""
    return [LATIN_FAMILY, *register_cjk_font()]
