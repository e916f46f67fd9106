"""REDCap data dictionary: exact 18 headers, valid field names, matrix grids, choices, branching."""
from __future__ import annotations

import csv
import re

import pytest

from forms.instrument import load_instrument
from reports.export.redcap import event_name, write_redcap_dictionary
from reports.export.variables import instruments

# typed from REDCap's data dictionary template (checked against redcapdd / REDCapR test data)
EXPECTED_HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name", "Matrix Ranking?",
    "Field Annotation"]


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    p = tmp_path_factory.mktemp("rc") / "redcap_data_dictionary.csv"
    write_redcap_dictionary(p, instruments(), {"baseline": ("BL",)})   # the protocol's kinds
    with p.open(encoding="utf-8-sig", newline="") as fh:
        data = list(csv.reader(fh))
    return data


@pytest.fixture(scope="module")
def fields(rows):
    return {r[0]: dict(zip(EXPECTED_HEADER, r)) for r in rows[1:]}


def test_header_is_exactly_redcaps_18_columns_in_order(rows):
    assert rows[0] == EXPECTED_HEADER
    assert all(len(r) == 18 for r in rows)


def test_first_field_is_the_record_id_and_names_are_valid_and_unique(rows):
    names = [r[0] for r in rows[1:]]
    assert names[0] == "record_id"
    assert len(names) == len(set(names))
    for n in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", n) and len(n) <= 100, n
    forms = [r[1] for r in rows[1:]]
    for f in forms:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", f), f


def test_every_item_and_score_of_every_instrument_is_a_field(fields):
    from reports.export.scoredefs import score_defs
    for inst in instruments():
        for it in inst.items:
            f = fields[f"{inst.id}_{it.id}".lower()]
            assert f["Field Type"] == "radio" and f["Form Name"] == inst.id
        for s in score_defs(inst.id):
            assert "@READONLY" in fields[s.name]["Field Annotation"]


def test_choices_are_code_comma_label_separated_by_pipes(fields):
    assert fields["rand36_q1"]["Choices, Calculations, OR Slider Labels"] == \
        "1, Excellent | 2, Very good | 3, Good | 4, Fair | 5, Poor"
    assert fields["csc_p1"]["Choices, Calculations, OR Slider Labels"] == \
        "0, No | 1, Yes | 9, Not sure"


def test_sf36_grids_are_matrix_groups_with_the_stem_as_header(fields):
    inst = load_instrument("rand36")
    pf = [fields[f"rand36_q{i}"] for i in range(3, 13)]
    groups = {f["Matrix Group Name"] for f in pf}
    assert len(groups) == 1 and groups != {""}
    assert pf[0]["Section Header"] == inst.item("q3").stem["en"]
    assert all(f["Section Header"] == "" for f in pf[1:])
    # a matrix needs identical choices and field type on every row
    assert len({f["Choices, Calculations, OR Slider Labels"] for f in pf}) == 1
    grids = {}
    for name, f in fields.items():
        if f["Matrix Group Name"]:
            grids.setdefault(f["Matrix Group Name"], []).append(name)
    assert {"rand36_activities", "rand36_role_physical", "rand36_role_emotional",
            "rand36_feelings", "rand36_true_false"} <= set(grids)
    assert grids["rand36_feelings"] == [f"rand36_q{i}" for i in range(23, 32)]
    for members in grids.values():
        assert len({fields[m]["Choices, Calculations, OR Slider Labels"] for m in members}) == 1
        assert {fields[m]["Field Type"] for m in members} == {"radio"}
    # single questions stay outside any matrix
    assert fields["rand36_q1"]["Matrix Group Name"] == ""
    assert fields["rand36_q32"]["Matrix Group Name"] == ""


def test_branching_logic_in_redcap_syntax(fields):
    assert fields["csc_c2b"]["Branching Logic (Show field only if...)"] == "[csc_c2] >= 1"
    assert fields["csc_g2"]["Branching Logic (Show field only if...)"] == \
        "[event-name] <> 'bl_arm_1'"                  # visit_kind != baseline
    names = list(fields)
    for name, f in fields.items():
        for ref in re.findall(r"\[([a-z0-9_]+)\]", f["Branching Logic (Show field only if...)"]):
            assert names.index(ref) < names.index(name), (name, ref)


def test_event_names_follow_redcaps_unique_event_name_rule():
    assert event_name("baseline") == "baseline_arm_1"
    assert event_name("W12") == "w12_arm_1"


def test_score_fields_are_numbers_with_ranges(fields):
    f = fields["sf36_pf"]
    assert (f["Field Type"], f["Text Validation Type OR Show Slider Number"],
            f["Text Validation Min"], f["Text Validation Max"]) == ("text", "number", "0", "100")
    assert fields["csc_nmod"]["Text Validation Type OR Show Slider Number"] == "integer"
    assert fields["csc_rss_change"]["Text Validation Min"] == "-16"  # a number, not defanged
