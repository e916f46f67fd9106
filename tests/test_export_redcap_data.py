"""REDCap import file: consistent with the dictionary and event map; values round-trip."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from bench.export_db import build_small
from reports.export.commands import run_export
from storage.db import open_database
from storage.models import Administration, Answer, Visit


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    d = tmp_path_factory.mktemp("rc")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    detail = run_export(db, small.investigator, "redcap", d / "rc")
    yield db, small, d / "rc", detail
    db.dispose()


def test_import_columns_are_dictionary_fields_plus_event_and_complete(env):
    _, _, out, detail = env
    assert set(detail["files"]) == {"redcap_data_dictionary.csv", "redcap_import.csv",
                                    "redcap_instrument_event_map.csv", "redcap_events.csv",
                                    "redcap_repeating_events.csv"}
    dd = read(out / "redcap_data_dictionary.csv")
    fields = {r["Variable / Field Name"]: r["Form Name"] for r in dd}
    forms = set(fields.values())
    with (out / "redcap_import.csv").open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[:4] == ["record_id", "redcap_event_name", "redcap_repeat_instrument",
                          "redcap_repeat_instance"]
    for col in header[4:]:
        if col.endswith("_complete"):
            assert col[:-len("_complete")] in forms
        else:                                # a checkbox's column: <field>___<code>
            assert col.split("___")[0] in fields, col
    assert {f"{f}_complete" for f in forms} <= set(header)


def test_rows_use_mapped_events_and_only_fields_of_forms_on_that_event(env):
    _, _, out, _ = env
    emap = read(out / "redcap_instrument_event_map.csv")
    mapped = {(r["unique_event_name"], r["form"]) for r in emap}
    dd = {r["Variable / Field Name"]: r["Form Name"] for r in read(out / "redcap_data_dictionary.csv")}
    rows = read(out / "redcap_import.csv")
    assert {(r["record_id"], r["redcap_event_name"]) for r in rows} == {
        ("S-001", "bl_arm_1"), ("S-001", "w1_arm_1"), ("S-002", "bl_arm_1"),
        ("S-003", "bl_arm_1")}  # enrolled, no answers yet: the record and its subject form
    for r in rows:
        for col, val in r.items():
            if val and col not in ("record_id", "redcap_event_name", "redcap_repeat_instrument",
                                   "redcap_repeat_instance"):
                form = col[:-len("_complete")] if col.endswith("_complete") else \
                    dd[col.split("___")[0]]
                assert (r["redcap_event_name"], form) in mapped, (col, r["redcap_event_name"])


def test_answers_and_completion_status_round_trip(env):
    db, _, out, _ = env
    rows = {(r["record_id"], r["redcap_event_name"]): r for r in read(out / "redcap_import.csv")}
    with db.session() as s:
        q = (select(Answer, Administration.status, Visit.code)
             .join(Administration, Administration.id == Answer.administration_id)
             .join(Visit, Visit.id == Administration.visit_id))
        n = 0
        for ans, status, code in s.execute(q):
            sid = "S-001" if ans.administration_id <= 4 else "S-002"
            r = rows[(sid, f"{code.lower()}_arm_1")]
            var = f"{ans.instrument_id}_{ans.item_id}".lower()
            assert r[var] == ("" if ans.code is None or ans.status != "answered" else str(ans.code))
            assert r[f"{ans.instrument_id}_complete"] == ("2" if status == "submitted" else "0")
            n += 1
    assert n > 100
    base = rows[("S-001", "bl_arm_1")]
    assert base["sex"] == "F" and base["day1_date"] == "2026-01-05"
    assert base["lab_bilirubin"] == "34.2" and base["clinical_complete"] == "2"
    assert rows[("S-001", "w1_arm_1")]["sex"] == ""   # subject form only on its own event
