"""forms.protocol as a model: every field of a protocol file reaches the frozen Protocol, and every
error names its source (issue 18: mutants of forms/protocol.py that the file tests let live)."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from types import MappingProxyType

import pytest

from forms.protocol import (DEFAULT_PROTOCOL_PATH, Protocol, ProtocolError, load_protocol,
                            parse_protocol, site_name)

MADEUP = Path(__file__).parent / "fixtures" / "protocols" / "madeup_two_arm.json"
BASE: dict = json.loads(MADEUP.read_text(encoding="utf-8"))


def _parse(edit=None) -> Protocol:  # noqa: ANN001
    d = copy.deepcopy(BASE)
    if edit is not None:
        edit(d)
    return parse_protocol(json.dumps(d, ensure_ascii=False).encode(), "t.json")


@pytest.fixture()     # per test: mutation testing maps each test to the code it runs
def madeup() -> Protocol:
    return load_protocol(MADEUP)


def test_protocol_error_counts_problems_in_the_singular_and_plural():
    one = ProtocolError("a.json", ["x: missing"])
    assert str(one) == "a.json: invalid protocol (1 problem): x: missing"
    assert one.source == "a.json" and one.errors == ("x: missing",)
    two = ProtocolError("b.json", ["x: missing", "y: unknown key"])
    assert str(two) == "b.json: invalid protocol (2 problems): x: missing; y: unknown key"
    assert str(ProtocolError("c", [])) == "c: invalid protocol (0 problems): "


def test_a_protocol_hashes_as_its_file_digest(madeup):
    assert hash(madeup) == hash(madeup.sha256)
    assert hash(madeup) != hash(load_protocol(DEFAULT_PROTOCOL_PATH))


def test_unknown_lookups_name_the_id(madeup):
    for lookup, name in ((madeup.arm, "nope_arm"), (madeup.visit, "nope_visit"),
                         (madeup.min_days_between, "nope_instrument")):
        with pytest.raises(KeyError) as info:
            lookup(name)
        assert info.value.args == (name,)


def test_visits_of_kind(madeup):
    assert [v.id for v in madeup.visits_of_kind("end_of_study")] == ["M3"]
    assert [v.id for v in madeup.visits_of_kind("follow_up")] == ["M1"]
    assert madeup.visits_of_kind("unscheduled") == ()


def test_site_name_without_a_name_or_without_an_id():
    assert site_name({"id": "T9"}, "en") == "T9"
    assert site_name({"name": "Somewhere"}, "en") == "Somewhere"
    assert site_name({"id": "T2", "name": "Two", "name_zh_CN": "二"}, "zh_CN") == "T2 二"
    assert site_name({"id": "T2", "name": "Two"}, "zh_CN") == "T2 Two"


def test_every_study_field_reaches_the_model(madeup):
    assert madeup.title == {"en": "A made-up two-arm trial used only by the tests",
                            "zh_CN": "仅供测试使用的虚构双臂试验"}
    assert madeup.sponsor == "Nobody Ltd. (fictitious)"
    assert [dict(s) for s in madeup.sites] == BASE["study"]["sites"]
    assert madeup.outcome_forms == ("labs", "vital_status")
    assert dict(madeup.arm("control").dose) == {"en": "Standard care", "zh_CN": "标准治疗"}
    assert madeup.allocation.method == "permuted_blocks"
    assert madeup.allocation.block_sizes == (3, 6)
    assert dict(madeup.allocation.ratio) == {"control": 1, "active": 2}
    assert isinstance(madeup.title, MappingProxyType)


def test_every_visit_field_reaches_the_model(madeup):
    m1 = madeup.visit("M1")
    assert dict(m1.label) == {"en": "Month 1", "zh_CN": "第1个月"}
    assert m1.staff_forms == ("labs", "clinician")
    assert (m1.optional_battery, m1.reason_required) == (False, False)
    stop = madeup.visit("STOP")
    assert stop.reason_required is True and stop.optional_battery is False
    assert madeup.visit("S0").battery == () and madeup.visit("S0").staff_forms == (
        "eligibility", "labs")


def test_optional_battery_and_no_staff_forms():
    def edit(d: dict) -> None:
        d["visits"].append({"id": "U", "kind": "unscheduled", "label": {"en": "U", "zh_CN": "U"},
                            "optional_battery": True})
    u = _parse(edit).visit("U")
    assert (u.optional_battery, u.reason_required) == (True, False)
    assert u.battery == () and u.staff_forms == () and u.day is None and u.window is None


def test_every_criterion_field_reaches_the_model(madeup):
    age = madeup.inclusion[1]
    assert (age.id, age.kind, age.rule) == ("older_adult", "inclusion", "age_range")
    assert dict(age.text) == dict(BASE["eligibility"]["inclusion"][1]["text"])
    assert dict(age.params) == {"min": 40, "max": 80}
    smoker = madeup.exclusion[0]
    assert (smoker.kind, smoker.rule, dict(smoker.params)) == ("exclusion", "exclusion", {})
    # a list in the file is a tuple in the model (frozen all the way down)
    assert madeup.inclusion[2].params["child_pugh"] == (5, 9)


def test_allocation_none_has_no_blocks_and_no_ratio():
    def edit(d: dict) -> None:
        d["allocation"] = {"method": "none"}
    alloc = _parse(edit).allocation
    assert (alloc.method, alloc.block_sizes, dict(alloc.ratio)) == ("none", (), {})
    assert alloc.randomised is False


def test_parse_errors_name_the_source():
    for data in (b"\xff{", b"{", b"[]"):
        with pytest.raises(ProtocolError) as info:
            parse_protocol(data, "given.json")
        assert info.value.source == "given.json"
        assert str(info.value).startswith("given.json: invalid protocol (1 problem): file: ")
    with pytest.raises(ProtocolError) as info:
        parse_protocol(b"[]")
    assert info.value.source == "<protocol>"


def test_load_errors_name_the_path(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    plain = tmp_path / "plain.json"
    plain.write_text("{}", encoding="utf-8")
    cases = ((tmp_path / "none.json", "file: not found"),
             (tmp_path, "file: is a folder, not a protocol file"),
             (plain / "inside.json", "file: cannot read (Not a directory)"),
             (bad, "file: expected an object, got a list"))
    for path, message in cases:
        with pytest.raises(ProtocolError) as info:
            load_protocol(path)
        assert info.value.errors == (message,)
        assert info.value.source == str(path)
        assert str(info.value).startswith(f"{path}: invalid protocol (1 problem)")
