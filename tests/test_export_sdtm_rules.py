"""SDTM QS rules of issue 17: one QSTEST per QSTESTCD (<= 40 ASCII characters, documented
abbreviation), QSDRVFL on derived scores, QSLOBXFL at baseline, QSEVLINT per item, controlled
QSREASND -- on the export of a demo database with an unscheduled visit and early termination."""
from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date

import pytest

from bench.export_db import INJECTION_NAME, build_small
from reports.export.commands import run_export
from reports.export.scoredefs import score_defs
from reports.export.sdtm import REASND, qstest_names
from reports.export.sdtm_meta import DATASETS
from reports.export.sdtm_outcomes import actual_arm
from reports.export.sdtm_package import dataset_files
from reports.export.variables import instruments
from sdtm_package_fixtures import env, present  # noqa: F401
from storage import services as sv
from storage.db import open_database
from storage.models import SKIP_REASONS


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("qsr")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    pids = {p.subject_id: p.id for p in sv.list_patients(db)}
    sv.add_unscheduled_visit(db, small.nurse, pids["S-001"], reason="jaundice",
                             visit_date=date(2026, 1, 20))
    sv.add_early_termination_visit(db, small.nurse, pids["S-002"], reason="withdrew",
                                   visit_date=date(2026, 2, 1))
    detail = run_export(db, small.investigator, "sdtm-qs", d / "qs.csv")
    assert set(detail["files"]) == {"qs.csv", "qs_testcodes.csv", "qs_dm.csv", "qs_suppqs.csv"}
    yield d
    db.dispose()


@pytest.fixture(scope="module")
def rows(out):
    return read(out / "qs.csv")


@pytest.fixture(scope="module")
def side(out):
    return read(out / "qs_dm.csv"), read(out / "qs_suppqs.csv")


def test_qstest_is_unique_per_testcd_short_and_ascii():
    names = qstest_names(instruments())
    assert len(set(names.values())) == len(names)
    for cd, t in names.items():
        assert len(t) <= 40 and t.isascii() and t == t.strip(), (cd, t)
    assert names["R36Q05"] == "Lifting or carrying groceries"        # short: as is
    assert names["CSCS3"] == "How bad was itching of your skin?"     # recall phrase dropped
    assert names["R36Q03"].endswith("(R36Q03)")                      # long: cut + code


def test_rows_use_one_qstest_per_code(rows):
    by_code = defaultdict(set)
    for r in rows:
        by_code[r["QSTESTCD"]].add(r["QSTEST"])
    assert all(len(v) == 1 for v in by_code.values())
    tests = [next(iter(v)) for v in by_code.values()]
    assert len(tests) == len(set(tests))


def test_derived_flag_baseline_flag_and_intervals(rows):
    score_codes = {d for d in ("SF36PCS", "RANDPF", "CSCRSS")}
    for r in rows:
        if r["QSTESTCD"] in score_codes:
            assert r["QSDRVFL"] == "Y"
        elif r["QSTESTCD"].startswith(("R36Q", "CSCC")):
            assert r["QSDRVFL"] == ""
    s1 = [r for r in rows if r["USUBJID"].endswith("S-001")]
    flagged = [r for r in s1 if r["QSLOBXFL"] == "Y"]
    assert flagged and {r["VISIT"] for r in flagged} == {"BL"}
    assert all(r["QSSTRESC"] for r in flagged)
    assert len({r["QSTESTCD"] for r in flagged}) == len(flagged)
    assert not any(r["QSLOBXFL"] for r in s1 if r["VISIT"] != "BL")
    # R36Q07 skipped at baseline: no baseline value to flag
    assert not any(r["QSTESTCD"] == "R36Q07" for r in flagged)
    ev = {r["QSTESTCD"]: r["QSEVLINT"] for r in rows}
    assert (ev["R36Q02"], ev["R36Q13"], ev["R36Q03"], ev["CSCC1"]) == ("-P1Y", "-P4W", "", "-P7D")


def test_reasnd_is_controlled(rows):
    assert set(REASND) == set(SKIP_REASONS)
    allowed = set(REASND.values())
    got = {r["QSREASND"] for r in rows if r["QSREASND"]}
    assert got and got <= allowed
    assert all(v == v.upper() for v in allowed)


def test_dm_has_one_row_per_subject_with_the_arm(side):
    dm, _ = side
    assert [r["SUBJID"] for r in dm] == ["S-001", "S-002", "S-003"]
    labels = {"LOW", "MEDIUM", "HIGH"}
    for r in dm:
        assert r["DOMAIN"] == "DM" and r["ARMCD"] in labels
        assert (r["ACTARMCD"], r["ACTARM"]) == ("NOTTRT", "Not Treated")   # no infusion record
        assert r["ARM"] and r["RFSTDTC"] == "2026-01-05" and r["SEX"] == "F"


