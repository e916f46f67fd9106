"""REDCap import rules, checked on the export of a small database that has unscheduled visits
and an early termination, and of the demo database (outcome records: imaging, infusions, AEs
with an SAE, a death, an early termination, an HCC diagnosis at an unscheduled visit): the import
file against the dictionary, the events, the repeating events / instruments and the
instrument-event map, as REDCap's importer checks them."""
from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from bench.export_db import build_small
from reports.export.commands import run_export
from storage import demo
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


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    d = tmp_path_factory.mktemp("rcdemo")
    db = open_database(f"sqlite:///{d / 'demo.db'}")
    demo.generate_demo_data(db, patients=5, seed=1)
    nurse = sv.authenticate(db, "nurse", "ward-demo-1", station_id="WS-1")
    pid = next(p.id for p in sv.list_patients(db) if p.subject_id == "DEMO-0001")
    bl = next(v for v in sv.patient_visits(db, pid) if v.code == "BL")
    sv.record_outcome(db, nurse, pid, "imaging", {     # a second imaging record at one visit
        "date": bl.actual_date, "modality": "ct", "liver_size_cm": 12.0}, visit_id=bl.id)
    inv = sv.authenticate(db, "investigator", "trial-demo-1", station_id="WS-1")
    run_export(db, inv, "redcap", d / "rc")
    yield d / "rc", db
    db.dispose()


@pytest.fixture(params=["small", "demo"])
def any_out(request):
    return request.getfixturevalue("out") if request.param == "small" else \
        request.getfixturevalue("demo_out")[0]


def test_field_names_and_choices_follow_redcap_rules(any_out):
    fields = _fields(any_out)
    names = [r["Variable / Field Name"] for r in read(any_out / "redcap_data_dictionary.csv")]
    assert len(names) == len(set(names))
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
    assert (ev["scr_arm_1"]["day_offset"], ev["scr_arm_1"]["offset_min"],
            ev["scr_arm_1"]["offset_max"]) == ("-1", "13", "0")   # day -1, window -14..-1
    assert ev["d1_arm_1"]["day_offset"] == "0"
    assert list(ev)[:3] == ["scr_arm_1", "bl_arm_1", "d1_arm_1"]
    assert list(ev)[-1] == "outcome_log_arm_1"
    rep = read(out / "redcap_repeating_events.csv")
    assert rep[0] == {"event_name": "uns_arm_1", "form_name": "", "custom_form_label": ""}
    assert [(r["event_name"], r["form_name"]) for r in rep[1:]] == [
        ("outcome_log_arm_1", f) for f in ("imaging", "hcc", "vital_status",
                                            "early_termination", "adverse_event", "infusion")]


def _listed(f):
    return [p.split(", ")[0] for p in f["Choices, Calculations, OR Slider Labels"].split(" | ")]


def check_import_rules(out):
    """Every row and value of redcap_import.csv as REDCap's importer checks them; returns the
    rows."""
    fields = _fields(out)
    forms = {f["Form Name"] for f in fields.values()}
    events = {r["unique_event_name"] for r in read(out / "redcap_events.csv")}
    mapped = {(r["unique_event_name"], r["form"]) for r in
              read(out / "redcap_instrument_event_map.csv")}
    assert {e for e, _ in mapped} == events
    assert {f for _, f in mapped} == forms - {""}
    rep = read(out / "redcap_repeating_events.csv")
    whole = {r["event_name"] for r in rep if not r["form_name"]}
    repeating = {(r["event_name"], r["form_name"]) for r in rep if r["form_name"]}
    assert repeating <= mapped and not whole & {e for e, _ in repeating}
    rows = read(out / "redcap_import.csv")
    keys = set()
    for r in rows:
        ev, instrument = r["redcap_event_name"], r["redcap_repeat_instrument"]
        assert ev in events, ev
        if ev in whole:                       # whole event repeats: no instrument, an instance
            assert instrument == "" and int(r["redcap_repeat_instance"]) >= 1
        elif instrument:                      # a repeating instrument on this event
            assert (ev, instrument) in repeating and int(r["redcap_repeat_instance"]) >= 1
        else:
            assert r["redcap_repeat_instance"] == ""
        key = (r["record_id"], ev, instrument, r["redcap_repeat_instance"])
        assert key not in keys
        keys.add(key)
        for col, val in r.items():
            if col in SYSTEM:
                continue
            if col.endswith("_complete") and col[:-9] in forms:
                form = col[:-9]
                assert val in ("", "0", "1", "2")
            elif "___" in col:                # checkbox: <field>___<code> = 0/1
                name, code = col.split("___")
                f = fields[name]
                assert f["Field Type"] == "checkbox" and code in _listed(f), col
                assert val in ("", "0", "1"), (col, val)
                form = f["Form Name"]
            else:
                assert col in fields, col
                f = fields[col]
                form = f["Form Name"]
                assert f["Field Type"] != "checkbox", col
                if val and f["Field Type"] in ("radio", "dropdown"):
                    assert val in _listed(f), (col, val)
                if val and f["Field Type"] == "yesno":
                    assert val in ("0", "1")
                valid = f["Text Validation Type OR Show Slider Number"]
                if val and valid in ("integer", "number"):
                    x = float(val)
                    assert valid == "number" or re.fullmatch(r"-?\d+", val), (col, val)
                    lo, hi = f["Text Validation Min"], f["Text Validation Max"]
                    assert (not lo or x >= float(lo)) and (not hi or x <= float(hi)), (col, val)
                if val and valid == "date_ymd":
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d", val)
                if val and valid == "time":
                    assert re.fullmatch(r"\d\d:\d\d", val)
            if val:
                assert (ev, form) in mapped, (col, ev)
                assert not instrument or form == instrument, (col, instrument)
    return rows


