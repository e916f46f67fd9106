"""Visit summary from the database: printed numbers equal the stored Score rows, alerts and
categories equal what was stored at submission, re-signature state, empty visit, CLI."""
from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pdf_text import lines_of, one, signed
from pypdf import PdfReader
from sqlalchemy import select, text

from reports.i18n import symptom_label
from reports.summary_loader import load_visit_summary, load_visits_on
from reports.summary_model import STAFF_ALERT_KINDS
from reports.visit_summary import build_visit_summary
from storage import services as sv
from storage.demo import eligible_screening
from storage.auth_sessions import system_actor
from storage.db import Database, open_database
from storage.errors import NotFound
from storage.models import Administration, Answer, ClinicalAssessment, Patient, Score, Visit

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)
SCALE_LABELS = {"PF": "Physical functioning (PF)", "RP": "Role – physical (RP)",
                "BP": "Bodily pain (BP)", "GH": "General health (GH)",
                "VT": "Energy/fatigue (vitality) (VT)", "SF": "Social functioning (SF)",
                "RE": "Role – emotional (RE)", "MH": "Emotional well-being (MH)"}


pdf_lines = lines_of



def after(lines: list[str], label: str, n: int) -> list[str]:
    i = lines.index(label)
    return lines[i + 1:i + 1 + n]


def build(summary) -> bytes:  # noqa: ANN001
    buf = io.BytesIO()
    build_visit_summary(summary, buf)
    return buf.getvalue()


# ------------------------------------------------------------------ the demo database
@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from storage.demo import generate_demo_data
    path = tmp_path_factory.mktemp("summary") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    generate_demo_data(db, patients=2, seed=3, full_names=True)   # the name must not print
    db.dispose()
    return path


@pytest.fixture(scope="module")
def db(db_path: Path):
    d = open_database(f"sqlite:///{db_path}")
    yield d
    d.dispose()


def stored(db: Database, subject: str, visit: str, algorithm: str) -> dict:
    """Score values straight from the score table (not through the loader)."""
    with db.session() as s:
        row = s.scalar(select(Score.values).join(Administration,
                                                 Administration.id == Score.administration_id)
                       .join(Visit, Visit.id == Administration.visit_id)
                       .join(Patient, Patient.id == Visit.patient_id)
                       .where(Patient.subject_id == subject, Visit.code == visit,
                              Administration.status == "submitted",
                              Score.algorithm_id == algorithm))
    return dict(row) if row is not None else {}


def answers(db: Database, subject: str, visit: str, instrument: str) -> dict[str, int | None]:
    with db.session() as s:
        rows = s.execute(select(Answer.item_id, Answer.code)
                         .join(Administration, Administration.id == Answer.administration_id)
                         .join(Visit, Visit.id == Administration.visit_id)
                         .join(Patient, Patient.id == Visit.patient_id)
                         .where(Patient.subject_id == subject, Visit.code == visit,
                                Administration.instrument_id == instrument))
        return dict(rows.all())


@pytest.fixture(scope="module")
def w12(db):
    summary = load_visit_summary(db, "DEMO-0001", "W12", now=NOW)
    return summary, build(summary)


