"""Font discovery for PDFs: search order, clear errors, glyph coverage and placeholders."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from reports.fonts import PLACEHOLDER, FontNotFoundError, load_fonts
from reports.pdf_kit import Ink

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
needs_system_fonts = pytest.mark.skipif(not (DEJAVU.is_file() and WQY.is_file()),
                                        reason="DejaVu Sans / WenQuanYi Micro Hei not installed")


def test_no_font_anywhere_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("EPRO_CJK_FONT", raising=False)
    monkeypatch.delenv("EPRO_LATIN_FONT", raising=False)
    with pytest.raises(FontNotFoundError) as err:
        load_fonts(tmp_path, cjk_system=(), latin_system=())
    assert "fonts-wqy-microhei" in str(err.value) and "resources/fonts" in str(err.value)
    with pytest.raises(FontNotFoundError):
        load_fonts(tmp_path, cjk_system=(), latin_system=(), require_cjk=False)


@needs_system_fonts
def test_resource_folder_comes_first_and_broken_files_are_skipped(tmp_path):
    (tmp_path / "aaa-broken.ttf").write_bytes(b"not a font at all")
    shutil.copy(DEJAVU, tmp_path / "DejaVuSans.ttf")
    fonts = load_fonts(tmp_path, cjk_system=((Path("/nonexistent.ttc"), 0), (WQY, 0)),
                       latin_system=((DEJAVU, None),))
    assert fonts.latin.path == tmp_path / "DejaVuSans.ttf"
    assert fonts.cjk is not None and fonts.cjk.path == WQY


@needs_system_fonts
def test_env_variable_names_a_cjk_font(tmp_path, monkeypatch):
    monkeypatch.setenv("EPRO_CJK_FONT", str(WQY))
    fonts = load_fonts(tmp_path, cjk_system=(), latin_system=((DEJAVU, None),))
    assert fonts.cjk.path == WQY


@needs_system_fonts
def test_without_cjk_font_chinese_becomes_placeholder_with_warning(tmp_path, monkeypatch):
    monkeypatch.delenv("EPRO_CJK_FONT", raising=False)
    with pytest.raises(FontNotFoundError):
        load_fonts(tmp_path, cjk_system=(), latin_system=((DEJAVU, None),))
    fonts = load_fonts(tmp_path, cjk_system=(), latin_system=((DEJAVU, None),), require_cjk=False)
    ink = Ink(fonts, "en")
    markup = ink.markup("Wei 张伟", "full name")
    assert markup == f"Wei {PLACEHOLDER}{PLACEHOLDER}"
    assert ink.warnings == [f"full name: 2 character(s) not in the embedded fonts (U+4F1F, U+5F20); "
                            f"printed as {PLACEHOLDER}"]


@needs_system_fonts
def test_cjk_font_alone_also_prints_latin(tmp_path, monkeypatch):
    monkeypatch.delenv("EPRO_LATIN_FONT", raising=False)
    fonts = load_fonts(tmp_path, cjk_system=((WQY, 0),), latin_system=())
    assert fonts.latin.path == WQY and fonts.cjk is None
    assert any("CJK font prints Latin" in n for n in fonts.notes)
    from io import BytesIO
    from reports.demo_summary import demo_visit_summary
    from reports.visit_summary import build_visit_summary
    warnings = build_visit_summary(demo_visit_summary("zh_CN"), BytesIO(), fonts=fonts)
    assert any("CJK font prints Latin" in w for w in warnings)


@needs_system_fonts
def test_markup_switches_fonts_per_run_and_escapes():
    fonts = load_fonts()
    markup, missing = fonts.markup("a<b & 张伟>c")
    assert missing == []
    assert markup == f'a&lt;b &amp; <font face="{fonts.cjk.name}">张伟</font>&gt;c'
    assert fonts.missing("ok 张 \U00020000") == (["\U00020000"]
                                                 if fonts.font_for("\U00020000") is None else [])
