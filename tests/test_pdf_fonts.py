"""Fonts for PDFs: the bundled fonts first, system fonts only as a fallback, clear errors, glyph
coverage and placeholders, CJK parsed only when a document needs it.

No test here depends on the machine's fonts: "system" fonts are copies of the bundled files in a
temporary folder, and conftest takes the real system candidates away for the whole suite.
"""
from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

import reports.fonts as rf
from reports.demo_summary import demo_visit_summary
from reports.fonts import PLACEHOLDER, FontNotFoundError, load_fonts
from reports.pdf_kit import Ink
from reports.visit_summary import build_visit_summary
from resources.fonts import CJK_FILE, FONT_DIR, LATIN_BOLD_FILE, LATIN_FILE

BUNDLED_CJK = FONT_DIR / CJK_FILE
BUNDLED_LATIN = FONT_DIR / LATIN_FILE
BUNDLED_BOLD = FONT_DIR / LATIN_BOLD_FILE


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("EPRO_CJK_FONT", raising=False)
    monkeypatch.delenv("EPRO_LATIN_FONT", raising=False)


@pytest.fixture
def system_dir(tmp_path) -> Path:
    """Stand-ins for system fonts (copies of the bundled files under other names)."""
    d = tmp_path / "system"
    d.mkdir()
    shutil.copy(BUNDLED_CJK, d / "wqy-stand-in.ttf")
    shutil.copy(BUNDLED_LATIN, d / "Sans.ttf")
    return d


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """BaseFont name -> has an embedded font file, for every font of every page."""
    out = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts = [font]
            if "/DescendantFonts" in font:
                fonts = [f.get_object() for f in font["/DescendantFonts"]]
            for f in fonts:
                desc = f.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else {}
                out[str(f["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2",
                                                                   "/FontFile3"))
    return out


def test_bundled_fonts_print_both_languages_without_any_system_font(no_env):
    """The whole summary in en and zh_CN from resources/fonts/ alone, every font embedded."""
    for lang, expected in (("en", {"DejaVuSans", "DejaVuSans-Bold"}),
                           ("zh_CN", {"DejaVuSans", "DejaVuSans-Bold", "ePRODeskSansSC-Regular",
                                      "ePRODeskSansSC-Bold"})):
        fonts = load_fonts(cjk_system=(), latin_system=(), require_cjk=lang == "zh_CN")
        buf = io.BytesIO()
        warnings = build_visit_summary(demo_visit_summary(lang), buf, fonts=fonts)
        assert warnings == []
        found = embedded_fonts(buf.getvalue())
        assert {name.split("+", 1)[1] for name in found} == expected
        assert all(found.values())                      # embedded (subset), no base-14 font
    assert fonts.latin.path == BUNDLED_LATIN and fonts.cjk.path == BUNDLED_CJK


def test_bundled_file_wins_over_system_fonts(no_env, system_dir):
    fonts = load_fonts(cjk_system=((system_dir / "wqy-stand-in.ttf", 0),),
                       latin_system=((system_dir / "Sans.ttf", None),))
    assert fonts.cjk.path == BUNDLED_CJK and fonts.latin.path == BUNDLED_LATIN
    assert fonts.latin.bold != fonts.latin.name        # bundled bold is used for <b>


@pytest.mark.parametrize("damage", ["missing", "corrupt", "truncated"])
def test_system_fonts_are_the_fallback_when_a_bundled_file_is_damaged(no_env, tmp_path,
                                                                      system_dir, damage):
    res = tmp_path / "res"
    res.mkdir()
    if damage == "corrupt":
        (res / CJK_FILE).write_bytes(b"not a font at all")
        (res / LATIN_FILE).write_bytes(b"\x00\x01\x00\x00 garbage")
    elif damage == "truncated":
        (res / CJK_FILE).write_bytes(BUNDLED_CJK.read_bytes()[:4096])
        (res / LATIN_FILE).write_bytes(BUNDLED_LATIN.read_bytes()[:4096])
    fonts = load_fonts(res, cjk_system=((Path("/nonexistent.ttc"), 0),
                                        (system_dir / "wqy-stand-in.ttf", 0)),
                       latin_system=((system_dir / "Sans.ttf", None),))
    assert fonts.cjk.path == system_dir / "wqy-stand-in.ttf"
    assert fonts.latin.path == system_dir / "Sans.ttf"


def test_env_variable_names_a_cjk_font(tmp_path, monkeypatch, system_dir):
    monkeypatch.setenv("EPRO_CJK_FONT", str(system_dir / "wqy-stand-in.ttf"))
    fonts = load_fonts(cjk_system=(), latin_system=())
    assert fonts.cjk.path == system_dir / "wqy-stand-in.ttf"


def test_no_font_anywhere_is_a_clear_error(tmp_path, no_env):
    with pytest.raises(FontNotFoundError) as err:
        load_fonts(tmp_path, cjk_system=(), latin_system=())
    assert "fonts-wqy-microhei" in str(err.value) and "resources/fonts" in str(err.value)
    assert CJK_FILE in str(err.value)                       # names the file to reinstall
    with pytest.raises(FontNotFoundError):
        load_fonts(tmp_path, cjk_system=(), latin_system=(), require_cjk=False)


def test_without_cjk_font_chinese_becomes_placeholder_with_warning(tmp_path, no_env):
    shutil.copy(BUNDLED_LATIN, tmp_path / LATIN_FILE)
    with pytest.raises(FontNotFoundError):
        load_fonts(tmp_path, cjk_system=(), latin_system=())
    fonts = load_fonts(tmp_path, cjk_system=(), latin_system=(), require_cjk=False)
    ink = Ink(fonts, "en")
    markup = ink.markup("Wei 张伟", "full name")
    assert markup == f"Wei {PLACEHOLDER}{PLACEHOLDER}"
    assert ink.warnings == ["full name: 2 character(s) not in the embedded fonts "
                            f"(U+4F1F, U+5F20); printed as {PLACEHOLDER}"]
    assert any("no bold Latin font" in n for n in fonts.notes)


def test_cjk_font_alone_also_prints_latin(tmp_path, no_env, system_dir):
    fonts = load_fonts(tmp_path, cjk_system=((system_dir / "wqy-stand-in.ttf", 0),),
                       latin_system=())
    assert fonts.latin.path == system_dir / "wqy-stand-in.ttf" and fonts.cjk is None
    assert any("CJK font prints Latin" in n for n in fonts.notes)
    warnings = build_visit_summary(demo_visit_summary("zh_CN"), io.BytesIO(), fonts=fonts)
    assert any("CJK font prints Latin" in w for w in warnings)


def _copy_bundled(dest: Path) -> Path:
    dest.mkdir()
    for f in (BUNDLED_CJK, BUNDLED_LATIN, BUNDLED_BOLD):
        shutil.copy(f, dest / f.name)
    return dest


def test_english_pdf_never_parses_the_cjk_font(tmp_path, no_env, monkeypatch):
    res = _copy_bundled(tmp_path / "res")            # a fresh folder: nothing cached yet
    parsed: list[str] = []
    real = rf._load_ttf
    monkeypatch.setattr(rf, "_load_ttf", lambda name, ff: (parsed.append(ff.path.name),
                                                           real(name, ff))[1])
    fonts = load_fonts(res, cjk_system=(), latin_system=(), require_cjk=False)
    warnings = build_visit_summary(demo_visit_summary("en"), io.BytesIO(), fonts=fonts)
    assert warnings == [] and CJK_FILE not in parsed and fonts.cjk is None
    # an English summary with a Chinese name loads it on first need and prints the name
    s = replace(demo_visit_summary("en"), full_name="张伟", show_full_name=True)
    buf = io.BytesIO()
    assert build_visit_summary(s, buf, fonts=fonts) == []
    assert parsed.count(CJK_FILE) == 1 and fonts.cjk.path == res / CJK_FILE
    assert "张伟" in "".join(p.extract_text() for p in PdfReader(buf).pages)


def test_zh_cn_pdf_loads_the_cjk_font_up_front(tmp_path, no_env):
    res = _copy_bundled(tmp_path / "res")
    fonts = load_fonts(res, cjk_system=(), latin_system=())
    assert fonts.cjk is not None and fonts.cjk_loader is None


def test_markup_switches_fonts_per_run_and_escapes(no_env):
    fonts = load_fonts()
    markup, missing = fonts.markup("a<b & 张伟>c")
    assert missing == []
    assert markup == f'a&lt;b &amp; <font face="{fonts.cjk.name}">张伟</font>&gt;c'
    assert fonts.missing("ok 张 \U00020000") == ["\U00020000"]   # CJK Ext-B is not in the subset
