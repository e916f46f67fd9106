"""The bundled NCT01342250 protocol file and a made-up second protocol (protocol.md §1-§4)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from forms.protocol import (DEFAULT_PROTOCOL_PATH, Arm, Protocol, VisitDef, load_protocol,
                            parse_protocol, site_name)
from forms.study_commands import installed_instrument_ids

FIXTURES = Path(__file__).parent / "fixtures" / "protocols"
MADEUP = FIXTURES / "madeup_two_arm.json"
CJK = re.compile(r"[\u4e00-\u9fff]")

# What `study show --json` prints for the bundled file (protocol.md §2-§3), sha256 aside.
EXPECTED_SHOW = {
    "protocol_id": "BKCR-LD-1.0(2010)", "registry_id": "NCT01342250", "version": "1.0",
    "arms": [{"id": "low", "label": {"en": "Low dose", "zh_CN": "低剂量组"}},
             {"id": "medium", "label": {"en": "Medium dose", "zh_CN": "中剂量组"}},
             {"id": "high", "label": {"en": "High dose", "zh_CN": "高剂量组"}}],
    "visits": [
        {"id": "SCR", "kind": "screening", "day": -1, "window": [-14, -1], "battery": []},
        {"id": "BL", "kind": "baseline", "day": 1, "window": [-7, 1], "battery": ["rand36", "csc"]},
        {"id": "D1", "kind": "treatment", "day": 1, "window": [1, 1], "battery": []},
        {"id": "W1", "kind": "follow_up", "day": 8, "window": [7, 9], "battery": ["csc"]},
        {"id": "W2", "kind": "follow_up", "day": 15, "window": [13, 17], "battery": ["csc"]},
        {"id": "W4", "kind": "follow_up", "day": 29, "window": [26, 32],
         "battery": ["rand36", "csc"]},
        {"id": "W8", "kind": "follow_up", "day": 57, "window": [50, 64], "battery": ["csc"]},
        {"id": "W12", "kind": "follow_up", "day": 85, "window": [78, 92],
         "battery": ["rand36", "csc"]},
        {"id": "W24", "kind": "follow_up", "day": 169, "window": [155, 183],
         "battery": ["rand36", "csc"]},
        {"id": "W36", "kind": "follow_up", "day": 253, "window": [239, 267],
         "battery": ["rand36", "csc"]},
        {"id": "W52", "kind": "end_of_study", "day": 365, "window": [351, 379],
         "battery": ["rand36", "csc"]},
        {"id": "ET", "kind": "early_termination", "day": None, "window": None,
         "battery": ["rand36", "csc"]},
        {"id": "UNS", "kind": "unscheduled", "day": None, "window": None,
         "battery": ["rand36", "csc"]}],
    "eligibility": {
        "inclusion": ["consent", "age", "decompensated_cirrhosis", "life_expectancy",
                      "hbv_antiviral"],
        "exclusion": ["allergy", "organ_failure", "psychiatric", "infection", "malignancy",
                      "alcohol_drug_abuse", "transplant_planned", "pregnancy", "other_study"]},
    "instruments": ["rand36", "csc"],
}


@pytest.fixture(scope="module")
def default() -> Protocol:
    return load_protocol(DEFAULT_PROTOCOL_PATH, installed_instrument_ids())


@pytest.fixture(scope="module")
def madeup() -> Protocol:
    return load_protocol(MADEUP, installed_instrument_ids())


def test_default_path_is_the_bundled_nct01342250_file():
    assert DEFAULT_PROTOCOL_PATH.name == "nct01342250.json"
    assert DEFAULT_PROTOCOL_PATH.is_file()


def test_show_of_the_bundled_file(default):
    shown = default.show()
    assert shown.pop("sha256") == hashlib.sha256(DEFAULT_PROTOCOL_PATH.read_bytes()).hexdigest()
    assert shown == EXPECTED_SHOW
    json.dumps(default.show())  # plain JSON


def test_study_record_fields(default):
    assert default.protocol_id == "BKCR-LD-1.0(2010)"
    assert default.registry_id == "NCT01342250"
    assert "Decompensated Liver Cirrhosis" in default.title["en"]
    assert CJK.search(default.title["zh_CN"])
    assert default.sponsor == "Shenzhen Beike Bio-Technology Co., Ltd."
    assert "Shanghai 85 Hospital" in default.sites[0]["name"]


def test_three_dose_arms_randomised_in_permuted_blocks(default):
    assert [a.id for a in default.arms] == ["low", "medium", "high"]
    assert all(CJK.search(a.label["zh_CN"]) and CJK.search(a.dose["zh_CN"])
               for a in default.arms)
    assert isinstance(default.arm("medium"), Arm)
    alloc = default.allocation
    assert (alloc.method, alloc.block_sizes, dict(alloc.ratio)) == (
        "permuted_blocks", (3, 6), {"low": 1, "medium": 1, "high": 1})
    assert alloc.randomised


def test_sf36_only_where_the_schedule_puts_it_and_recall_periods(default):
    with_sf36 = [v.id for v in default.visits if "rand36" in v.battery]
    assert with_sf36 == ["BL", "W4", "W12", "W24", "W36", "W52", "ET", "UNS"]
    with_csc = [v.id for v in default.visits if "csc" in v.battery]
    assert with_csc == ["BL", "W1", "W2", "W4", "W8", "W12", "W24", "W36", "W52", "ET", "UNS"]
    assert default.min_days_between("rand36") == 28
    assert default.min_days_between("csc") == 7
    assert default.visit("UNS").optional_battery and default.visit("UNS").reason_required
    assert default.visit("ET").reason_required and not default.visit("W52").reason_required


def test_staff_forms_per_visit(default):
    forms = {v.id: v.staff_forms for v in default.visits}
    assert forms["SCR"] == ("eligibility", "labs", "imaging")
    assert forms["BL"] == ("labs", "clinician", "imaging")
    assert forms["D1"] == ("dose", "adverse_events")
    assert forms["W8"] == ("labs", "clinician", "vital_status", "adverse_events")
    assert forms["W12"] == ("labs", "clinician", "imaging", "hcc", "vital_status",
                            "adverse_events")
    assert forms["W52"] == ("labs", "clinician", "imaging", "vital_status", "hcc",
                            "adverse_events")
    assert forms["ET"] == forms["W52"]
    assert set(default.outcome_forms) >= {"vital_status", "labs", "imaging", "hcc",
                                          "adverse_events", "dose"}


def test_scheduled_visits_in_day_order_end_at_one_year(default):
    sched = default.scheduled_visits()
    assert [v.id for v in sched] == ["SCR", "BL", "D1", "W1", "W2", "W4", "W8", "W12", "W24",
                                     "W36", "W52"]
    assert all(isinstance(v, VisitDef) and v.day != 0 for v in sched)
    assert default.visit("W52").day == 365 and default.visit("W52").window == (351, 379)
    assert default.visit("W52").kind == "end_of_study"
    for v in sched:
        assert v.window[0] <= v.day <= v.window[1]


def test_criteria_texts_in_both_languages(default):
    for c in default.criteria:
        assert c.text["en"].strip() and CJK.search(c.text["zh_CN"]), c.id
    assert [c.kind for c in default.criteria] == ["inclusion"] * 5 + ["exclusion"] * 9
    age = default.criteria[1]
    assert (age.rule, dict(age.params)) == ("age_range", {"min": 18, "max": 70})
    liver = default.criteria[2]
    assert dict(liver.params) == {"child_pugh": (7, 12), "meld_max": 21}


def test_unknown_lookups_raise_keyerror(default):
    for lookup in (default.arm, default.visit, default.min_days_between):
        with pytest.raises(KeyError):
            lookup("nope")


def test_protocol_is_immutable(default):
    with pytest.raises(AttributeError):
        default.version = "2"  # type: ignore[misc]
    with pytest.raises(TypeError):
        default.arms[0].label["en"] = "x"  # type: ignore[index]


def test_madeup_protocol_differs_everywhere(madeup):
    """Nothing of NCT01342250 is hard-coded: another protocol's ids, arms, visits, battery."""
    assert madeup.protocol_id == "MADEUP-HEP-02"
    assert [a.id for a in madeup.arms] == ["control", "active"]
    assert dict(madeup.allocation.ratio) == {"control": 1, "active": 2}
    assert [v.id for v in madeup.scheduled_visits()] == ["S0", "BASE", "M1", "M3"]
    assert madeup.visit("STOP").day is None
    assert [i.id for i in madeup.instruments] == ["csc"]
    assert madeup.min_days_between("csc") == 14
    assert [c.id for c in madeup.inclusion] == ["signed_consent", "older_adult", "liver",
                                                "hbv_positive", "treated_if_expected"]
    assert [c.id for c in madeup.exclusion] == ["smoker", "breastfeeding"]
    assert madeup.show()["visits"][-1] == {"id": "STOP", "kind": "early_termination",
                                           "day": None, "window": None, "battery": ["csc"]}


def test_sha256_is_of_the_file_bytes_and_changes_with_them():
    data = MADEUP.read_bytes()
    p = parse_protocol(data, "x")
    assert p.sha256 == hashlib.sha256(data).hexdigest()
    assert parse_protocol(data + b"\n", "x").sha256 != p.sha256
    assert p == parse_protocol(data, "y") and hash(p) == hash(parse_protocol(data, "y"))


def test_window_may_be_left_out_for_a_fixed_day_visit():
    d = json.loads(MADEUP.read_text(encoding="utf-8"))
    del d["visits"][2]["window"]
    p = parse_protocol(json.dumps(d).encode(), "x")
    assert p.visit("M1").window == (31, 31)


def test_the_only_site_and_its_printed_name(default):
    site = default.only_site
    assert site is not None and site["id"] == "SH85"
    assert site_name(site, "en").startswith("SH85 Shanghai Liver Disease Research Center")
    assert site_name(site, "zh_CN") == "SH85 南京军区上海肝病研究中心（解放军第八五医院）"
    assert site_name({"id": "X1", "name": "Site X"}, "zh_CN") == "X1 Site X"   # no zh_CN name
    assert replace(default, sites=default.sites * 2).only_site is None      # several sites
    assert replace(default, sites=()).only_site is None
