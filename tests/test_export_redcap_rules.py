"""REDCap import rules, checked on the export of a demo database that has an unscheduled visit
and an early termination: the import file against the dictionary, the events, the repeating
events and the instrument-event map, as REDCap's importer checks them."""
from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from bench.export_db import build_small
from reports.export.commands import run_export
from storage import services as sv
from storage.db import open_database

SYSTEM = {"record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"}


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _fields(out):
    return {r["Variable / Field Name"]: r for r in read(out / "redcap_data_dictionary.csv")}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("rcr")
    db = open_database(f"sqlite:///{d / 'e.db'}")
    small = build_small(db)
    nurse = small.nurse
    pids = {p.subject_id: p.id for p in sv.list_patients(db)}
    uns = sv.add_unscheduled_visit(db, nurse, pids["S-001"], reason="jaundice",
                                   visit_date=date(2026, 1, 20))
    sv.enter_clinical_assessment(db, nurse, uns, {
        "sample_date": date(2026, 1, 20), "labs": {"bilirubin": {"value": 3.1}},
        "ascites": "moderate", "encephalopathy": "grade1-2",
        "symptom_grades": {"appetite": 3}, "vital_status": "alive",
        "imaging": {"liver_size_cm": 12.5, "new_lesion_hcc": "not_done"}})
    uns2 = sv.add_unscheduled_visit(db, nurse, pids["S-001"], reason="fever",
                                    visit_date=date(2026, 1, 22))
    sv.enter_clinical_assessment(db, nurse, uns2, {
        "sample_date": date(2026, 1, 22), "ascites": "none", "encephalopathy": "grade3-4",
        "symptom_grades": {}, "vital_status": "alive"})
    et = sv.add_early_termination_visit(db, nurse, pids["S-002"], reason="withdrew consent",
                                        visit_date=date(2026, 2, 1))
    sv.enter_clinical_assessment(db, nurse, et, {
        "sample_date": date(2026, 2, 1), "ascites": "none", "encephalopathy": "none",
        "symptom_grades": {}, "vital_status": "died", "death_date": date(2026, 2, 1)})
    run_export(db, small.investigator, "redcap", d / "rc")
    yield d / "rc"
    db.dispose()


def test_field_names_and_choices_follow_redcap_rules(out):
    fields = _fields(out)
    for name, f in fields.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name) and len(name) <= 26, name
        ch = f["Choices, Calculations, OR Slider Labels"]
        if f["Field Type"] in ("radio", "dropdown", "checkbox"):
            for part in ch.split(" | "):
                assert re.fullmatch(r"[A-Za-z0-9_]+, \S.*", part), (name, part)
        if f["Text Validation Min"] or f["Text Validation Max"]:
            assert f["Text Validation Type OR Show Slider Number"] in ("integer", "number")


def test_coded_clinical_and_subject_values_are_dropdowns(out):
    fields = _fields(out)
    ch = "Choices, Calculations, OR Slider Labels"
    codes = {n: [p.split(", ")[0] for p in f[ch].split(" | ")]
             for n, f in fields.items() if f["Field Type"] in ("radio", "dropdown")}
    assert codes["ascites"] == ["none", "slight", "moderate"]
    assert codes["encephalopathy"] == ["none", "grade1_2", "grade3_4"]
    assert codes["vital_status"] == ["alive", "died"]
    assert codes["arm"] == ["low", "medium", "high"]        # the protocol's arms
    assert codes["img_new_lesion_hcc"] == ["no", "yes", "not_done"]
    assert codes["lab_bilirubin_unit"] == ["mg_dL", "umol_L"]        # units accepted by forms.labs
    for s in ("appetite", "debilitation", "abdominal_distension", "lower_limb_edema"):
        assert codes[f"clin_{s}"] == ["0", "1", "2", "3"]
    f = fields["img_liver_size_cm"]
    assert (f["Text Validation Type OR Show Slider Number"], f["Text Validation Min"],
            f["Text Validation Max"]) == ("number", "1.0", "40.0")
    assert fields["meld"]["Text Validation Max"] == "40"
    for n in ("birth_year", "day1_date", "consent_date", "lab_sample_date", "death_date"):
        assert fields[n]["Identifier?"] == "y", n
    assert fields["sex"]["Identifier?"] == ""