# ------------------------------------------------------------------ numbers equal stored scores
def test_sf36_block_equals_stored_scores(db, w12):
    summary, data = w12
    lines = pdf_lines(data)
    # the demo study's primary scoring is RAND-36 (create_study default): 0-100 = rand_*
    # the previous SF-36 is W4's: under the protocol the SF-36 is not given at W8
    now_r, bl_r, prev_r = (stored(db, "DEMO-0001", v, "rand36-1.0")
                           for v in ("W12", "BL", "W4"))
    now_w, bl_w, prev_w = (stored(db, "DEMO-0001", v, "sf36v1-ware1993-norms1990")
                           for v in ("W12", "BL", "W4"))
    assert now_r and now_w and bl_r and prev_w
    for code, label in SCALE_LABELS.items():
        s = code.lower()
        expected = [one(now_r[f"rand_{s}"]), signed(now_r[f"rand_{s}"] - bl_r[f"rand_{s}"], 5),
                    signed(now_r[f"rand_{s}"] - prev_r[f"rand_{s}"], 5),
                    one(now_w[f"sf36_{s}_t"]),
                    signed(now_w[f"sf36_{s}_t"] - bl_w[f"sf36_{s}_t"], 3),
                    signed(now_w[f"sf36_{s}_t"] - prev_w[f"sf36_{s}_t"], 3)]
        assert after(lines, label, 6) == expected, code
    for key, label in (("sf36_pcs", "Physical summary (PCS)"),
                       ("sf36_mcs", "Mental summary (MCS)")):
        assert after(lines, label, 3) == [one(now_w[key]), signed(now_w[key] - bl_w[key], 3),
                                          signed(now_w[key] - prev_w[key], 3)]
    joined = "\n".join(lines)
    assert "Scores shown: RAND-36 scoring" in joined and "rand36-1.0" in joined
    assert "sf36v1-ware1993-norms1990" in joined
    assert summary.sf36.primary_scoring == "rand"


def test_csc_block_equals_stored_scores_and_categories(db, w12):
    summary, data = w12
    lines = pdf_lines(data)
    now_a, bl_a = answers(db, "DEMO-0001", "W12", "csc"), answers(db, "DEMO-0001", "BL", "csc")
    now_s = stored(db, "DEMO-0001", "W12", "csc-1.0")
    bl_s, prev_s = stored(db, "DEMO-0001", "BL", "csc-1.0"), stored(db, "DEMO-0001", "W8", "csc-1.0")
    for item in ("C1", "C2", "C3", "C4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"):
        n, b = now_a.get(item), bl_a.get(item)
        delta = "\u2013" if n is None or b is None else ("0" if n == b else f"{n - b:+d}")
        category = now_s["category"][item]          # as stored when the CSC was submitted
        assert after(lines, symptom_label(item, "en"), 4) == [
            "\u2013" if n is None else str(n), "\u2013" if b is None else str(b), delta,
            category or "\u2013"], item
    for key, label in (("rss", "RSS (registered symptom score, 0–16)"),
                       ("tsb", "TSB (total symptom burden, 0–100)")):
        assert after(lines, label, 5) == [
            one(now_s[key]), one(bl_s[key]), signed(now_s[key] - bl_s[key], 1e9),
            one(prev_s[key]), signed(now_s[key] - prev_s[key], 1e9)]
    assert after(lines, "NMOD (symptoms moderate or worse)", 2) == [str(now_s["nmod"]),
                                                                  str(bl_s["nmod"])]
    assert summary.csc.responder == now_s["responder_exploratory"]
    assert "Study-specific checklist, not yet validated." in lines


def _reasons(summary) -> set[str]:  # noqa: ANN001
    out = set()
    for a in summary.alerts:
        if a.kind in STAFF_ALERT_KINDS:       # staff data (issue 15), not the CSC's reasons
            continue
        if a.kind == "warning_sign_yes":
            out.add(f"{a.item_id}=yes")
        elif a.kind == "warning_sign_unsure":
            out.add(f"{a.item_id}=not_sure")
        else:
            out.add(f"{a.item_id}+{a.now - a.previous}_vs_previous")
    return out


@pytest.mark.parametrize("subject", ["DEMO-0001", "DEMO-0002"])
def test_alerts_equal_the_stored_alert_reasons_at_every_visit(db, subject):
    checked = 0
    for v in sv.patient_visits(db, sv.find_patient(db, subject).id):
        st = stored(db, subject, v.code, "csc-1.0")
        if not st:
            continue
        summary = load_visit_summary(db, subject, v.code, now=NOW)
        assert _reasons(summary) == set(st["alert_reasons"]), v.code
        levels = {a.level for a in summary.alerts if a.kind not in STAFF_ALERT_KINDS}
        assert ("red" if "red" in levels else "amber" if levels else "") == st["alert"]
        checked += 1
    assert checked >= 3


