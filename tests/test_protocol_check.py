"""forms.protocol_check, exactly: each damage gives exactly its own error(s), in order, and every
numeric limit is checked on both sides (issue 18: mutants that `message in errors` let live)."""
from __future__ import annotations

import copy
import json

import pytest

from forms.protocol import parse_protocol
from forms.protocol_check import check_protocol
from test_protocol_validation import BASE, CASES, errors_of

_ARMS_2 = "allocation.method: 'permuted_blocks' randomises: the study needs at least 2 arms"
# the cases whose damage is also seen by a cross-check (the arms feed the allocation check)
MORE = {
    "wrong type": ("arms: expected a list, got an object", _ARMS_2,
                   "allocation.ratio.control: not an arm id of 'arms'",
                   "allocation.ratio.active: not an arm id of 'arms'"),
    "duplicate arm": ("arms[1].id: duplicate id 'control' (also arms[0])", _ARMS_2,
                      "allocation.ratio.active: not an arm id of 'arms'"),
    "bad id": ("arms[0].id: 'low dose' is not a valid id (a letter, then letters, digits or _)",
               _ARMS_2, "allocation.ratio.control: not an arm id of 'arms'"),
}


@pytest.mark.parametrize("name, mutate, message", CASES, ids=[c[0] for c in CASES])
def test_each_damage_gives_exactly_its_errors(name, mutate, message):
    assert errors_of(mutate) == MORE.get(name, (message,))


def _set(*path_value):  # noqa: ANN002, ANN202
    *path, value = path_value

    def edit(d: dict) -> None:
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _valid(edit) -> None:  # noqa: ANN001
    d = copy.deepcopy(BASE)
    edit(d)
    parse_protocol(json.dumps(d, ensure_ascii=False).encode(), "t.json")   # no ProtocolError


@pytest.mark.parametrize("path, lo, hi", [
    (("instruments", 0, "min_days_between"), 0, 3650),
    (("allocation", "ratio", "active"), 1, 100),
])
def test_whole_number_limits_on_both_sides(path, lo, hi):
    where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
    for bad in (lo - 1, hi + 1):
        errors = errors_of(_set(*path, bad))
        assert f"{where}: must be between {lo} and {hi}" in errors, errors
    for ok in (lo, hi):
        # a ratio weight changes the ratio's total (control 1 + active): blocks of that total
        blocks = [1 + ok] if path[1] == "ratio" else [3, 6]
        _valid(lambda d: _set(*path, ok)(d) or d["allocation"].update(block_sizes=blocks))


def test_block_size_limits_on_both_sides():
    assert errors_of(_set("allocation", "block_sizes", [0])) == (
        "allocation.block_sizes[0]: must be between 1 and 1000",)
    assert errors_of(_set("allocation", "block_sizes", [1002])) == (
        "allocation.block_sizes[0]: must be between 1 and 1000",)
    _valid(_set("allocation", "block_sizes", [999]))     # 999 = 333 x the ratio's total 3
    d_1000 = errors_of(_set("allocation", "block_sizes", [1000]))
    assert d_1000 == ("allocation.block_sizes[0]: 1000 is not a multiple of the ratio's total 3",)


def test_study_day_limits_on_both_sides():
    for day in (-3651, 3651):
        errors = errors_of(_set("visits", 2, "day", day))
        assert errors == ("visits[2].day: must be between -3650 and 3650",), errors
    _valid(lambda d: d["visits"][3].update(day=3650, window=[81, 3650]))
    _valid(lambda d: d["visits"][0].update(day=-3650, window=[-3650, -3]))
    assert errors_of(lambda d: d["visits"][3].update(window=[81, 3651])) == (
        "visits[3].window[1]: must be between -3650 and 3650",)
    assert errors_of(lambda d: d["visits"][0].update(window=[-3651, -3])) == (
        "visits[0].window[0]: must be between -3650 and 3650",)


def test_window_edges_contain_the_day():
    _valid(_set("visits", 2, "window", [31, 31]))
    assert errors_of(_set("visits", 2, "window", [32, 36])) == (
        "visits[2].window: [32, 36] does not contain day 31",)
    assert errors_of(_set("visits", 2, "window", [26, 30])) == (
        "visits[2].window: [26, 30] does not contain day 31",)


@pytest.mark.parametrize("value, shown", [
    (1.5, "a number"), (None, "null"), (True, "true/false"), (7, "a whole number"),
    ({}, "an object"), ([], "a list")])
def test_each_json_type_is_named(value, shown):
    assert errors_of(_set("version", value)) == (f"version: expected a text, got {shown}",)


