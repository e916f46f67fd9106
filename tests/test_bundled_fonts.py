"""The fonts in resources/fonts/: every character the app can show or print is in them, they
are TrueType (embeddable by ReportLab), small, named as we register them, and licensed.

Read with ReportLab's own TrueType parser (fontTools is a build-time tool only)."""
from __future__ import annotations

import struct

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from resources.fonts import CJK_FAMILY, FONT_DIR
from resources.fonts import coverage

REBUILD = "add them: run resources/fonts/build_subset.py (see resources/fonts/README.md)"


@pytest.fixture(scope="module")
def cmaps() -> dict[str, frozenset[int]]:
    return {name: frozenset(TTFont(f"t-{name}", str(path)).face.charToGlyph)
            for name, path in (("cjk", coverage.CJK_FONT), ("latin", coverage.LATIN_FONT),
                               ("bold", coverage.LATIN_BOLD_FONT))}


def _names(chars) -> str:
    return " ".join(f"{c} U+{ord(c):04X}" for c in sorted(chars))


def test_the_sources_include_every_place_chinese_text_lives():
    files = {p.relative_to(coverage.ROOT).as_posix() for p in coverage.source_files()}
    assert {"resources/translations/epro_zh_CN.ts", "resources/translations/epro_nurse_zh_CN.ts",
            "resources/instruments/csc.json", "reports/i18n.py", "ui/i18n.py"} <= files
    assert any(f.startswith("resources/instruments/") and f.endswith(".json") for f in files)
    used = coverage.used_chars()
    assert "访" in used and "视" in used             # PDF title 访视小结 (reports/i18n.py)
    assert sum(map(coverage.is_cjk, used)) > 300


def test_every_character_the_app_shows_is_in_the_bundled_fonts(cmaps):
    used = coverage.used_chars()
    wide = {c for c in used if coverage.is_cjk(c)}
    missing_cjk = {c for c in wide if ord(c) not in cmaps["cjk"]}
    assert not missing_cjk, f"not in {coverage.CJK_FONT.name}: {_names(missing_cjk)}; {REBUILD}"
    narrow = used - wide
    missing = {c for c in narrow if ord(c) not in cmaps["latin"] | cmaps["cjk"]}
    assert not missing, f"in no bundled font: {_names(missing)}; {REBUILD}"
    assert {c for c in narrow if ord(c) in cmaps["latin"]} <= {chr(cp) for cp in cmaps["bold"]}


def test_margin_covers_common_hanzi_punctuation_and_full_width_forms(cmaps):
    level1 = coverage.gb2312_chars(16, 55)
    assert len(level1) == 3755
    assert not [c for c in level1 if ord(c) not in cmaps["cjk"]]
    for ch in "疸疝瘙痉胰胱脘腱":                              # medical words beyond level 1
        assert ord(ch) in cmaps["cjk"], f"U+{ord(ch):04X}"
    for ch in "，。、；：？！“”‘’（）《》【】—…·％／０９ＡＺ　":
        assert ord(ch) in cmaps["cjk"], f"U+{ord(ch):04X}"
    for ch in "▲▼□×±≤≥→⁹µ°–—“”…ǎǐǒǔǚüÄéß":          # PDF marks, units, pinyin, names
        assert ord(ch) in cmaps["latin"] and ord(ch) in cmaps["bold"], f"U+{ord(ch):04X}"


def test_fonts_are_truetype_named_small_and_licensed():
    cjk = TTFont("t-cjk-name", str(coverage.CJK_FONT))     # ReportLab refuses CFF outlines
    assert cjk.face.familyName == CJK_FAMILY.encode()
    assert coverage.CJK_FONT.stat().st_size < 3_000_000
    for f in (coverage.LATIN_FONT, coverage.LATIN_BOLD_FONT):
        assert f.stat().st_size < 600_000
    ofl = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Adobe" in ofl
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    readme = (FONT_DIR / "README.md").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in readme and "2.004" in readme and "build_subset.py" in readme


def _line_box(path) -> tuple[float, float]:
    """hhea ascender / descender as a share of the em (what Qt lays lines out with)."""
    f = TTFontFile(str(path))
    ascender, descender = struct.unpack(">hh", f.get_table("hhea")[4:8])
    (units_per_em,) = struct.unpack(">H", f.get_table("head")[18:20])
    return ascender / units_per_em, descender / units_per_em


def test_chinese_lines_are_as_tall_as_latin_lines():
    """Same ascent/descent share of the em as DejaVu Sans, so a Chinese line in Qt is not taller
    than a Latin one (layouts are sized for it)."""
    cjk, latin = _line_box(coverage.CJK_FONT), _line_box(coverage.LATIN_FONT)
    assert cjk == pytest.approx(latin, abs=0.002)


def test_bold_cjk_subset_covers_the_pdf_texts_and_stays_small():
    """The bold CJK face (PDF headings and labels) has every wide character of the PDF-side
    sources, is TrueType, named as the family's Bold, and small (no GB2312 margin)."""
    bold = TTFont("t-cjk-bold", str(coverage.CJK_BOLD_FONT))
    assert bold.face.familyName == CJK_FAMILY.encode()
    assert bold.face.name == b"ePRODeskSansSC-Bold"
    assert coverage.CJK_BOLD_FONT.stat().st_size < 600_000
    cmap = frozenset(bold.face.charToGlyph)
    wide = {c for c in coverage.used_chars(coverage.ROOT, coverage.BOLD_TEXT_SOURCES)
            if coverage.is_cjk(c)}
    assert len(wide) > 300
    # a bold character the subset lacks prints in the regular face (reports/fonts.py), so new
    # PDF text does not fail here at once; once a few percent of it is regular, rebuild
    missing = {c for c in wide if ord(c) not in cmap}
    assert len(missing) <= 0.03 * len(wide), \
        f"not in {coverage.CJK_BOLD_FONT.name}: {_names(missing)}; {REBUILD}"
    for ch in "访视小结警示缺失数据签名第周提前终止":
        assert ord(ch) in cmap, f"U+{ord(ch):04X}"
    assert _line_box(coverage.CJK_BOLD_FONT) == pytest.approx(_line_box(coverage.LATIN_FONT),
                                                              abs=0.002)