def test_alerts_box_printed_at_the_top(db):
    # the first DEMO-0001 visit whose stored CSC alert has a warning sign (A-item) answer
    code = next(v.code for v in sv.patient_visits(db, sv.find_patient(db, "DEMO-0001").id)
                if any(r.startswith("A") for r in
                       stored(db, "DEMO-0001", v.code, "csc-1.0").get("alert_reasons", ())))
    summary = load_visit_summary(db, "DEMO-0001", code, now=NOW)
    data = build(summary)
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert summary.alerts and any(a.kind.startswith("warning_sign") for a in summary.alerts)
    assert first.index("Alerts") < first.index("SF-36")
    for a in (a for a in summary.alerts if a.kind.startswith("warning_sign")):
        word = "Yes" if a.kind == "warning_sign_yes" else "Not sure"
        assert f"{symptom_label(a.item_id, 'en')}: patient answered {word}" in first


def test_clinician_block_equals_the_stored_assessment(db, w12):
    summary, data = w12
    lines = pdf_lines(data)
    joined = "\n".join(lines)
    with db.session() as s:
        ca = s.scalar(select(ClinicalAssessment).join(Visit).join(Patient).where(
            Patient.subject_id == "DEMO-0001", Visit.code == "W12"))
        labs, derived, sample = dict(ca.labs), dict(ca.derived), ca.sample_date
    for key, label, decimals in (("bilirubin", "Total bilirubin", 1), ("inr", "INR", 2),
                                 ("sodium", "Sodium", 0)):
        got = after(lines, label, 3)
        assert got[0] == f"{float(labs[key]['value']):.{decimals}f}"
        assert got[2] == sample.isoformat()
    cp = derived["child_pugh"]
    assert f"{cp['score']} points, class {cp['class']}" in joined
    for key, label in (("meld", "MELD"), ("meld_na", "MELD-Na")):
        assert after(lines, label, 2) == [str(derived[key]["score"]),
                                          f"formula {derived[key]['formula_id']}"]
    for key in ("child_pugh", "meld3"):
        assert f"formula {derived[key]['formula_id']}" in joined


def test_trends_cover_every_visit_and_equal_stored_values(db, w12):
    summary, _ = w12
    trends = summary.trends
    assert trends.visit_codes == ("BL", "W1", "W2", "W4", "W8", "W12", "W24", "W36", "W52")
    pcs = {p.visit_code: p.value for p in trends.get("pcs").points}
    rss = {p.visit_code: p.value for p in trends.get("rss").points}
    # SF-36 visits (protocol) up to the printed W12: the summary is as of its visit (issue 15)
    assert set(pcs) == {"BL", "W4", "W12"}
    for code in pcs:
        assert pcs[code] == stored(db, "DEMO-0001", code, "sf36v1-ware1993-norms1990")["sf36_pcs"]
        assert rss[code] == stored(db, "DEMO-0001", code, "csc-1.0")["rss"]
    assert len(trends.get("meld").points) == 6 and len(trends.get("child_pugh").points) == 6


def test_header_signature_appendix_and_pages(db, w12):
    summary, data = w12
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 3
    with db.session() as s:
        name = s.scalar(select(Patient.full_name).where(Patient.subject_id == "DEMO-0001"))
    assert name and name not in "\n".join(pdf_lines(data))          # name not printed
    assert name not in str(reader.metadata)
    for i, page in enumerate(reader.pages, start=1):
        t = page.extract_text()
        assert f"Page {i} of {len(reader.pages)}" in t and "DEMO-0001" in t and "Week 12" in t
    assert summary.study_day == 85 and summary.window_status == "in_window"
    assert summary.signature is not None and summary.signature.signed_by == "Demo Investigator"
    assert not summary.resign_required
    assert summary.generated_at == NOW
    # appendix: the CSC section is in the language the patient saw
    with db.session() as s:
        shown = dict(s.execute(select(Administration.instrument_id, Administration.language)
                               .join(Visit).join(Patient)
                               .where(Patient.subject_id == "DEMO-0001", Visit.code == "W12")).all())
    assert {sec.instrument_id: sec.language for sec in summary.appendix} == shown
    csc_codes = answers(db, "DEMO-0001", "W12", "csc")
    sec = next(x for x in summary.appendix if x.instrument_id == "csc")
    assert {it.label: it.code for it in sec.items if it.status == "answered"} == \
        {k: v for k, v in csc_codes.items() if v is not None}