def test_a_value_json_cannot_hold_is_named_a_value():
    d = copy.deepcopy(BASE)
    d["version"] = ("1",)                      # check_protocol given a Python object directly
    assert check_protocol(d) == ["version: expected a text, got a value"]


def test_visits_list_itself():
    assert errors_of(_set("visits", [])) == ("visits: must not be empty",)
    assert errors_of(_set("visits", {})) == ("visits: expected a list, got an object",)


def test_a_visit_that_is_not_an_object_does_not_stop_the_check():
    def edit(d: dict) -> None:
        d["visits"][0] = 5
        d["visits"][2]["window"] = [36, 26]
    assert errors_of(edit) == ("visits[0]: expected an object, got a whole number",
                               "visits[2].window: lo > hi")


def test_unscheduled_visit_with_a_window_and_flags():
    assert errors_of(_set("visits", 4, "window", [1, 2])) == (
        "visits[4].window: a visit of kind 'early_termination' has no window",)
    assert errors_of(_set("visits", 4, "optional_battery", "yes")) == (
        "visits[4].optional_battery: expected true or false, got a text",)
    _valid(lambda d: d["visits"][4].update(optional_battery=True))


def test_staff_forms_and_battery_may_be_left_out():
    _valid(lambda d: d["visits"][2].pop("staff_forms") and d["visits"][2].pop("battery"))


def test_day_0_is_one_error_whatever_the_window():
    assert errors_of(lambda d: d["visits"][2].update(day=0, window=[26, 36])) == (
        "visits[2].day: there is no study day 0 (day 1 is the first dose, the day before is "
        "day -1)",)


@pytest.mark.parametrize("edit, errors", [
    (_set("study", "sites", 0, "id", 5),
     ("study.sites[0].id: expected a text, got a whole number",)),
    (_set("instruments", 0, "min_days_between", "14"),
     ("instruments[0].min_days_between: expected a whole number, got a text",)),
    (_set("instruments", 0, "min_days_between", True),
     ("instruments[0].min_days_between: expected a whole number, got true/false",)),
    (_set("arms", 0, "label", "Control"), ("arms[0].label: expected an object, got a text",)),
    (_set("visits", 1, "battery", "csc"), ("visits[1].battery: expected a list, got a text",)),
    (_set("visits", 1, "battery", [1]), ("visits[1].battery[0]: expected a text, got a whole "
                                         "number",)),
])
def test_wrong_types_are_named_at_their_place(edit, errors):
    assert errors_of(edit) == errors


def test_ids_after_a_broken_entry_are_still_checked():
    def edit(d: dict) -> None:
        d["visits"][0] = 5
        d["visits"][3]["id"] = "M1"
    assert errors_of(edit) == ("visits[0]: expected an object, got a whole number",
                               "visits[3].id: duplicate id 'M1' (also visits[2])")


@pytest.mark.parametrize("edit, errors", [
    (_set("study", []), ("study: expected an object, got a list",)),
    (_set("study", "protocol_id", " "), ("study.protocol_id: expected a non-empty text",)),
    (_set("study", "registry_id", ""), ("study.registry_id: expected a non-empty text",)),
    (_set("study", "sites", {}), ("study.sites: expected a list, got an object",)),
    (_set("study", "sites", []), ("study.sites: must not be empty",)),
    (lambda d: d["study"].pop("sites"), ("study.sites: missing",)),
])
def test_study_record_problems(edit, errors):
    assert errors_of(edit) == errors


def test_no_valid_instrument_is_named_none():
    errors = errors_of(_set("instruments", 0, "id", "9x"))
    assert errors[0] == "instruments[0].id: '9x' is not a valid id (a letter, then letters, " \
                        "digits or _)"
    assert "visits[1].battery[0]: unknown instrument 'csc' (known: none)" in errors


def _none_one_arm(d: dict) -> None:
    d["arms"] = d["arms"][:1]
    d["allocation"] = {"method": "none"}


@pytest.mark.parametrize("edit, errors", [
    (_set("arms", []), ("arms: must not be empty", _ARMS_2,
                        "allocation.ratio.control: not an arm id of 'arms'",
                        "allocation.ratio.active: not an arm id of 'arms'")),
    (_set("allocation", []), ("allocation: expected an object, got a list",)),
    (_set("allocation", {}), ("allocation.method: missing",)),
    (_set("allocation", {"method": "none", "ratio": {"control": 1, "active": 1}}),
     ("allocation.ratio: not used when method is 'none'",)),
    (_set("allocation", "ratio", [1, 2]), ("allocation.ratio: expected an object, got a list",)),
])
def test_arms_and_allocation_problems(edit, errors):
    assert errors_of(edit) == errors


