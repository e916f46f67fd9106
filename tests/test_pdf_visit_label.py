"""The visit summary names the visit by the protocol's label (en / zh_CN), not by its code;
zh_CN headings print in a bold face."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from pdf_text import pages_text
from nurse_demo import demo_db, demo_template  # noqa: F401 (fixtures)
from pypdf import PdfReader

from reports.fonts import load_fonts
from reports.summary_loader import load_visit_summary
from reports.visit_summary import build_visit_summary

NOW = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)


def _pdf(db, lang: str) -> tuple[object, bytes]:  # noqa: ANN001
    summary = load_visit_summary(db, "DEMO-0001", "W12", lang=lang, now=NOW)
    buf = io.BytesIO()
    build_visit_summary(summary, buf)
    return summary, buf.getvalue()


def test_summary_header_names_the_visit_by_its_label_in_english(demo_db):  # noqa: F811
    summary, data = _pdf(demo_db, "en")
    assert summary.visit_code == "W12" and summary.visit_label == "Week 12"
    pages = pages_text(data)
    for text in pages:                      # the header is on every page
        assert "Visit Week 12" in text
        assert "Visit W12" not in text


def test_summary_header_names_the_visit_by_its_label_in_chinese(demo_db):  # noqa: F811
    summary, data = _pdf(demo_db, "zh_CN")
    assert summary.visit_label == "第12周"
    for text in pages_text(data):
        assert "第12周" in text
        assert "W12 " not in text.split("\n", 3)[0]


def _text_by_font(data: bytes) -> dict[str, str]:
    """Text of every page grouped by the base font it is drawn with."""
    out: dict[str, list[str]] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text, _cm, _tm, font, _size):  # noqa: ANN001, ANN202
            if font is not None and text.strip():
                out.setdefault(str(font["/BaseFont"]).split("+")[-1], []).append(text)
        page.extract_text(visitor_text=visit)
    return {k: "".join(v) for k, v in out.items()}


def test_chinese_headings_print_in_the_bold_cjk_face(demo_db):  # noqa: F811
    _summary, data = _pdf(demo_db, "zh_CN")
    by_font = _text_by_font(data)
    bold = by_font.get("ePRODeskSansSC-Bold", "")
    for heading in ("访视小结", "签名", "原始作答"):          # title, signature, appendix
        assert heading in bold, heading
    assert "第" in bold and "周" in bold       # the visit label (第12周) is bold too; 12 in Latin bold
    assert "ePRODeskSansSC-Regular" in by_font               # body text stays regular
    assert "□" not in "".join(by_font.values())              # no placeholder from the bold face


def test_bold_markup_falls_back_to_the_regular_face_per_character():
    fonts = load_fonts(require_cjk=True)
    cjk = fonts.cjk
    assert cjk is not None and cjk.bold_face is not None
    rare = next(chr(cp) for cp in sorted(cjk.cmap) if 0x4E00 <= cp <= 0x9FFF
                and cp not in cjk.bold_face.cmap)           # a hanzi only the regular face has
    runs, missing = fonts.runs(f"访视 {rare} A", bold=True)
    assert not missing
    face = {ch: f.name for f, chunk in runs for ch in chunk if not ch.isspace()}
    assert face == {"访": cjk.bold_face.name, "视": cjk.bold_face.name, rare: cjk.name,
                    "A": fonts.latin.name}
    assert "".join(chunk for _f, chunk in runs) == f"访视 {rare} A"      # spaces kept
    assert fonts.runs("访视", bold=False)[0] == [(cjk, "访视")]