def test_every_visit_of_both_patients_gives_one_to_three_pages(db):
    for subject in ("DEMO-0001", "DEMO-0002"):
        for v in sv.patient_visits(db, sv.find_patient(db, subject).id):
            n = len(PdfReader(io.BytesIO(build(load_visit_summary(db, subject, v.code,
                                                                  now=NOW)))).pages)
            assert 1 <= n <= 3, (subject, v.code, n)


def test_visit_with_nothing_submitted(db):
    summary = load_visit_summary(db, "DEMO-0001", "W36", now=NOW)
    assert summary.sf36 is None and summary.csc is None and summary.clinician is None
    assert summary.signature is None and not summary.resign_required
    assert summary.study_day is None and summary.window_status in ("not_yet_due", "due", "overdue")
    data = build(summary)
    joined = "\n".join(pdf_lines(data))
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert joined.count("No questionnaire submitted") == 2
    for phrase in ("No clinician assessment entered", "Not signed", "No answers entered",
                   "Trends over visits"):
        assert phrase in joined


def test_skipped_items_listed_with_the_reason(db):
    with db.session() as s:
        row = s.execute(select(Visit.code, Answer.item_id, Answer.skip_reason)
                        .join(Administration, Administration.id == Answer.administration_id)
                        .join(Visit, Visit.id == Administration.visit_id).join(Patient)
                        .where(Patient.subject_id == "DEMO-0001", Answer.status == "skipped",
                               Administration.status == "submitted")).first()
    assert row is not None
    code, item, reason = row
    summary = load_visit_summary(db, "DEMO-0001", code, now=NOW)
    label = item[1:] if item.startswith("q") else item
    assert any(sk.item_id == label and sk.reason == reason for sk in summary.missing.skipped)
    joined = "\n".join(pdf_lines(build(summary)))
    assert "Skipped items" in joined and "prefers not to answer" in joined


def test_corrected_after_signing_needs_resignature(db):
    # seed 3: the demo corrected a W4 SF-36 answer after the investigator signed it
    summary = load_visit_summary(db, "DEMO-0001", "W4", now=NOW)
    assert summary.signature is None and summary.resign_required
    assert "answer corrected" in summary.invalidated_signature.invalidated_reason
    joined = " ".join(pdf_lines(build(summary)))
    assert "re-signature required" in joined and "no longer valid" in joined


def test_content_changed_behind_a_valid_signature_needs_resignature(db_path, tmp_path):
    import shutil
    copy = tmp_path / "tampered.db"
    shutil.copy(db_path, copy)
    d = open_database(f"sqlite:///{copy}")
    try:
        before = load_visit_summary(d, "DEMO-0001", "W2", now=NOW)
        assert before.signature is not None and not before.resign_required
        with d.session() as s:     # an edit that bypassed the services (no invalidation)
            vid = s.scalar(select(Visit.id).join(Patient).where(
                Patient.subject_id == "DEMO-0001", Visit.code == "W2"))
            s.execute(text("UPDATE clinical_assessment SET ascites = :a WHERE visit_id = :v"),
                      {"a": "moderate", "v": vid})
        after_ = load_visit_summary(d, "DEMO-0001", "W2", now=NOW)
        assert after_.signature is None and after_.resign_required
        assert after_.invalidated_signature.invalidated_reason == "signed content changed"
        zh = load_visit_summary(d, "DEMO-0001", "W2", lang="zh_CN", now=NOW)
        assert zh.invalidated_signature.invalidated_reason == "签名后内容已更改"   # not English
    finally:
        d.dispose()