def test_import_file_is_accepted_by_redcaps_rules(out):
    rows = check_import_rules(out)
    by = {(r["record_id"], r["redcap_event_name"], r["redcap_repeat_instance"]): r for r in rows}
    u1 = by[("S-001", "uns_arm_1", "1")]
    assert by[("S-001", "bl_arm_1", "")]["lab_bilirubin_unit"] == "umol_L"
    assert (u1["ascites"], u1["encephalopathy"], u1["clin_appetite"]) == \
        ("moderate", "grade1_2", "3")
    assert (u1["img_liver_size_cm"], u1["img_new_lesion_hcc"]) == ("12.5", "not_done")
    assert by[("S-001", "uns_arm_1", "2")]["encephalopathy"] == "grade3_4"   # UNS2: instance 2
    et = by[("S-002", "et_arm_1", "")]
    assert (et["vital_status"], et["death_date"]) == ("died", "2026-02-01")


def test_demo_outcome_records_follow_redcaps_rules_and_each_is_exported_once(demo_out):
    out, db = demo_out
    rows = check_import_rules(out)
    prefix = {"imaging": "im", "hcc": "hcc", "vital_status": "vs", "early_termination": "et",
              "adverse_event": "ae", "infusion": "inf"}
    got = sorted((r["record_id"], kind, int(r[f"{p}_record"])) for r in rows
                 for kind, p in prefix.items() if r[f"{p}_record"])
    stored = sorted((r.subject_id, r.kind, r.id) for r in sv.list_outcomes(db))
    assert got == stored and len(stored) > 30
    fields = _fields(out)
    assert fields["ae_grade"]["Field Type"] == "dropdown"                # CTCAE grade, coded
    assert _listed(fields["ae_grade"]) == ["1", "2", "3", "4", "5"]
    assert fields["ae_serious_criteria"]["Field Type"] == "checkbox"
    assert fields["ae_serious_criteria"]["Branching Logic (Show field only if...)"] == \
        "[ae_serious] = 'yes'"
    assert _listed(fields["ae_action"]) == ["none", "dose_changed", "withdrawn", "other"]
    assert _listed(fields["ae_relatedness"])[0] == "not"
    assert _listed(fields["im_modality"]) == ["ultrasound", "ct", "mri"]
    assert _listed(fields["hcc_basis"]) == ["imaging", "afp", "pathology"]
    assert "withdrew_consent" in _listed(fields["et_reason"])
    assert _listed(fields["inf_arm"]) == ["low", "medium", "high"]
    assert _listed(fields["ds_disposition"]) == ["completed", "terminated", "died", "ongoing"]
    assert fields["im_liver_size_cm"]["Field Note"] == "unit cm"
    assert (fields["im_portal_vein_mm"]["Text Validation Min"],
            fields["im_portal_vein_mm"]["Text Validation Max"]) == ("3", "40")
    assert fields["inf_start_time"]["Text Validation Type OR Show Slider Number"] == "time"
    assert fields["ae_record"]["Field Annotation"] == "Set by ePRO Desk @READONLY"
    for n in ("ae_onset", "vs_death_date", "et_date", "ds_death_date", "ds_last_known_alive"):
        assert fields[n]["Identifier?"] == "y", n
    by = {}
    for r in rows:
        by.setdefault((r["record_id"], r["redcap_event_name"]), []).append(r)
    (et2,) = by[("DEMO-0002", "et_arm_1")]                     # the death, at the ET visit
    assert (et2["vs_status"], et2["vs_death_date"], et2["et_reason"]) == \
        ("dead", et2["et_date"], "death")
    (bl2,) = by[("DEMO-0002", "bl_arm_1")]
    assert (bl2["ds_disposition"], bl2["ds_death_date"], bl2["ds_os_event"]) == \
        ("died", et2["vs_death_date"], "1")
    (et3,) = by[("DEMO-0003", "et_arm_1")]
    assert et3["et_reason"] == "withdrew_consent"
    aes = by[("DEMO-0002", "outcome_log_arm_1")]                 # AEs: a repeating instrument
    assert [(a["redcap_repeat_instrument"], a["redcap_repeat_instance"]) for a in aes] == \
        [("adverse_event", str(n)) for n in range(1, len(aes) + 1)]
    sae = next(a for a in aes if a["ae_grade"] == "5")
    assert (sae["ae_serious"], sae["ae_serious_criteria___death"], sae["ae_outcome"],
            sae["ae_visit"]) == ("yes", "1", "fatal", "ET")
    (uns,) = by[("DEMO-0004", "uns_arm_1")]                     # HCC at the unscheduled visit
    assert (uns["redcap_repeat_instance"], uns["hcc_hcc_diagnosis"], uns["hcc_basis___imaging"],
            uns["hcc_basis___afp"], uns["hcc_basis___pathology"]) == ("1", "yes", "1", "1", "0")
    assert by[("DEMO-0004", "bl_arm_1")][0]["ds_hcc_date"] == uns["hcc_diagnosis_date"]
    for sid in ("DEMO-0001", "DEMO-0003"):                       # records without a visit
        (scr,) = by[(sid, "scr_arm_1")]
        (d1,) = by[(sid, "d1_arm_1")]
        assert scr["im_visit"] == "" and scr["imaging_complete"] == "2"
        assert d1["inf_arm"] in ("low", "medium", "high") and d1["inf_start_time"] == "09:30"
    log1 = [r for r in by[("DEMO-0001", "outcome_log_arm_1")]
            if r["redcap_repeat_instrument"] == "imaging"]      # the 2nd imaging at BL
    assert [(r["im_visit"], r["im_modality"], r["redcap_repeat_instance"]) for r in log1] == \
        [("BL", "ct", "1")]