def test_events_file_has_day_offsets_and_windows(out):
    ev = {r["unique_event_name"]: r for r in read(out / "redcap_events.csv")}
    assert (ev["bl_arm_1"]["day_offset"], ev["bl_arm_1"]["offset_min"],
            ev["bl_arm_1"]["offset_max"]) == ("0", "7", "0")      # day 1, window -7..1
    assert (ev["w1_arm_1"]["day_offset"], ev["w1_arm_1"]["offset_min"],
            ev["w1_arm_1"]["offset_max"]) == ("7", "1", "1")      # day 8, window 7..9
    assert ev["w52_arm_1"]["day_offset"] == "364"
    assert ev["et_arm_1"]["day_offset"] == "" and ev["uns_arm_1"]["day_offset"] == ""
    assert {r["arm_num"] for r in ev.values()} == {"1"}
    rep = read(out / "redcap_repeating_events.csv")
    assert rep == [{"event_name": "uns_arm_1", "form_name": "", "custom_form_label": ""}]


def test_import_file_is_accepted_by_redcaps_rules(out):
    fields = _fields(out)
    forms = {f["Form Name"] for f in fields.values()}
    events = {r["unique_event_name"] for r in read(out / "redcap_events.csv")}
    mapped = {(r["unique_event_name"], r["form"]) for r in
              read(out / "redcap_instrument_event_map.csv")}
    assert {e for e, _ in mapped} == events
    repeating = {r["event_name"] for r in read(out / "redcap_repeating_events.csv")}
    rows = read(out / "redcap_import.csv")
    keys = set()
    for r in rows:
        ev = r["redcap_event_name"]
        assert ev in events, ev
        if ev in repeating:                   # whole event repeats: no instrument, an instance
            assert r["redcap_repeat_instrument"] == "" and int(r["redcap_repeat_instance"]) >= 1
        else:
            assert r["redcap_repeat_instrument"] == r["redcap_repeat_instance"] == ""
        key = (r["record_id"], ev, r["redcap_repeat_instance"])
        assert key not in keys
        keys.add(key)
        for col, val in r.items():
            if col in SYSTEM:
                continue
            if col.endswith("_complete") and col[:-9] in forms:
                form = col[:-9]
                assert val in ("", "0", "1", "2")
            else:
                assert col in fields, col
                f = fields[col]
                form = f["Form Name"]
                if val and f["Field Type"] in ("radio", "dropdown"):
                    listed = [p.split(", ")[0] for p in
                              f["Choices, Calculations, OR Slider Labels"].split(" | ")]
                    assert val in listed, (col, val)
                if val and f["Field Type"] == "yesno":
                    assert val in ("0", "1")
                if val and f["Text Validation Type OR Show Slider Number"] in ("integer", "number"):
                    x = float(val)
                    lo, hi = f["Text Validation Min"], f["Text Validation Max"]
                    assert (not lo or x >= float(lo)) and (not hi or x <= float(hi)), (col, val)
                if val and f["Text Validation Type OR Show Slider Number"] == "date_ymd":
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d", val)
            if val:
                assert (ev, form) in mapped, (col, ev)
    by = {(r["record_id"], r["redcap_event_name"], r["redcap_repeat_instance"]): r for r in rows}
    u1 = by[("S-001", "uns_arm_1", "1")]
    assert by[("S-001", "bl_arm_1", "")]["lab_bilirubin_unit"] == "umol_L"
    assert (u1["ascites"], u1["encephalopathy"], u1["clin_appetite"]) == \
        ("moderate", "grade1_2", "3")
    assert (u1["img_liver_size_cm"], u1["img_new_lesion_hcc"]) == ("12.5", "not_done")
    assert by[("S-001", "uns_arm_1", "2")]["encephalopathy"] == "grade3_4"   # UNS2: instance 2
    et = by[("S-002", "et_arm_1", "")]
    assert (et["vital_status"], et["death_date"]) == ("died", "2026-02-01")