def test_unknown_subject_or_visit_is_a_user_error(db):
    with pytest.raises(NotFound, match="No subject"):
        load_visit_summary(db, "NOPE-1", "W12")
    with pytest.raises(NotFound, match="no visit 'W99'"):
        load_visit_summary(db, "DEMO-0001", "W99")
    with pytest.raises(ValueError, match="timezone-aware"):
        load_visit_summary(db, "DEMO-0001", "W12", now=datetime(2030, 1, 1))


def test_primary_scoring_sf36v1_and_not_computable_scale(tmp_path):
    """A services-built study with SF-36 v1 as primary; PF loses the half rule (4 of 10)."""
    from datetime import date
    d = open_database(f"sqlite:///{tmp_path / 'v1.db'}")
    try:
        system = system_actor()
        sv.create_study(d, system, primary_sf36_scoring="sf36v1")
        sv.create_user(d, system, username="n", full_name="N N", role="nurse", password="pw-12345678")
        nurse = sv.authenticate(d, "n", "pw-12345678", station_id="WS")
        pid = sv.enrol_patient(d, nurse, subject_id="S-1", initials="AB", sex="F",
                               day1_date=date.today(),
                               screening=eligible_screening(sv.current_protocol(d), date.today(),
                                                            birth_date=date(1970, 6, 1)))
        visit = sv.patient_visits(d, pid)[0]
        adm = sv.start_administration(d, nurse, visit_id=visit.id, instrument_id="rand36",
                                      language="en")
        patient = sv.hand_over_kiosk(d, nurse, visit.id)
        skipped = {f"q{i}" for i in range(3, 9)}           # 6 of the 10 PF items
        sv.record_answers(d, patient, adm, {f"q{i}": 1 for i in range(1, 37)
                                            if f"q{i}" not in skipped})
        for k in sorted(skipped):
            sv.skip_item(d, patient, adm, k, "dont_understand")
        sv.submit_administration(d, patient, adm)
        summary = load_visit_summary(d, "S-1", visit.code, now=NOW)
    finally:
        d.dispose()
    assert summary.sf36.primary_scoring == "sf36" and summary.is_baseline
    pf = summary.sf36.scales[0]
    assert pf.score.now is None and pf.not_computable == "too_few_items"
    assert summary.sf36.pcs.now is None
    nc = {(n.scale, n.reason) for n in summary.missing.not_computable}
    assert ("PF", "too_few_items") in nc and ("PCS/MCS", "needs_all_scales") in nc
    joined = "\n".join(pdf_lines(build(summary)))
    assert "Scores shown: SF-36 v1 standard scoring" in joined
    assert "SF-36 (RAND-36) PF: too few items answered (4 / 10, ≥ 5)" in joined
    assert "does not understand the question" in joined
    assert "No clinician assessment entered" in joined


def test_load_visits_on_a_day(db):
    w12 = next(v for v in sv.patient_visits(db, sv.find_patient(db, "DEMO-0001").id)
               if v.code == "W12")
    got = load_visits_on(db, w12.actual_date)
    assert ("DEMO-0001", "W12") in got
    assert got == sorted(set(got))
    assert load_visits_on(db, datetime(1999, 1, 1).date()) == []


def test_chinese_report_renders(db):
    summary = load_visit_summary(db, "DEMO-0001", "W12", lang="zh_CN", now=NOW)
    data = build(summary)
    joined = "\n".join(pdf_lines(data))
    assert "访视小结" in joined and "肝硬化症状清单" in joined
    assert 1 <= len(PdfReader(io.BytesIO(data)).pages) <= 3
