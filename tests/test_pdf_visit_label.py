"""The visit summary names the visit by the protocol's label (en / zh_CN), not by its code;
zh_CN headings print in a bold face."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from pdf_text import pages_text
from nurse_demo import demo_db, demo_template  # noqa: F401 (fixtures)

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
