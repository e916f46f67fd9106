"""Visit summary PDF: numbers equal the data, layout limits, fonts, determinism, PHI, languages."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pdf_text import lines_of, one, pages_text, signed
from pypdf import PdfReader

from reports.demo_summary import demo_visit_summary, empty_visit_summary
from reports.fonts import PLACEHOLDER, load_fonts
from reports.summary_model import (MidSettings, NotComputable, Measure, MissingData, ScaleScore,
                                   Signature, VisitSummary)
from reports.visit_summary import build_visit_summaries, build_visit_summary, default_file_name

PAGE_W = 595.2756


def build(summary: VisitSummary) -> tuple[bytes, list[str]]:
    buf = io.BytesIO()
    warnings = build_visit_summary(summary, buf)
    return buf.getvalue(), warnings


def cells_after(lines: list[str], label: str, n: int) -> list[str]:
    i = lines.index(label)
    return lines[i + 1:i + 1 + n]


@pytest.fixture(scope="module")
def demo() -> VisitSummary:
    return demo_visit_summary("en")


@pytest.fixture(scope="module")
def demo_pdf(demo) -> tuple[bytes, list[str]]:
    return build(demo)


@pytest.fixture(scope="module")
def zh_pdf() -> tuple[VisitSummary, bytes, list[str]]:
    s = demo_visit_summary("zh_CN")
    data, warnings = build(s)
    return s, data, warnings


# ------------------------------------------------------------------------------ numbers
def test_sf36_numbers_equal_the_data(demo, demo_pdf):
    lines = lines_of(demo_pdf[0])
    labels = {"PF": "Physical functioning (PF)", "RP": "Role – physical (RP)",
              "BP": "Bodily pain (BP)", "GH": "General health (GH)",
              "VT": "Energy/fatigue (vitality) (VT)", "SF": "Social functioning (SF)",
              "RE": "Role – emotional (RE)", "MH": "Emotional well-being (MH)"}
    assert len(demo.sf36.scales) == 8
    for sc in demo.sf36.scales:
        expected = [one(sc.score.now), signed(sc.score.now - sc.score.baseline, 5),
                    signed(sc.score.now - sc.score.previous, 5), one(sc.t_score.now),
                    signed(sc.t_score.now - sc.t_score.baseline, 3),
                    signed(sc.t_score.now - sc.t_score.previous, 3)]
        assert cells_after(lines, labels[sc.code], 6) == expected, sc.code
    for label, m in (("Physical summary (PCS)", demo.sf36.pcs),
                     ("Mental summary (MCS)", demo.sf36.mcs)):
        assert cells_after(lines, label, 3) == [one(m.now), signed(m.now - m.baseline, 3),
                                                signed(m.now - m.previous, 3)]
    text = "\n".join(lines)
    # at least one marker of each kind is exercised by the fixture
    assert "\u25b2" in text
    assert demo.sf36.primary.id in text and demo.sf36.secondary.id in text
    assert "developed at RAND as part of the Medical Outcomes Study" in text
    assert "5 points on 0–100 scales, 3 points on T-scores" in text


def test_csc_numbers_equal_the_data(demo, demo_pdf):
    lines = lines_of(demo_pdf[0])
    from reports.i18n import symptom_label
    for sym in demo.csc.symptoms:
        delta = sym.now - sym.baseline
        expected = [str(sym.now), str(sym.baseline), "0" if delta == 0 else f"{delta:+d}",
                    sym.category]
        assert cells_after(lines, symptom_label(sym.item_id, 'en'), 4) == expected
    c = demo.csc
    assert cells_after(lines, "RSS (registered symptom score, 0–16)", 5) == [
        one(c.rss.now), one(c.rss.baseline), signed(c.rss.now - c.rss.baseline, 1e9),
        one(c.rss.previous), signed(c.rss.now - c.rss.previous, 1e9)]
    assert cells_after(lines, "TSB (total symptom burden, 0–100)", 5) == [
        one(c.tsb.now), one(c.tsb.baseline), signed(c.tsb.now - c.tsb.baseline, 1e9),
        one(c.tsb.previous), signed(c.tsb.now - c.tsb.previous, 1e9)]
    assert cells_after(lines, "NMOD (symptoms moderate or worse)", 2) == [
        str(int(c.nmod.now)), str(int(c.nmod.baseline))]
    assert "Study-specific checklist, not yet validated." in lines


def test_clinician_alerts_missing_signature_blocks(demo, demo_pdf):
    lines = lines_of(demo_pdf[0])
    text = "\n".join(lines)
    c = demo.clinician
    for lab in c.labs:
        if lab.analyte == "bilirubin":
            assert cells_after(lines, "Total bilirubin", 3) == ["2.4", "mg/dL", "2025-02-27"]
        if lab.analyte == "inr":
            assert cells_after(lines, "INR", 1) == ["1.45"]
    assert f"{int(c.child_pugh.value)} points, class {c.child_pugh.grade}" in text
    for score, label in ((c.meld, "MELD"), (c.meld_na, "MELD-Na")):
        assert cells_after(lines, label, 2) == [str(int(score.value)),
                                                f"formula {score.formula_id}"]
    # forms.liver's MELD 3.0: 17, below the cap of 40, so no "(uncapped …)" beside it
    assert c.meld3.uncapped == c.meld3.value and cells_after(lines, "MELD 3.0", 2) == [
        str(int(c.meld3.value)), "formula MELD-3.0-OPTN-2023"]
    assert "formula MELD-3.0-OPTN-2023" in text and "formula CTP-Pugh1973-INR" in text
    # alerts box at the top of page 1
    first = pages_text(demo_pdf[0])[0]
    assert first.index("Alerts") < first.index("SF-36")
    assert "RED Fever or shaking chills: patient answered Yes" in text
    assert "AMBER Tiredness / weakness worsened by 2 since the previous visit (1 → 3)" in text
    # missing data: the skipped item with the patient's reason
    assert "9 Walking more than a mile" in text and "prefers not to answer" in text
    # signature in local time with offset, meaning, audit head (short form)
    assert cells_after(lines, "Signed by", 1) == ["Dr. Li Na"]
    assert "Reviewed by investigator" in text
    assert "2025-03-01 11:05 (UTC+08:00)" in text
    assert "9f2c4e1ab37d55e0" in text and "9f2c4e1ab37d55e0c1" not in text
    # appendix: every item with the option as shown
    assert "Answers as entered" in text
    for sec in demo.appendix:
        for it in sec.items:
            if it.status == "answered":
                assert it.answer in text
    assert "(skipped: prefers not to answer)" in text      # the patient's reason with it


def test_trend_and_generated_at_footer(demo_pdf):
    text = "\n".join(pages_text(demo_pdf[0]))
    assert "Trends over visits" in text
    assert "Generated 2025-03-01 10:15 (UTC+08:00)" in text and "ePRO Desk 0.1.0" in text
    for label in ("Baseline", "Week 12", "Week 52"):   # the fixed x axis: the whole schedule
        assert label in text


# ------------------------------------------------------------------------------ layout
def test_page_count_and_page_x_of_y(demo_pdf):
    pages = pages_text(demo_pdf[0])
    assert 1 <= len(pages) <= 3
    for i, t in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in t
        assert "DEMO-0001" in t and "W12" in t   # header on every page


def _word_boxes(pdf: Path) -> list[tuple[float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [(float(a), float(b), w) for a, b, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', out)]


@pytest.mark.parametrize("name", [
    "Maximilian " + "Alexander-Wolfgang " * 4 + "von Hohenzollern-Sigmaringen Oberbayern-Schwaben X",
    "欧阳" * 50,
    "A" * 100,
])
def test_long_name_wraps_inside_the_page(demo, name, tmp_path):
    name = name[:100]
    assert len(name) == 100
    s = replace(demo, full_name=name, show_full_name=True)
    data, warnings = build(s)
    assert warnings == []
    pages = pages_text(data)
    assert 1 <= len(pages) <= 3
    joined = re.sub(r"\s+", "", pages[0])
    assert re.sub(r"\s+", "", name) in joined
    if shutil.which("pdftotext"):
        pdf = tmp_path / "long.pdf"
        pdf.write_bytes(data)
        for x0, x1, word in _word_boxes(pdf):
            assert x1 <= PAGE_W - 30, (word, x1)   # inside the right margin (15 mm = 42.5 pt)
            assert x0 >= 30, (word, x0)


# ------------------------------------------------------------------------------ fonts
def _fonts(data: bytes) -> list[dict]:
    reader = PdfReader(io.BytesIO(data))
    seen = {}
    for page in reader.pages:
        for _, ref in (page["/Resources"].get_object().get("/Font") or {}).items():
            font = ref.get_object()
            seen[font["/BaseFont"]] = font
    return list(seen.values())


def test_all_fonts_embedded_no_base14(demo_pdf, zh_pdf):
    for data in (demo_pdf[0], zh_pdf[1]):
        fonts = _fonts(data)
        assert fonts
        for f in fonts:
            assert f["/Subtype"] == "/TrueType", f["/BaseFont"]
            assert "/FontFile2" in f["/FontDescriptor"].get_object(), f["/BaseFont"]
            assert "+" in f["/BaseFont"]   # subset-embedded
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", "-"], input=demo_pdf[0], capture_output=True).stdout
        rows = out.decode().splitlines()[2:]
        assert rows and all(" yes yes " in r for r in rows), rows


def test_deterministic_bytes(demo, tmp_path):
    a, _ = build(demo)
    b, _ = build(demo)
    assert a == b
    build_visit_summary(demo, tmp_path / "x.pdf")
    assert (tmp_path / "x.pdf").read_bytes() == a


def test_chinese_name_and_instrument_text_use_the_cjk_font(zh_pdf):
    s, _, _ = zh_pdf
    s = replace(s, full_name="买买提·艾力", show_full_name=True)
    data, warnings = build(s)
    assert warnings == []
    text = "\n".join(pages_text(data))
    assert "买买提·艾力" in text
    assert "在过去7天内，您食欲不振（不想吃东西）的程度如何？" in text   # CSC C1, zh_CN
    cjk = load_fonts().cjk
    assert any(cjk.ps_name in str(f["/BaseFont"]) for f in _fonts(data))


def test_ext_b_character_gives_placeholder_and_warning(demo):
    fonts = load_fonts()
    if fonts.font_for("\U00020000") is not None:
        pytest.skip("the installed fonts cover U+20000")
    s = replace(demo, full_name="张\U00020000", show_full_name=True)
    data, warnings = build(s)
    assert any("U+20000" in w for w in warnings)
    assert any("not printable" in w for w in warnings)
    assert all("张" not in w for w in warnings)   # warnings never carry the text itself
    text = "\n".join(pages_text(data))
    assert "张" + PLACEHOLDER in text and "\U00020000" not in text


# ------------------------------------------------------------------------------ edge visits
def test_visit_with_nothing_submitted():
    data, warnings = build(empty_visit_summary())
    pages = pages_text(data)
    assert 1 <= len(pages) <= 3
    text = "\n".join(pages)
    assert text.count("No questionnaire submitted") == 2      # SF-36 and CSC
    for phrase in ("No clinician assessment entered", "No trend data yet", "Not signed",
                   "No answers entered", "No alerts", "Page 1 of 1", "DEMO-0002"):
        assert phrase in text
    assert "developed at RAND" in text   # the block names SF-36, so the credit line prints


def test_not_computable_scale_and_custom_mid(demo):
    scales = list(demo.sf36.scales)
    mh = scales[-1]
    scales[-1] = ScaleScore("MH", Measure(None, mh.score.baseline, mh.score.previous),
                            Measure(None), not_computable="too_few_items")
    s = replace(demo, sf36=replace(demo.sf36, scales=tuple(scales), pcs=Measure(None),
                                   mcs=Measure(None)),
                mid=MidSettings(scale_points=10, t_points=8),
                missing=MissingData(demo.missing.skipped, (
                    NotComputable("rand36", "MH", "too_few_items", "2 of 5 items answered"),
                    NotComputable("rand36", "PCS", "needs_all_scales"))))
    lines = lines_of(build(s)[0])
    assert cells_after(lines, "Emotional well-being (MH)", 1) == ["not computable"]
    pf = scales[0]
    assert cells_after(lines, "Physical functioning (PF)", 3) == [
        one(pf.score.now), signed(pf.score.delta_baseline, 10), signed(pf.score.delta_previous, 10)]
    assert "+5.0" in cells_after(lines, "Physical functioning (PF)", 3)   # below MID 10: no marker
    text = "\n".join(lines)
    assert "10 points on 0–100 scales, 8 points on T-scores" in text
    assert "SF-36 (RAND-36) MH: too few items answered (2 of 5 items answered)" in text
    assert "SF-36 (RAND-36) PCS: needs all 8 scales" in text   # the name, not the id


def test_mid_threshold_uses_unrounded_change():
    assert MidSettings.reached(5.0, 5) and MidSettings.reached(-5.0, 5)
    assert MidSettings.reached(4.9999999999, 5)       # float noise only
    assert not MidSettings.reached(4.96, 5)           # prints "5.0" but is below the MID
    assert not MidSettings.reached(None, 5)
    with pytest.raises(ValueError):
        MidSettings(0, 3)


# ------------------------------------------------------------------------------ PHI
def test_no_patient_name_in_metadata_or_file_name(demo):
    name = "张伟"
    for show in (True, False):
        s = replace(demo, full_name=name, show_full_name=show, subject_id="SUBJ-0001")
        data, _ = build(s)
        meta = PdfReader(io.BytesIO(data)).metadata
        assert all(name not in str(v) for v in meta.values())
        assert meta.title == "SUBJ-0001 W12"
        assert default_file_name(s) == "SUBJ-0001_W12.pdf"
        body = "\n".join(pages_text(data))
        assert (name in body) is show                     # printed only when the study allows
        assert name.encode("utf-16-be") not in data.split(b"stream")[0]


def test_default_file_name_is_safe(demo):
    s = replace(demo, subject_id="../SUBJ 01/张", visit_code="W12")
    assert default_file_name(s) == "SUBJ-01_W12.pdf"


# ------------------------------------------------------------------------------ zh_CN
def test_zh_cn_report(zh_pdf):
    s, data, warnings = zh_pdf
    assert warnings == []
    pages = pages_text(data)
    assert 1 <= len(pages) <= 3
    text = "\n".join(pages)
    for phrase in ("访视小结", "警示", "肝硬化症状清单", "本研究专用清单，尚未经过验证。", "临床评估",
                   "缺失数据", "签名", "原始作答", "研究者已审阅", "不愿回答"):
        assert phrase in text, phrase
    for i in range(1, len(pages) + 1):
        assert f"第 {i} 页，共 {len(pages)} 页" in pages[i - 1]
    lines = lines_of(data)
    pf = s.sf36.scales[0]
    assert cells_after(lines, "生理功能 (PF)", 3) == [one(pf.score.now),
                                                   signed(pf.score.delta_baseline, 5),
                                                   signed(pf.score.delta_previous, 5)]


# ------------------------------------------------------------------------------ model, batch
def test_model_rejects_naive_times_and_unknown_language(demo):
    with pytest.raises(ValueError):
        replace(demo, generated_at=datetime(2025, 3, 1, 10, 0))
    with pytest.raises(ValueError):
        replace(demo, report_language="fr")
    with pytest.raises(ValueError):
        Signature("x", "review", datetime(2025, 3, 1))
    m = Measure(10.0, 4.0, None)
    assert m.delta_baseline == 6.0 and m.delta_previous is None


def test_batch_writes_one_file_per_visit(demo, tmp_path, monkeypatch):
    other = replace(demo, subject_id="DEMO-0003", visit_code="W4")
    results = build_visit_summaries([demo, other, demo, empty_visit_summary("zh_CN")], tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["DEMO-0001_W12.pdf", "DEMO-0001_W12_2.pdf", "DEMO-0002_W4.pdf",
                     "DEMO-0003_W4.pdf"]
    assert all(r.error is None and r.path.is_file() for r in results)
    assert (tmp_path / "DEMO-0001_W12.pdf").read_bytes() == build(demo)[0]

    import reports.visit_summary as vs
    real = vs.build_visit_summary

    def flaky(summary, out, **kw):
        if summary.subject_id == "DEMO-0003":
            raise RuntimeError("boom")
        return real(summary, out, **kw)
    monkeypatch.setattr(vs, "build_visit_summary", flaky)
    out = tmp_path / "second"
    results = build_visit_summaries([other, demo], out)
    assert results[0].error == "RuntimeError: boom" and results[0].path is None
    assert results[1].error is None and results[1].path.is_file()
    assert sorted(p.name for p in out.iterdir()) == ["DEMO-0001_W12.pdf"]   # no partial file


def test_batch_in_worker_processes_gives_the_same_files(demo, tmp_path):
    visits = [replace(demo, subject_id=f"DEMO-{i:04d}") for i in range(3)]
    results = build_visit_summaries(visits, tmp_path, workers=2)
    assert [r.path.name for r in results] == ["DEMO-0000_W12.pdf", "DEMO-0001_W12.pdf",
                                              "DEMO-0002_W12.pdf"]
    assert all(r.error is None for r in results)
    assert results[1].path.read_bytes() == build(visits[1])[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_every_page_renders_to_png(demo_pdf, zh_pdf, tmp_path):
    for tag, data in (("en", demo_pdf[0]), ("zh", zh_pdf[1])):
        pdf = tmp_path / f"{tag}.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / tag)], check=True)
        pngs = sorted(tmp_path.glob(f"{tag}-*.png"))
        assert len(pngs) == len(PdfReader(io.BytesIO(data)).pages)
        assert all(p.stat().st_size > 5000 for p in pngs)