def test_every_number_field_has_a_validation_range_but_norm_based_scores_and_ids(any_out):
    """Issue 17: validation ranges; the labs had none (entered in mg/dL or umol/L, so the range
    spans forms.labs' plausible range in both units). Without a range: norm-based SF-36 scores
    (unbounded T-scores, PCS, MCS) and record ids."""
    fields = _fields(any_out)
    unbounded = []
    for name, f in fields.items():
        if f["Text Validation Type OR Show Slider Number"] in ("integer", "number") and not (
                f["Text Validation Min"] or f["Text Validation Max"]):
            unbounded.append(name)
    assert all(re.fullmatch(r"sf36_(pcs|mcs|\w\w_t)|\w+_record", n) for n in unbounded), \
        unbounded
    rng = {n: (fields[n]["Text Validation Min"], fields[n]["Text Validation Max"])
           for n in ("lab_bilirubin", "lab_albumin", "lab_inr", "lab_creatinine", "lab_sodium")}
    assert rng == {"lab_bilirubin": ("0.1", "1368"), "lab_albumin": ("0.5", "70"),
                   "lab_inr": ("0.5", "15"), "lab_creatinine": ("0.1", "2210"),
                   "lab_sodium": ("100", "180")}
    assert fields["lab_bilirubin"]["Text Validation Type OR Show Slider Number"] == "number"


def test_every_date_and_the_birth_year_are_flagged_identifiers(any_out):
    """Issue 17: dates and birth year were not flagged; every date field of every form (subject,
    clinical, disposition, outcome forms) is, and nothing else but the birth year."""
    fields = _fields(any_out)
    flagged = {n for n, f in fields.items() if f["Identifier?"] == "y"}
    dates = {n for n, f in fields.items()
             if f["Text Validation Type OR Show Slider Number"] == "date_ymd"}
    assert len(dates) > 10 and flagged == dates | {"birth_year"}


def test_every_form_with_data_on_a_row_has_its_complete_status(any_out):
    """Values of a form on a row come with its ``<form>_complete``; Complete (2) never marks
    a form without values (a started, unanswered questionnaire may be 0 Incomplete)."""
    fields = _fields(any_out)
    for r in read(any_out / "redcap_import.csv"):
        with_data = {fields[c.split("___")[0]]["Form Name"] for c, v in r.items()
                     if v and c not in SYSTEM and not c.endswith("_complete")}
        for c, v in r.items():
            if c.endswith("_complete"):
                form = c[:-len("_complete")]
                assert v != "" or form not in with_data, (r["record_id"], c)
                assert v != "2" or form in with_data, (r["record_id"], c)
