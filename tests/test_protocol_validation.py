"""Protocol file validation: every problem listed as "path: message"; `study validate`."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import main
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, ProtocolError, load_protocol, parse_protocol

MADEUP = Path(__file__).parent / "fixtures" / "protocols" / "madeup_two_arm.json"
BASE: dict = json.loads(MADEUP.read_text(encoding="utf-8"))


def errors_of(mutate: Callable[[dict], Any], instrument_ids: frozenset[str] | None = None
              ) -> tuple[str, ...]:
    d = copy.deepcopy(BASE)
    mutate(d)
    with pytest.raises(ProtocolError) as info:
        parse_protocol(json.dumps(d, ensure_ascii=False).encode(), "t.json", instrument_ids)
    return info.value.errors


def test_the_base_document_is_valid():
    parse_protocol(json.dumps(BASE).encode())


CASES: list[tuple[str, Callable[[dict], Any], str]] = [
    ("unknown key", lambda d: d.update(colour="blue"), "colour: unknown key"),
    ("missing key", lambda d: d.pop("visits"), "visits: missing"),
    ("wrong type", lambda d: d.update(arms={}), "arms: expected a list, got an object"),
    ("wrong type deep", lambda d: d["study"].update(sponsor=3),
     "study.sponsor: expected a text, got a whole number"),
    ("version empty", lambda d: d.update(version=" "), "version: expected a non-empty text"),
    ("duplicate arm", lambda d: d["arms"][1].update(id="control"),
     "arms[1].id: duplicate id 'control' (also arms[0])"),
    ("duplicate visit", lambda d: d["visits"][3].update(id="M1"),
     "visits[3].id: duplicate id 'M1' (also visits[2])"),
    ("duplicate criterion across lists", lambda d: d["eligibility"]["exclusion"][0].update(
        id="liver"), "eligibility.exclusion[0].id: duplicate id 'liver' "
                     "(also eligibility.inclusion[2])"),
    ("bad id", lambda d: d["arms"][0].update(id="low dose"),
     "arms[0].id: 'low dose' is not a valid id (a letter, then letters, digits or _)"),
    ("window lo > hi", lambda d: d["visits"][2].update(window=[36, 26]),
     "visits[2].window: lo > hi"),
    ("window without day", lambda d: d["visits"][2].update(window=[40, 50]),
     "visits[2].window: [40, 50] does not contain day 31"),
    ("window shape", lambda d: d["visits"][2].update(window=[26]),
     "visits[2].window: expected [first day, last day]"),
    ("window day 0", lambda d: d["visits"][1].update(window=[-2, 0]),
     "visits[1].window[1]: there is no study day 0"),
    ("day 0", lambda d: d["visits"][1].update(day=0, window=[-2, 1]),
     "visits[1].day: there is no study day 0 (day 1 is the first dose, the day before is "
     "day -1)"),
    ("scheduled without day", lambda d: d["visits"][2].pop("day"), "visits[2].day: missing"),
    ("unscheduled with day", lambda d: d["visits"][4].update(day=5),
     "visits[4].day: a visit of kind 'early_termination' has no day"),
    ("unknown kind", lambda d: d["visits"][2].update(kind="weekly"),
     "visits[2].kind: unknown kind 'weekly' (known: screening, baseline, treatment, follow_up, "
     "end_of_study, early_termination, unscheduled)"),
    ("two baselines", lambda d: d["visits"][2].update(kind="baseline"),
     "visits: needs exactly one visit of kind 'baseline' (found 2)"),
    ("battery instrument not in instruments", lambda d: d["visits"][1].update(
        battery=["csc", "rand36"]),
     "visits[1].battery[1]: unknown instrument 'rand36' (known: csc)"),
    ("battery twice", lambda d: d["visits"][1].update(battery=["csc", "csc"]),
     "visits[1].battery[1]: 'csc' is listed twice"),
    ("unknown staff form", lambda d: d["visits"][1].update(staff_forms=["labs", "xray"]),
     "visits[1].staff_forms[1]: unknown form 'xray' (known: eligibility, labs, clinician, "
     "imaging, dose, vital_status, adverse_events, hcc)"),
    ("flag type", lambda d: d["visits"][4].update(reason_required="yes"),
     "visits[4].reason_required: expected true or false, got a text"),
    ("min days negative", lambda d: d["instruments"][0].update(min_days_between=-1),
     "instruments[0].min_days_between: must be between 0 and 3650"),
    ("unknown rule kind", lambda d: d["eligibility"]["inclusion"][0].update(rule="magic"),
     "eligibility.inclusion[0].rule: unknown rule kind 'magic' (known: "
     "consent_not_after_screening, age_range, decompensated_with_scores, yes, "
     "conditional_yes, exclusion)"),
    ("rule in the wrong list", lambda d: d["eligibility"]["inclusion"][3].update(
        rule="exclusion"), "eligibility.inclusion[3].rule: 'exclusion' is a rule for the "
                           "exclusion list"),
    ("param type", lambda d: d["eligibility"]["inclusion"][1]["params"].update(min="40"),
     "eligibility.inclusion[1].params.min: expected a whole number"),
    ("param missing", lambda d: d["eligibility"]["inclusion"][1]["params"].pop("max"),
     "eligibility.inclusion[1].params.max: missing"),
    ("param unknown", lambda d: d["eligibility"]["inclusion"][1]["params"].update(unit="y"),
     "eligibility.inclusion[1].params.unit: unknown key"),
    ("params where none", lambda d: d["eligibility"]["exclusion"][0].update(params={"x": 1}),
     "eligibility.exclusion[0].params.x: unknown key"),
    ("age min > max", lambda d: d["eligibility"]["inclusion"][1]["params"].update(min=81),
     "eligibility.inclusion[1].params.min: must not exceed max"),
    ("child-pugh range reversed", lambda d: d["eligibility"]["inclusion"][2]["params"].update(
        child_pugh=[9, 5]), "eligibility.inclusion[2].params.child_pugh: lowest exceeds highest"),
    ("child-pugh out of range", lambda d: d["eligibility"]["inclusion"][2]["params"].update(
        child_pugh=[5, 16]), "eligibility.inclusion[2].params.child_pugh[1]: must be between "
                             "5 and 15"),
    ("meld out of range", lambda d: d["eligibility"]["inclusion"][2]["params"].update(
        meld_max=41), "eligibility.inclusion[2].params.meld_max: must be between 6 and 40"),
    ("yes names no input", lambda d: d["eligibility"]["inclusion"][3]["params"].update(
        input="weather"), "eligibility.inclusion[3].params.input: must name a yes/no input "
                          "(decompensated, life_expectancy_over_2_months, hbv, antiviral)"),
    ("conditional on itself", lambda d: d["eligibility"]["inclusion"][4]["params"].update(
        then="life_expectancy_over_2_months"),
     "eligibility.inclusion[4].params.then: must differ from 'if'"),
    ("exclusion id is a screening column", lambda d: d["eligibility"]["exclusion"][0].update(
        id="hbv"), "eligibility.exclusion[0].id: 'hbv' is a screening input name; choose "
                   "another id"),
    ("exclusion id is a screening column in other case",
     lambda d: d["eligibility"]["exclusion"][0].update(id="Meld"),
     "eligibility.exclusion[0].id: 'Meld' is a screening input name; choose another id"),
    ("ratio names an unknown arm", lambda d: d["allocation"]["ratio"].update(placebo=1),
     "allocation.ratio.placebo: not an arm id of 'arms'"),
    ("ratio misses an arm", lambda d: d["allocation"]["ratio"].pop("active"),
     "allocation.ratio.active: missing"),
    ("ratio weight", lambda d: d["allocation"]["ratio"].update(active=0),
     "allocation.ratio.active: must be between 1 and 100"),
    ("block size not a multiple", lambda d: d["allocation"].update(block_sizes=[3, 4]),
     "allocation.block_sizes[1]: 4 is not a multiple of the ratio's total 3"),
    ("block sizes missing", lambda d: d["allocation"].pop("block_sizes"),
     "allocation.block_sizes: missing"),
    ("unknown method", lambda d: d["allocation"].update(method="coin"),
     "allocation.method: unknown method 'coin' (known: permuted_blocks, list, none)"),
    ("block sizes for a list", lambda d: d["allocation"].update(method="list"),
     "allocation.block_sizes: not used when method is 'list'"),
    ("randomised single arm", lambda d: d.update(arms=d["arms"][:1]) or d["allocation"].update(
        ratio={"control": 1}), "allocation.method: 'permuted_blocks' randomises: the study "
                               "needs at least 2 arms"),
    ("missing zh_CN", lambda d: d["arms"][0]["label"].pop("zh_CN"),
     "arms[0].label.zh_CN: missing"),
    ("missing zh_CN criterion", lambda d: d["eligibility"]["exclusion"][1]["text"].pop("zh_CN"),
     "eligibility.exclusion[1].text.zh_CN: missing"),
    ("empty en text", lambda d: d["visits"][0]["label"].update(en=""),
     "visits[0].label.en: expected a non-empty text"),
    ("bad language code", lambda d: d["study"]["title"].update(Chinese="x"),
     "study.title.Chinese: not a language code (e.g. en, zh_CN)"),
    ("site key", lambda d: d["study"]["sites"][0].update(phone="1"),
     "study.sites[0].phone: unknown key"),
    ("country code lower case", lambda d: d["study"]["sites"][0].update(country_code="chn"),
     "study.sites[0].country_code: 'chn' is not an ISO 3166-1 alpha-3 country code (three "
     "capital letters, e.g. CHN)"),
    ("country code alpha-2", lambda d: d["study"]["sites"][1].update(country_code="CN"),
     "study.sites[1].country_code: 'CN' is not an ISO 3166-1 alpha-3 country code (three "
     "capital letters, e.g. CHN)"),
    ("country code empty", lambda d: d["study"]["sites"][0].update(country_code=""),
     "study.sites[0].country_code: expected a non-empty text"),
    ("outcome form", lambda d: d["outcome_forms"].append("magic"),
     "outcome_forms[2]: unknown form 'magic' (known: eligibility, labs, clinician, imaging, "
     "dose, vital_status, adverse_events, hcc)"),
    ("no inclusion", lambda d: d["eligibility"].update(inclusion=[]),
     "eligibility.inclusion: must not be empty"),
]


@pytest.mark.parametrize("mutate, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_named_by_its_path(mutate, message):
    errors = errors_of(mutate)
    assert message in errors, errors


def test_instrument_unknown_to_the_app():
    errors = errors_of(lambda d: d["instruments"].append({"id": "zz9", "min_days_between": 1}),
                       frozenset({"csc", "rand36"}))
    assert errors == ("instruments[1].id: unknown instrument 'zz9' (known: csc, rand36)",)


def test_every_problem_is_listed_at_once():
    def many(d: dict) -> None:
        d["arms"][1]["label"].pop("zh_CN")
        d["visits"][2]["window"] = [36, 26]
        d["visits"][1]["day"] = 0
        d["eligibility"]["inclusion"][0]["rule"] = "magic"
        d["allocation"]["ratio"]["placebo"] = 1
    errors = errors_of(many)
    assert len(errors) == 5, errors
    assert errors[0] == "arms[1].label.zh_CN: missing"
    assert "allocation.ratio.placebo: not an arm id of 'arms'" in errors
    assert "visits[2].window: lo > hi" in errors
    with pytest.raises(ProtocolError) as info:
        d = copy.deepcopy(BASE)
        many(d)
        parse_protocol(json.dumps(d).encode(), "trial.json")
    assert str(info.value).startswith("trial.json: invalid protocol (5 problems): arms[1]")
    assert isinstance(info.value, UserError)


@pytest.mark.parametrize("data, message", [
    (b"{", "file: not valid JSON (line 1, column 2: Expecting property name enclosed in "
           "double quotes)"),
    (b"\xff\xfe{}", "file: not UTF-8 text (bad byte at offset 0)"),
    (b"[]", "file: expected an object, got a list"),
])
def test_unreadable_documents(data, message):
    with pytest.raises(ProtocolError) as info:
        parse_protocol(data, "x")
    assert info.value.errors == (message,)


def test_a_key_given_twice_is_an_error():
    text = MADEUP.read_text(encoding="utf-8").replace('"version": "2.3-test",',
                                                      '"version": "2.3-test", "version": "9",')
    with pytest.raises(ProtocolError) as info:
        parse_protocol(text.encode(), "x")
    assert info.value.errors == ("file: key 'version' appears twice in one object (JSON would "
                                 "keep only the last)",)


def test_missing_file(tmp_path):
    with pytest.raises(ProtocolError) as info:
        load_protocol(tmp_path / "none.json")
    assert info.value.errors == ("file: not found",)
    with pytest.raises(ProtocolError) as info:
        load_protocol(tmp_path)
    assert info.value.errors == ("file: is a folder, not a protocol file",)


def test_study_validate_valid_file(capsys):
    assert main.main(["study", "validate", str(DEFAULT_PROTOCOL_PATH)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count("\n") == 1
    assert "valid protocol BKCR-LD-1.0(2010) (NCT01342250) version 1.0: 3 arms, 13 visits " \
           "(11 scheduled), 2 instruments, 5 inclusion and 9 exclusion criteria; sha256 " in out


def test_study_validate_lists_every_problem(tmp_path, capsys):
    d = copy.deepcopy(BASE)
    d["visits"][2]["window"] = [36, 26]
    d["instruments"][0]["id"] = "nosuch"   # unknown to the app and to every battery
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    assert main.main(["study", "validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"epro: error: {path}: invalid protocol, 6 problems:"
    assert "  instruments[0].id: unknown instrument 'nosuch' (known: csc, rand36)" in lines
    assert "  visits[1].battery[0]: unknown instrument 'csc' (known: nosuch)" in lines
    assert "  visits[2].window: lo > hi" in lines
    assert len(lines) == 7


def test_study_validate_missing_file(tmp_path, capsys):
    assert main.main(["study", "validate", str(tmp_path / "x.json")]) == 2
    assert capsys.readouterr().err == f"epro: error: {tmp_path / 'x.json'}: invalid protocol, " \
                                      "1 problem:\n  file: not found\n"


def test_a_missing_section_is_one_error():
    for key in ("study", "arms", "allocation", "instruments", "visits", "eligibility"):
        d = copy.deepcopy(BASE)
        del d[key]
        with pytest.raises(ProtocolError) as info:
            parse_protocol(json.dumps(d).encode())
        assert info.value.errors == (f"{key}: missing",), key


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 400) | st.sampled_from(
        ["", "x", "csc", "control", "BASE", "yes", "hbv", "exclusion", "age_range", "labs"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "en", "zh_CN", "min", "max", "day", "window", "x"]), inner,
        max_size=3), max_leaves=6)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


PATHS = _paths(BASE)[1:]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUES), min_size=1, max_size=3))
def test_any_damaged_document_gives_protocol_error_never_a_crash(edits):
    d = copy.deepcopy(BASE)
    for path, value in edits:
        node = d
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue                      # an earlier edit removed that place
    try:
        p = parse_protocol(json.dumps(d).encode())
    except ProtocolError as exc:
        assert exc.errors and all(": " in e for e in exc.errors)
    else:
        p.show()
        p.scheduled_visits()