def test_suppqs_gives_language_and_text_version_per_item_row(rows, side):
    _, supp = side
    items = {(r["USUBJID"], r["QSSEQ"]): r for r in rows if r["QSDRVFL"] != "Y"}
    lang = {(r["USUBJID"], r["IDVARVAL"]): r["QVAL"] for r in supp if r["QNAM"] == "QSLANG"}
    assert set(lang) == set(items)
    assert {r["RDOMAIN"] for r in supp} == {"QS"} and {r["IDVAR"] for r in supp} == {"QSSEQ"}
    by_cat = {(items[k]["QSCAT"], v) for k, v in lang.items()}
    assert ("CIRRHOSIS SYMPTOM CHECKLIST 1.0", "zh_CN") in by_cat
    assert all(len(r["QNAM"]) <= 8 for r in supp)


def test_the_rules_hold_on_the_demo_package(env):
    """The same rules on the ``--format sdtm`` package of the demo database (unscheduled visits,
    early terminations, a death; made through the services), plus unique keys: define.xml's
    QS keys, USUBJID+QSTESTCD+VISITNUM+QSDTC, and every --SEQ per subject."""
    db, out, _ = env
    qs = read(out / "qs.csv")
    names = qstest_names(instruments())
    assert all(names[r["QSTESTCD"]] == r["QSTEST"] for r in qs if r["QSTESTCD"] != "QSALL")
    scores = {d.sdtm_testcd for i in instruments() for d in score_defs(i.id)}
    assert {r["QSTESTCD"] for r in qs if r["QSDRVFL"] == "Y"} == scores
    assert not any(r["QSDRVFL"] for r in qs if r["QSTESTCD"] not in scores)
    flagged = [(r["USUBJID"], r["QSTESTCD"]) for r in qs if r["QSLOBXFL"] == "Y"]
    assert flagged and len(flagged) == len(set(flagged))
    assert {r["VISIT"] for r in qs if r["QSLOBXFL"]} == {"BL"}
    ev = {(r["QSTESTCD"], r["QSEVLINT"]) for r in qs}
    assert {("R36Q02", "-P1Y"), ("R36Q13", "-P4W"), ("R36Q01", ""), ("CSCC1", "-P7D")} <= ev
    assert len({cd for cd, _ in ev}) == len(ev)                 # one interval per test
    assert {r["QSREASND"] for r in qs if r["QSREASND"]} <= set(REASND.values())
    assert {r["QSSTAT"] for r in qs} <= {"", "NOT DONE"}
    dm = read(out / "dm.csv")
    assert all(r["ARMCD"] and r["ARM"] and r["ACTARMCD"] and r["ACTARM"] for r in dm)
    given = {sv.get_patient(db, r.patient_id).subject_id: r.fields["arm"].upper()
             for r in sv.list_outcomes(db) if r.kind == "infusion"}
    assert {r["SUBJID"]: r["ACTARMCD"] for r in dm} == {   # the arm given, else not treated
        r["SUBJID"]: given.get(r["SUBJID"], "NOTTRT") for r in dm}
    supp = {(r["USUBJID"], r["IDVARVAL"], r["QNAM"]) for r in read(out / "suppqs.csv")}
    for r in qs:
        if r["QSTESTCD"] not in scores:
            assert {(r["USUBJID"], r["QSSEQ"], q) for q in ("QSLANG", "QSTXTVER")} <= supp
    for ds in present(out):
        rows = read(out / dataset_files(ds)[1])
        if ds.name == "QS":
            assert len(rows) == len({(r["USUBJID"], r["QSTESTCD"], r["VISITNUM"], r["QSDTC"])
                                     for r in rows})
        assert len(rows) == len({tuple(r[k] for k in ds.keys) for r in rows}), ds.name
        seq = f"{ds.name}SEQ"
        if rows and seq in rows[0]:                             # TS: per parameter
            per = "TSPARMCD" if ds.name == "TS" else "USUBJID"
            assert len(rows) == len({(r[per], r[seq]) for r in rows}), ds.name
    assert {ds.name for ds in present(out)} >= {d.name for d in DATASETS
                                                 if not d.name.startswith("SUPP")}


def test_no_patient_name_in_any_file(out):
    """Two subjects of the small study have full names stored: no sdtm-qs file holds one."""
    files = sorted(out.glob("qs*.csv"))
    assert len(files) == 4
    for f in files:
        text = f.read_text(encoding="utf-8-sig")
        assert all(name not in text for name in (INJECTION_NAME, "李小龙")), f.name


def test_actual_arm_follows_the_infusion_records() -> None:
    """SDTMIG 3.2 DM: ACTARMCD is the arm given (the infusion records), NOTTRT before any,
    UNPLAN when the records name different arms; the planned arm when no infusion is recorded
    by the protocol."""
    labels = {"low": "Low dose", "high": "High dose"}
    assert actual_arm("low", ["high"], labels) == ("HIGH", "High dose")
    assert actual_arm("low", ["low", "low"], labels) == ("LOW", "Low dose")
    assert actual_arm("low", [], labels) == ("NOTTRT", "Not Treated")
    assert actual_arm("low", ["low", "high"], labels) == ("UNPLAN", "Unplanned Treatment")
    assert actual_arm("low", None, labels) == ("LOW", "Low dose")
