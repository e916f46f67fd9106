"""Outcome report (issue 15 items 4-5): KM against a textbook example, exports carrying the
outcomes, the report's numbers recomputed from the CSV export files ALONE, alerts for a death and
an SAE in the report, the PDF in en and zh_CN, the report command (investigator, audited)."""
from __future__ import annotations

import csv
import io
import re
import statistics
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reports.export.commands import run_export
from reports.outcome_report.command import build_report
from reports.outcome_report.stats import describe, kaplan_meier, survival_at
from storage.db import open_database
from storage.demo import _accounts, generate_demo_data
from storage.models import AuditEvent
from outcome_demo import add_outcomes
from pdf_text import pages_text

# Freireich et al. 1963, 6-MP arm (Kleinbaum & Klein, Survival Analysis, table 2.2): weeks in
# remission, + = censored; the book's S(t) after each death time
GEHAN_6MP = [(6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0), (13, 1),
             (16, 1), (17, 0), (19, 0), (20, 0), (22, 1), (23, 1), (25, 0), (32, 0), (32, 0),
             (34, 0), (35, 0)]
GEHAN_S = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}


def test_kaplan_meier_matches_the_textbook() -> None:
    steps = kaplan_meier([t for t, _ in GEHAN_6MP], [bool(e) for _, e in GEHAN_6MP])
    for t, s in GEHAN_S.items():
        assert survival_at(steps, t) == pytest.approx(s, abs=5e-5)
    first = steps[0]
    assert (first.time, first.at_risk, first.events, first.censored) == (6, 21, 3, 1)
    assert survival_at(steps, 5) == 1.0 and survival_at(steps, 100) == pytest.approx(0.4482, abs=5e-5)


def test_describe_quartiles_and_sd() -> None:
    d = describe([1, 2, 3, 4, 10])
    assert (d.n, d.mean, d.median, d.q1, d.q3) == (5, 4.0, 3.0, 2.0, 4.0)
    assert d.sd == pytest.approx(statistics.stdev([1, 2, 3, 4, 10]))
    assert describe([]).n == 0 and describe([7]).sd is None


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("outcome_report")
    db = open_database(f"sqlite:///{d / 'demo.db'}", demo=True)
    generate_demo_data(db, patients=12, seed=1)
    staff = _accounts(db)
    special = add_outcomes(db, staff["nurse"])
    run_export(db, staff["investigator"], "csv", d / "export")
    files, warnings = build_report(db, d / "report.pdf", d / "report", "en")
    zh, zh_warnings = build_report(db, d / "report_zh.pdf", None, "zh_CN")
    yield db, d, special, staff, warnings + zh_warnings
    db.dispose()


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def num(text: str) -> float | None:
    return None if text == "" else float(text)


