"""Issue 17's receiving rules for ``--format csv``, checked on the export of a demo database
with full names stored, an unscheduled visit, two early terminations (one a death) and adverse
events, as a data manager loads it: a dictionary row for every column of every file, pandas
reads every file with the dictionary's types, every value of its type / codes / range, one type
per value column (alert levels apart), one name per score in every file, the site filled, and no
full name or initials anywhere."""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict

import pandas as pd
import pytest
from sqlalchemy import select

from reports.export.commands import run_export
from reports.export.csv_folder import FILES
from storage import demo
from storage import services as sv
from storage.db import open_database
from storage.models import Patient

WIDE_KINDS = ("id", "item", "score")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMATS = {"date": r"\d{4}-\d\d-\d\d", "time": r"\d\d:\d\d",
            "datetime": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"}
_PANDAS = {"integer": "Int64", "boolean": "Int64", "float": "float64"}


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def header(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory):
    d = tmp_path_factory.mktemp("csvrules")
    db = open_database(f"sqlite:///{d / 'demo.db'}")
    demo.generate_demo_data(db, patients=5, seed=1, full_names=True)
    inv = sv.authenticate(db, "investigator", "trial-demo-1", station_id="WS-1")
    run_export(db, inv, "csv", d / "csv")
    yield d / "csv", db
    db.dispose()


@pytest.fixture(scope="module")
def dictionary(demo_csv):
    """file -> variable -> dictionary row (``kind`` id/item/score: the wide file)."""
    out, _ = demo_csv
    by_file: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in read(out / "data_dictionary.csv"):
        f = "administrations_wide.csv" if r["kind"] in WIDE_KINDS else r["kind"]
        assert r["variable"] not in by_file[f], (f, r["variable"])
        by_file[f][r["variable"]] = r
    return by_file


def test_the_demo_has_what_the_issue_asks_for(demo_csv):
    out, _ = demo_csv
    visits = {r["visit"] for name in ("hcc.csv", "early_termination.csv", "clinical.csv")
              for r in read(out / name)}
    assert "UNS1" in visits and "ET" in visits
    subjects = {r["disposition"] for r in read(out / "subjects.csv")}
    assert {"died", "terminated"} <= subjects
    assert read(out / "adverse_events.csv") and read(out / "early_termination.csv")


def test_every_column_of_every_file_has_its_dictionary_row(demo_csv, dictionary):
    out, _ = demo_csv
    for name in FILES:
        if name == "data_dictionary.csv":
            continue
        cols = header(out / name)
        assert len(cols) == len(set(cols)), name            # infusions.csv had "arm" twice
        assert set(cols) == set(dictionary[name]), (name, set(cols) ^ set(dictionary[name]))


def _codes(row):
    """The codes of a dictionary row, all in one format: ``code=label | code=label``."""
    parts = row["codes"].split(" | ")
    assert all(re.fullmatch(r"[^=|]+=[^|]+", p) for p in parts), row
    return {p.split("=")[0] for p in parts}


def test_pandas_reads_every_file_with_the_dictionary_types_and_values_fit(demo_csv,
                                                                          dictionary):
    out, _ = demo_csv
    for name, variables in dictionary.items():
        types = {v: _PANDAS.get(r["type"], "string") for v, r in variables.items()}
        df = pd.read_csv(out / name, encoding="utf-8-sig", dtype=types,
                         keep_default_na=False, na_values=[""])
        for col, r in variables.items():
            values = [str(v) for v in df[col].dropna()]
            typ = r["type"]
            if typ in _FORMATS:
                assert all(re.fullmatch(_FORMATS[typ], v) for v in values), (name, col)
            if typ == "json":
                for v in values:
                    json.loads(v)
            if typ in ("text", "choice", "codes") and values and not r["codes"]:
                # a numeric column declared text (record ids, survival days) was one
                assert not all(_NUMBER.fullmatch(v) for v in values) or \
                    col.endswith("version"), (name, col)
            if r["codes"]:
                given = [x for v in values for x in (v.split(";") if typ == "codes" else [v])]
                assert set(given) <= _codes(r), (name, col, set(given) - _codes(r))
            if typ in ("integer", "float") and (r["minimum"] or r["maximum"]):
                lo, hi = (float(x) if x else None for x in (r["minimum"], r["maximum"]))
                assert all((lo is None or float(v) >= lo) and (hi is None or float(v) <= hi)
                           for v in values), (name, col)


def test_value_columns_hold_one_type_and_alert_levels_their_own(demo_csv):
    out, _ = demo_csv
    scores = read(out / "scores.csv")
    for r in scores:
        assert r["value"] == "" or _NUMBER.fullmatch(r["value"]), r
        assert sum(bool(r[c]) for c in ("value", "level", "detail_json")) <= 1, r
    assert {r["level"] for r in scores if r["score"] == "csc_alert"} >= {"red", "amber"}
    assert not [r for r in scores if r["score"] == "csc_alert" and r["value"]]
    clinical = read(out / "clinical.csv")
    for r in clinical:
        assert r["value"] == "" or _NUMBER.fullmatch(r["value"]), r
        assert not (r["value"] and r["text_value"]), r
        assert not r["text_value"].startswith(("{", "[")), r      # no JSON in a value column
    by_field = {r["field"]: r for r in clinical}
    assert by_field["ascites"]["text_value"] and by_field["labs.bilirubin"]["value"]
    assert by_field["derived.meld.formula_id"]["text_value"] == "MELD-UNOS-2002"


def test_one_name_per_score_in_every_file(demo_csv, dictionary):
    out, _ = demo_csv
    wide = read(out / "administrations_wide.csv")
    score_names = {v for v, r in dictionary["administrations_wide.csv"].items()
                   if r["kind"] == "score"}
    long = read(out / "scores.csv")
    assert "csc_rss" in {r["score"] for r in long} and "rss" not in {r["score"] for r in long}
    by_admin = {r["administration_id"]: r for r in wide if r["administration_id"]}
    compared = 0
    for r in long:
        if r["score"] in score_names:            # the same value under the same name
            w = by_admin[r["administration_id"]][r["score"]]
            assert w == (r["value"] or r["level"]), r
            compared += 1
    assert compared > 100
    measures = header(out / "visit_measures.csv")
    assert {"csc_rss", "csc_tsb"} <= set(measures) and {"csc_rss", "csc_tsb"} <= score_names


def test_site_is_filled_in_every_file_that_has_it(demo_csv):
    out, db = demo_csv
    site = sv.current_protocol(db).only_site["id"]
    for name in ("administrations_wide.csv", "subjects.csv"):
        assert {r["site"] for r in read(out / name)} == {site}, name


def test_no_full_name_or_initials_anywhere(demo_csv):
    out, db = demo_csv
    with db.session() as s:
        people = s.execute(select(Patient.full_name, Patient.initials)).all()
    names = {n for n, _ in people if n}
    initials = {i for _, i in people}
    assert len(names) == 5
    cell = re.compile(r"(?:^|[,\"'\[:\s])(%s)(?:$|[,\"'\]\s])" % "|".join(initials), re.M)
    for name in FILES:
        text = (out / name).read_text(encoding="utf-8-sig")
        assert not [n for n in names if n in text], name
        assert not cell.findall(text), (name, cell.findall(text)[:3])


def test_vital_status_and_imaging_are_typed_rows_not_json(demo_csv, tmp_path):
    """clinical.csv wrote the stored JSON of vital status / imaging into ``value``."""
    _, db = demo_csv
    nurse = sv.authenticate(db, "nurse", "ward-demo-1", station_id="WS-1")
    pid = sv.find_patient(db, "DEMO-0004").id
    uns = next(v for v in sv.patient_visits(db, pid) if v.code == "UNS1")
    sv.enter_clinical_assessment(db, nurse, uns.id, {
        "sample_date": uns.actual_date, "ascites": "none", "encephalopathy": "none",
        "symptom_grades": {}, "vital_status": "died", "death_date": uns.actual_date,
        "imaging": {"liver_size_cm": 12.5, "new_lesion_hcc": "not_done"}})
    inv = sv.authenticate(db, "investigator", "trial-demo-1", station_id="WS-1")
    run_export(db, inv, "csv", tmp_path / "csv", subject="DEMO-0004")
    got = {r["field"]: (r["value"], r["text_value"], r["unit"])
           for r in read(tmp_path / "csv" / "clinical.csv") if r["visit"] == "UNS1"}
    assert got["vital_status.status"] == ("", "died", "")
    assert got["vital_status.death_date"] == ("", uns.actual_date.isoformat(), "")
    assert got["imaging.liver_size_cm"] == ("12.5", "", "cm")
    assert got["imaging.new_lesion_hcc"] == ("", "not_done", "")


def test_no_full_date_of_birth_anywhere_but_year_and_age(demo_csv):
    """enrolment.csv and the audit trail's screening inputs carried the full date of birth (an
    identifier; REDCap and SDTM give the year): now the year and the age at screening."""
    out, db = demo_csv
    births = {s: rec.screening for s, rec in sv.enrolment_records(db)}
    assert len(births) == 5
    for name in FILES:
        text = (out / name).read_text(encoding="utf-8-sig")
        assert not [s for s, r in births.items() if r.birth_date.isoformat() in text], name
    rows = {r["subject_id"]: r for r in read(out / "enrolment.csv")}
    for sid, raw in births.items():
        years = (raw.screening_date - raw.birth_date).days / 365.25
        assert rows[sid]["birth_year"] == str(raw.birth_date.year)
        assert abs(int(rows[sid]["age_at_screening"]) - years) < 1
    inputs = [json.loads(json.loads(r["changes"])["inputs"][1]) for r in read(out / "audit.csv")
              if r["entity"] == "enrolment" and '"inputs"' in r["changes"]]
    assert len(inputs) == 5 and {i["birth_date"] for i in inputs} == {"WITHHELD"}


def test_arm_columns_are_coded_with_the_protocols_arms(demo_csv, dictionary):
    _, db = demo_csv
    arms = {a.id for a in sv.current_protocol(db).arms}
    for name, col in (("subjects.csv", "arm"), ("visit_measures.csv", "arm"),
                      ("infusions.csv", "arm"), ("infusions.csv", "infusion_arm"),
                      ("adverse_events.csv", "arm")):
        assert _codes(dictionary[name][col]) == arms, (name, col)