def test_an_arm_that_is_not_an_object():
    assert errors_of(_set("arms", 0, "control")) == (
        "arms[0]: expected an object, got a text", _ARMS_2,
        "allocation.ratio.control: not an arm id of 'arms'")


def test_one_arm_without_randomisation_is_valid():
    _valid(_none_one_arm)


@pytest.mark.parametrize("edit, errors", [
    (_set("allocation", "ratio", {"control": 2}), ("allocation.ratio.active: missing",)),
    (_set("allocation", "ratio", "active", "2"),
     ("allocation.ratio.active: expected a whole number, got a text",)),
    (lambda d: d["allocation"].pop("ratio"), ("allocation.ratio: missing",)),
    (_set("allocation", "block_sizes", "3"),
     ("allocation.block_sizes: expected a list, got a text",)),
    (_set("allocation", "block_sizes", []), ("allocation.block_sizes: must not be empty",)),
    (_set("allocation", "block_sizes", [3, 3]),
     ("allocation.block_sizes[1]: block size 3 is listed twice",)),
    (_set("instruments", [5, {"id": "csc", "min_days_between": -1}]),
     ("instruments[0]: expected an object, got a whole number",
      "instruments[1].min_days_between: must be between 0 and 3650")),
    (lambda d: d["instruments"].append({"id": "csc", "min_days_between": 1}),
     ("instruments[1].id: duplicate id 'csc' (also instruments[0])",)),
    (_set("eligibility", []), ("eligibility: expected an object, got a list",)),
    (lambda d: d["eligibility"].pop("exclusion"), ("eligibility.exclusion: missing",)),
    (lambda d: d["eligibility"]["inclusion"].__setitem__(0, 5) or d["eligibility"][
        "inclusion"][1]["params"].update(min=81),
     ("eligibility.inclusion[0]: expected an object, got a whole number",
      "eligibility.inclusion[1].params.min: must not exceed max")),
])
def test_allocation_instruments_and_eligibility_problems(edit, errors):
    assert errors_of(edit) == errors


def test_no_instruments():
    errors = errors_of(_set("instruments", []))
    assert errors[0] == "instruments: must not be empty"
    assert errors_of(_set("instruments", {}))[0] == "instruments: expected a list, got an object"
    assert errors_of(lambda d: None, frozenset()) == (
        "instruments[0].id: unknown instrument 'csc' (known: none)",)


def test_a_list_allocation_needs_no_ratio_and_an_empty_exclusion_list_is_valid():
    _valid(_set("allocation", {"method": "list"}))
    _valid(_set("eligibility", "exclusion", []))


def test_a_criterion_id_that_is_not_an_id():
    assert errors_of(_set("eligibility", "inclusion", 0, "id", "9x")) == (
        "eligibility.inclusion[0].id: '9x' is not a valid id (a letter, then letters, digits "
        "or _)",)


def test_text_the_sdtm_export_cannot_hold_is_refused_when_a_file_is_loaded():
    """Past the 200 bytes of a SAS transport value (UTF-8: a Chinese character is 3 bytes) an
    arm's English label or dose, or an id, stopped ``--format sdtm`` only at export time; a file
    being loaded (checked against the instruments) is refused, a stored one (no instrument ids)
    is not judged by this later rule."""
    def long(d: dict) -> None:
        d["arms"][1]["label"]["en"] = "a" * 200                          # 200: fits
        d["arms"][0]["label"]["en"] = "a" * 201
        d["arms"][1]["dose"]["en"] = "剂量" * 34                          # 204 bytes
        d["arms"][1]["label"]["zh_CN"] = "剂量" * 100                     # not exported
        d["study"]["sites"][1]["id"] = "T" * 201
        d["visits"][2]["id"] = "M" * 300
        d["study"]["protocol_id"] = "P" * 201
    limit = "bytes: the SDTM export holds at most 200 bytes (UTF-8) here; shorten it"
    assert errors_of(long, frozenset({"csc"})) == (
        f"study.protocol_id: 201 {limit}", f"study.sites[1].id: 201 {limit}",
        f"arms[0].label.en: 201 {limit}", f"arms[1].dose.en: 204 {limit}",
        f"visits[2].id: 300 {limit}")
    _valid(long)                                            # stored: parsed without the ids
    d = copy.deepcopy(BASE)
    d["arms"], d["visits"] = 5, "x"                         # wrong types: their own errors only
    assert not any(limit in e for e in check_protocol(d, frozenset({"csc"})))