def test_export_has_typed_outcome_files_each_in_the_dictionary(env) -> None:
    db, d, special, *_ = env
    subjects = read(d / "export" / "subjects.csv")
    assert len(subjects) == 12 and all(s["arm"] in ("low", "medium", "high") for s in subjects)
    dead = next(s for s in subjects if s["subject_id"] == special["death"])
    assert dead["disposition"] == "died" and dead["death_date"] and dead["os_event"] == "1"
    term = next(s for s in subjects if s["subject_id"] == special["terminated"])
    assert term["termination_reason"] and term["termination_date"]
    assert {(r["subject_id"], r["reason"]) for r in read(d / "export" / "early_termination.csv")
            } >= {(special["terminated"], "withdrew_consent")}
    assert term["disposition"] in ("terminated", "died")      # a death comes first
    assert next(s for s in subjects if s["subject_id"] == special["hcc"])["hcc_date"]
    assert all(s["criterion_age"] == "met" and s["arm_label"] for s in subjects)
    aes = read(d / "export" / "adverse_events.csv")
    assert any(a["serious"] == "yes" and a["grade"] == "5" for a in aes)
    assert read(d / "export" / "infusions.csv")[0]["arm"] in ("low", "medium", "high")
    dictionary = {(r["kind"], r["variable"]) for r in read(d / "export" / "data_dictionary.csv")}
    for name in ("subjects.csv", "visit_measures.csv", "imaging.csv", "adverse_events.csv",
                 "infusions.csv"):
        with open(d / "export" / name, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        assert {(name, c) for c in header} <= dictionary, name


def _km_at(rows: list[dict], day: int) -> float:
    """Independent product-limit estimate from subjects.csv (os_days, os_event)."""
    s, data = 1.0, sorted((float(r["os_days"]), r["os_event"] == "1") for r in rows)
    for t in sorted({t for t, e in data if e and t <= day}):
        at_risk = sum(1 for x, _ in data if x >= t)
        s *= 1 - sum(1 for x, e in data if x == t and e) / at_risk
    return s


def test_report_numbers_reproduced_from_the_export_csvs_alone(env) -> None:
    _db, d, *_ = env
    subjects = read(d / "export" / "subjects.csv")
    measures = read(d / "export" / "visit_measures.csv")
    aes = read(d / "export" / "adverse_events.csv")
    imaging = read(d / "export" / "imaging.csv")
    groups = {"low", "medium", "high"}

    def members(g, rows):
        return [r for r in rows if g == "overall" or r["arm"] == g]

    for r in read(d / "report" / "report_consort.csv"):
        sub = members(r["group"], subjects)
        assert int(r["screened"]) == len(sub)
        for k in ("completed", "terminated", "died"):
            assert int(r[k]) == sum(1 for s in sub if s["disposition"] == k)
    for r in read(d / "report" / "report_survival.csv"):
        sub = members(r["group"], subjects)
        assert int(r["at_risk"]) == sum(1 for s in sub if float(s["os_days"]) >= int(r["day"]))
        assert float(r["survival"]) == pytest.approx(_km_at(sub, int(r["day"])))
    assert any(float(r["survival"]) < 1 for r in read(d / "report" / "report_survival.csv"))
    base = {m["subject_id"]: m for m in measures if m["visit"] == "BL"}
    checked = 0
    for r in read(d / "report" / "report_change_from_baseline.csv"):
        if r["measure"] not in ("child_pugh", "meld", "albumin", "sf36_pcs", "csc_tsb"):
            continue
        ids = {s["subject_id"] for s in members(r["group"], subjects)}
        rows = [m for m in measures if m["visit"] == r["visit"] and m["subject_id"] in ids
                and m[r["measure"]] != ""]
        if r["statistic"] == "value":
            xs = [float(m[r["measure"]]) for m in rows]
        else:
            xs = [float(m[r["measure"]]) - float(base[m["subject_id"]][r["measure"]])
                  for m in rows if m["subject_id"] in base and base[m["subject_id"]][r["measure"]]]
        assert int(r["n"]) == len(xs)
        if xs:
            assert float(r["mean"]) == pytest.approx(statistics.fmean(xs))
            assert float(r["median"]) == pytest.approx(statistics.median(xs))
        if len(xs) > 1:
            assert float(r["sd"]) == pytest.approx(statistics.stdev(xs))
            q = statistics.quantiles(xs, n=4, method="inclusive")
            assert (float(r["q1"]), float(r["q3"])) == pytest.approx((q[0], q[2]))
        checked += 1
    assert checked > 50
    for r in read(d / "report" / "report_adverse_events.csv"):
        hit = [a for a in members(r["group"], aes) if a[r["by"]] == r["category"]]
        assert (int(r["events"]), int(r["subjects"])) == (len(hit),
                                                         len({a["subject_id"] for a in hit}))
    for r in read(d / "report" / "report_hcc.csv"):
        assert int(r["hcc_within_1_year"]) == sum(1 for s in members(r["group"], subjects)
                                                  if s["hcc_date"])
    latest: dict[str, dict] = {}                       # per subject: the latest BL imaging
    for i in sorted(imaging, key=lambda i: (i["date"], int(i["record_id"]))):
        if i["visit"] == "BL":
            latest[i["subject_id"]] = i
    for r in read(d / "report" / "report_imaging.csv"):
        if r["timepoint"] == "baseline":
            xs = [float(i[r["measure"]]) for i in members(r["group"], list(latest.values()))
                  if i[r["measure"]]]
            assert int(r["n"]) == len(xs)
            if xs:
                assert float(r["mean"]) == pytest.approx(statistics.fmean(xs))
    assert groups <= {r["group"] for r in read(d / "report" / "report_consort.csv")}


def test_death_and_sae_in_the_report_tables_list_and_pdf(env) -> None:
    _db, d, special, _staff, warnings = env
    serious = read(d / "report" / "report_serious_events.csv")
    assert {(r["subject_id"], r["event"]) for r in serious} >= {
        (special["death"], "death"), (special["sae"], "Variceal bleeding")}
    text = "\n".join(pages_text((d / "report.pdf").read_bytes()))
    assert special["death"] in text and "Variceal bleeding" in text
    assert "Staff alerts from outcome forms" in text
    alerts = text.split("Staff alerts from outcome forms", 1)[1]
    assert special["death"] in alerts.split("Change from baseline")[0]
    assert warnings == []


def test_pdf_prints_the_numbers_of_the_report_csvs(env) -> None:
    _db, d, *_ = env
    lines = set("\n".join(pages_text((d / "report.pdf").read_bytes())).splitlines())
    labels = {"low": "Low dose", "medium": "Medium dose", "high": "High dose",
              "overall": "Overall"}
    for r in read(d / "report" / "report_consort.csv"):
        assert " ".join([labels[r["group"]], *list(r.values())[1:]]) in lines
    for r in read(d / "report" / "report_survival.csv"):
        assert f"{labels[r['group']]} {r['day']} {r['at_risk']} {float(r['survival']):.2f}" \
            in lines


@pytest.mark.parametrize("name,titles", [
    ("report.pdf", ("Outcome report", "Participant flow (CONSORT)", "Kaplan", "HCC incidence",
                    "Adverse events by grade", "Change from baseline by visit", "Data as of",
                    "version 1.0")),
    ("report_zh.pdf", ("结局报告", "受试者流程", "1 年总生存", "不良事件", "各访视较基线的变化",
                       "数据截至")),
])
def test_pdf_renders_sections_in_both_languages(env, name, titles) -> None:
    _db, d, *_ = env
    pages = pages_text((d / name).read_bytes())
    text = "\n".join(pages)
    for title in titles:
        assert title in text, title
    # stamp in local time WITH its offset on every page, as the visit summary prints times
    # ("2026-12-05 12:30 (UTC+08:00)"; -08:00 under TZ=America/Los_Angeles)
    assert all(re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)", p)
               for p in pages)


