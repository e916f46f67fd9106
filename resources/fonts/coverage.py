"""Which characters the bundled fonts must cover (standard library only).

Used by ``build_subset.py`` (what goes into the subset) and by the tests (every character the app
can show or print is in the shipped fonts). The app's text lives in the Qt translations, the
instrument files, the study protocol files, the PDF labels and a few Python literals (demo data,
language names), so every one of those files is a source.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from resources.fonts import (CJK_BOLD_FILE, CJK_FAMILY, CJK_FILE, FONT_DIR,  # noqa: F401
                            LATIN_BOLD_FILE, LATIN_FILE)

ROOT = FONT_DIR.parents[1]
CJK_FONT = FONT_DIR / CJK_FILE
CJK_BOLD_FONT = FONT_DIR / CJK_BOLD_FILE
LATIN_FONT = FONT_DIR / LATIN_FILE
LATIN_BOLD_FONT = FONT_DIR / LATIN_BOLD_FILE

# glob patterns relative to the project root; a pattern matching nothing is fine (optional data)
TEXT_SOURCES = (
    "resources/translations/*.ts",
    "resources/instruments/**/*.json",
    "resources/studies/**/*.json",
    "resources/studies/**/*.toml",
    "resources/studies/**/*.yaml",
    "resources/studies/**/*.md",
    "forms/**/*.py",
    "storage/**/*.py",
    "reports/**/*.py",
    "ui/**/*.py",
    "main.py",
)

# What PDFs print in bold (headings, table heads, labels, arm and visit names, instrument and
# score names): the bold CJK subset covers these sources only, to stay small; any other character
# in bold prints in the regular face (reports/fonts.py picks per character)
BOLD_TEXT_SOURCES = (
    "reports/**/*.py",
    "forms/**/*.py",
    "resources/instruments/**/*.json",
    "resources/studies/**/*.json",
)
BOLD_MARGIN_RANGES = (
    (0x3000, 0x303F),   # CJK symbols and punctuation
    (0xFF00, 0xFFEF),   # half-width and full-width forms
)

# Margin so new text rarely misses: whole blocks / code point ranges (inclusive)
CJK_MARGIN_RANGES = (
    (0x3000, 0x303F),   # CJK symbols and punctuation
    (0xFF00, 0xFFEF),   # half-width and full-width forms
    (0x2000, 0x206F),   # general punctuation (“ ” ‘ ’ … — ‧)
    (0x0020, 0x007E),   # ASCII: the CJK font alone can still print Latin
    (0x00A0, 0x00FF),   # Latin-1
)
# Medical margin: the GB2312 level-2 hanzi with the sickness radical 疒 (疸 疝 痉 瘙 ...) or the
# flesh radical 肉/月 (胰 胱 脘 腱 ...): Unicode orders hanzi by radical, so each is one range
MEDICAL_RADICAL_RANGES = ((0x7592, 0x7669), (0x8089, 0x81FF))
# Latin font: everything a Latin-script name, a unit or a PDF mark may need
LATIN_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x024F),   # Latin, Latin-1, Extended-A/B (pinyin tones)
    (0x0250, 0x036F),                     # IPA, spacing modifiers, combining marks
    (0x0370, 0x03FF), (0x0400, 0x04FF),   # Greek (µ), Cyrillic
    (0x1E00, 0x1EFF),                     # Latin Extended Additional (Vietnamese)
    (0x2000, 0x2BFF),   # punctuation, super/subscripts (⁹), currency, letterlike, arrows,
                        # maths (≤ ≥), technical, box drawing, shapes (▲ ▼ □), dingbats
    (0xFB00, 0xFB06), (0xFFFD, 0xFFFD),
)


def gb2312_chars(first_row: int, last_row: int) -> str:
    """Characters of GB2312 rows ``first_row..last_row`` (16-55 = level-1 hanzi, 3 755;
    1-9 = symbols, full-width forms, kana, Greek, Cyrillic, pinyin, bopomofo, box drawing)."""
    out = []
    for row in range(first_row, last_row + 1):
        for cell in range(1, 95):
            try:
                out.append(bytes((0xA0 + row, 0xA0 + cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


def source_files(root: Path = ROOT, patterns: tuple[str, ...] = TEXT_SOURCES) -> list[Path]:
    seen: dict[Path, None] = {}
    for pattern in patterns:
        for p in sorted(root.glob(pattern)):
            if p.is_file() and "__pycache__" not in p.parts:
                seen[p] = None
    return list(seen)


def used_chars(root: Path = ROOT, patterns: tuple[str, ...] = TEXT_SOURCES) -> set[str]:
    """Every non-ASCII, printable character in the app's text sources (or ``patterns``)."""
    chars: set[str] = set()
    for p in source_files(root, patterns):
        chars.update(p.read_text(encoding="utf-8", errors="replace"))
    return {c for c in chars if ord(c) > 0x7E and is_printable(c)}


def is_printable(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return not (ch.isspace() or cat.startswith("C") or cat in ("Zl", "Zp")) and ch != "\ufffd"


def is_cjk(ch: str) -> bool:
    """Wide / full-width characters: only the CJK font can print them."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def cjk_wanted(root: Path = ROOT) -> set[int]:
    """Code points the CJK subset is built from (the source font keeps what it has)."""
    wanted = {ord(c) for c in used_chars(root)}
    wanted |= {ord(c) for c in gb2312_chars(1, 9) + gb2312_chars(16, 55)}
    wanted |= {ord(c) for c in gb2312_chars(56, 87)
               if any(lo <= ord(c) <= hi for lo, hi in MEDICAL_RADICAL_RANGES)}
    for lo, hi in CJK_MARGIN_RANGES:
        wanted |= set(range(lo, hi + 1))
    return wanted


def latin_wanted(root: Path = ROOT) -> set[int]:
    wanted = {ord(c) for c in used_chars(root) if not is_cjk(c)}
    for lo, hi in LATIN_RANGES:
        wanted |= set(range(lo, hi + 1))
    return wanted


def cjk_bold_wanted(root: Path = ROOT) -> set[int]:
    """Code points of the bold CJK subset: the wide characters of the PDF-side text sources."""
    wanted = {ord(c) for c in used_chars(root, BOLD_TEXT_SOURCES) if is_cjk(c)}
    for lo, hi in BOLD_MARGIN_RANGES:
        wanted |= set(range(lo, hi + 1))
    return wanted
