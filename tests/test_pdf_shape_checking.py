"""ReportLab's per-attribute shape checks are off for summary builds (speed) and that changes
nothing in the PDF."""
from __future__ import annotations

import io

from reportlab import rl_config

from reports.demo_summary import demo_visit_summary
from reports.fonts import load_fonts
from reports.visit_summary import build_visit_summary


def _build(lang: str) -> bytes:
    out = io.BytesIO()
    build_visit_summary(demo_visit_summary(lang), out)
    return out.getvalue()


def test_summary_builds_without_shape_checks_and_bytes_are_unchanged(monkeypatch):
    import reports.pdf_charts  # noqa: F401  (the setting is made where the charts are drawn)
    assert rl_config.shapeChecking == 0
    load_fonts()
    monkeypatch.setattr(rl_config, "invariant", 1)      # no dates or random ids in the file
    fast = {lang: _build(lang) for lang in ("en", "zh_CN")}
    monkeypatch.setattr(rl_config, "shapeChecking", 1)
    for lang, data in fast.items():
        assert data == _build(lang), lang