def test_report_command_is_audited_for_investigators(env, tmp_path, capsys) -> None:
    db, d, *_ = env
    from main import main
    pw = tmp_path / "pw"
    url = f"sqlite:///{d / 'demo.db'}"
    pw.write_text("ward-demo-1\n")
    args = ["--database", url, "report", "-o", str(tmp_path / "r.pdf"), "--password-file",
            str(pw)]
    assert main(args + ["--user", "nurse"]) != 0 and not (tmp_path / "r.pdf").exists()
    pw.write_text("trial-demo-1\n")
    assert main(args + ["--user", "investigator", "--csv", str(tmp_path / "csv")]) == 0
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"
    assert (tmp_path / "csv" / "report_consort.csv").exists()
    for f in (tmp_path / "r.pdf", tmp_path / "csv" / "report_consort.csv"):
        assert f.stat().st_mode & 0o777 == 0o600      # patient data: private like exports
    assert (tmp_path / "csv").stat().st_mode & 0o777 == 0o700
    with db.read_session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "report.created")).one()
    assert "r.pdf" in ev.detail and "report_consort.csv" in ev.detail


def test_zh_cn_report_headings_print_in_the_bold_cjk_face(env) -> None:
    _db, d, *_ = env
    bold: list[str] = []
    for page in PdfReader(io.BytesIO((d / "report_zh.pdf").read_bytes())).pages:
        def visit(text, _cm, _tm, font, _size):  # noqa: ANN001, ANN202
            if font is not None and str(font["/BaseFont"]).endswith("ePRODeskSansSC-Bold"):
                bold.append(text)
        page.extract_text(visitor_text=visit)
    text = "".join(bold)
    for heading in ("结局报告", "受试者流程", "不良事件"):
        assert heading in text, heading


@pytest.mark.parametrize("name,year,baseline", [("report.pdf", "Week 52", "Baseline"),
                                                ("report_zh.pdf", "第52周", "基线")])
def test_pdf_names_visits_by_their_protocol_labels_not_codes(env, name, year, baseline) -> None:
    _db, d, *_ = env
    lines = [ln.strip() for ln in "\n".join(pages_text((d / name).read_bytes())).splitlines()]
    # the symptom table (one row per group at 1 year) and the change-from-baseline table
    assert sum(1 for ln in lines if f" {year} " in f" {ln} ") >= 4
    assert any(f" {baseline} " in f" {ln} " for ln in lines)
    codes = re.compile(r"(?:^| )(?:BL|W\d+|UNS\d*|ET)(?: |:|$)")
    assert not [ln for ln in lines if codes.search(ln)]


def test_zh_cn_alert_list_is_punctuated_in_chinese(env) -> None:
    _db, d, special, *_ = env
    lines = "\n".join(pages_text((d / "report_zh.pdf").read_bytes())).splitlines()
    alerts = [ln for ln in lines if ln.startswith(special["death"] + " ") and "（红色）" in ln]
    assert alerts, "the death alert of the demo is listed"
    assert all("：" in ln and ": " not in ln and "(红色)" not in ln for ln in alerts)
