"""The visit summary as a reader sees it (follow-ups of issues 14/15): the site of a subject
stored without one, visit labels on the trend axes, the CSC items by their short labels, and no
internal code on the page — read back from the PDF text (pypdf), en and zh_CN, on a real demo
database."""
from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from nurse_demo import demo_template  # noqa: F401 (fixture)
from pdf_text import pages_text

from forms.registry import instrument_name, item_label
from reports.demo_summary import demo_visit_summary
from reports.i18n import tr_opt
from reports.summary_loader import load_visit_summary
from reports.summary_model import Alert
from reports.visit_summary import build_visit_summary
from storage.db import open_database

NOW = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def pdfs(demo_template: Path, tmp_path_factory) -> dict[str, tuple[object, list[str]]]:  # noqa: F811
    path = tmp_path_factory.mktemp("reader_view") / "demo.db"
    shutil.copyfile(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    out = {}
    try:
        for lang in ("en", "zh_CN"):
            summary = load_visit_summary(db, "DEMO-0001", "W12", lang=lang, now=NOW)
            buf = io.BytesIO()
            build_visit_summary(summary, buf)
            out[lang] = (summary, pages_text(buf.getvalue()))
    finally:
        db.dispose()
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang, expected", [
    ("en", "Site SH85 Shanghai Liver Disease Research Center"),
    ("zh_CN", "中心 SH85 南京军区上海肝病研究中心"),
])
def test_header_names_the_protocols_only_site_for_a_subject_without_one(pdfs, lang, expected):
    _summary, pages = pdfs[lang]
    for text in pages:                                   # the header is on every page
        assert expected in _flat(text)
        assert "Site \u2013" not in text and "中心 \u2013" not in text


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_csc_rows_name_each_symptom_by_its_short_label_not_its_code(pdfs, lang):
    summary, pages = pdfs[lang]
    lines = [ln.strip() for text in pages for ln in text.splitlines()]
    assert summary.csc is not None and len(summary.csc.symptoms) == 12
    for sym in summary.csc.symptoms:
        label = item_label(sym.item_id, lang, summary.csc.instrument_id)
        assert label != sym.item_id
        assert label in lines, label                   # the row's first cell is the label …
        assert not any(f"{sym.item_id} {label}" in ln for ln in lines)   # … with no code
    if lang == "zh_CN":
        assert "食欲不振" in lines


AXIS = {"en": ("Baseline", "Week 1", "Week 2", "Week 4", "Week 8", "Week 12", "Week 24",
               "Week 36", "Week 52"),
        "zh_CN": ("基线", "第1周", "第2周", "第4周", "第8周", "第12周", "第24周", "第36周",
                  "第52周")}
TRENDS_HEADING = {"en": ("Trends over visits", "Missing data"), "zh_CN": ("各访视趋势", "缺失数据")}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_trend_axes_name_the_visits_by_their_labels_not_codes(pdfs, lang):
    summary, pages = pdfs[lang]
    text = "\n".join(pages)
    start, end = TRENDS_HEADING[lang]
    charts = text[text.index(start):text.index(end)]
    lines = [ln.strip() for ln in charts.splitlines()]
    assert summary.trends is not None and summary.trends.visit_labels == AXIS[lang]
    # five charts (PCS/MCS, RSS, TSB, MELD, Child-Pugh), each with the whole schedule in order
    assert [ln for ln in lines if ln in AXIS[lang]] == list(AXIS[lang]) * 5
    for code in summary.trends.visit_codes:              # BL, W1 … W52 nowhere on the axes
        assert code not in lines, code


MISSING = {"en": ("Missing data", "Signature"), "zh_CN": ("缺失数据", "签名")}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_missing_data_names_instruments_not_their_ids(pdfs, lang):
    summary, pages = pdfs[lang]
    text = "\n".join(pages)
    start, end = MISSING[lang]
    section = text[text.index(start):text.index(end, text.index(start))]
    lines = [ln.strip() for ln in section.splitlines()]
    ids = {sk.instrument_id for sk in summary.missing.skipped}
    assert ids == {"rand36", "csc"}                 # DEMO-0001 skipped one item of each at W12
    for inst_id in ids:
        assert instrument_name(inst_id, lang) in " ".join(lines)    # may wrap in its cell
        assert inst_id not in lines
    all_lines = [ln.strip() for ln in text.splitlines()]
    assert not any(ln in ("rand36", "csc") or ln.startswith(("rand36 ", "csc "))
                   for ln in all_lines)


@pytest.mark.parametrize("zone, stamp", [("Asia/Shanghai", "2026-03-01 18:15 (UTC+08:00)"),
                                         ("America/Los_Angeles", "2026-03-01 02:15 (UTC-08:00)")])
def test_alert_acknowledgement_prints_local_time_with_its_utc_offset(zone, stamp):
    acked = Alert("red", "warning_sign_yes", "A1", acknowledged_by="nurse",
                  acknowledged_at=datetime(2026, 3, 1, 10, 15, tzinfo=timezone.utc))
    summary = replace(demo_visit_summary("en"), alerts=(acked,), display_tz=zone)
    buf = io.BytesIO()
    build_visit_summary(summary, buf)
    text = _flat("\n".join(pages_text(buf.getvalue())))
    assert f"acknowledged by nurse, {stamp}" in text       # the document's zone, offset shown


@pytest.mark.parametrize("lang, generated", [("en", "Generated"), ("zh_CN", "生成时间")])
def test_footer_stamps_fit_one_line_with_the_app_version(pdfs, lang, generated):
    summary, pages = pdfs[lang]
    for text in pages:
        footer = [ln.replace("\u00a0", " ") for ln in text.splitlines() if generated in ln]
        assert len(footer) == 1
        # local time with its UTC offset, and "ePRO Desk <version>" not broken off the line
        assert "(UTC" in footer[0] and f"ePRO Desk {summary.app_version}" in footer[0]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_appendix_headings_print_each_instruments_version_once(pdfs, lang):
    summary, pages = pdfs[lang]
    text = _flat("\n".join(pages))
    assert [s.version for s in summary.appendix] == ["1.0", "1.0"]
    assert "RAND 36-Item Health Survey 1.0 \u2013" in text    # the title holds its version
    assert "1.0 1.0" not in text
    csc = next(s for s in summary.appendix if s.instrument_id == "csc")
    assert f"{csc.instrument_name} 1.0 \u2013" in text        # a title without one gets it


def test_chinese_lists_use_the_chinese_enumeration_comma(pdfs):
    summary, pages = pdfs["zh_CN"]
    text = _flat("\n".join(pages))
    grades = summary.clinician.clinician_symptoms
    assert len(grades) == 4
    listed = "\u3001".join(f"{tr_opt('cs_', k, 'zh_CN')} {v}" for k, v in grades)
    assert listed in text                               # 食欲 2、乏力 2、腹胀 1、下肢水肿 1
    assert ", " not in listed


def test_chinese_summary_names_the_scoring_algorithms_in_chinese(pdfs):
    summary, pages = pdfs["zh_CN"]
    text = _flat("\n".join(pages))
    assert summary.sf36 is not None
    assert "RAND-36 计分（Hays 1993）" in text and "SF-36 第1版标准计分" in text
    assert "RAND-36 scoring (Hays 1993)" not in text and "standard scoring" not in text
