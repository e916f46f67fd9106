"""forms.outcome_defs: the outcome forms of protocol.md §5 pinned field by field (types, units,
ranges, codes, en/zh_CN labels, conditions, date order) in tests/fixtures/outcomes/
outcome_forms.json, and the label helpers (issue 18: mutation testing of forms/outcome_defs.py;
a changed form must change that file too)."""
from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from forms import outcome_defs
from forms.outcome_defs import FORMS, FieldDef, choice_label, field_label

PINNED = json.loads((Path(__file__).parent / "fixtures" / "outcomes" / "outcome_forms.json")
                    .read_text(encoding="utf-8"))


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if isinstance(v, Decimal):
        return str(v)
    if hasattr(v, "items"):
        return {k: _plain(x) for k, x in v.items()}
    return v


def test_the_forms_of_the_record():
    assert list(FORMS) == ["imaging", "hcc", "vital_status", "early_termination",
                           "adverse_event", "infusion"] == list(PINNED)


@pytest.mark.parametrize("kind", list(PINNED))
def test_each_form_as_pinned(kind):
    got, want = _plain(FORMS[kind]), PINNED[kind]
    assert {k: v for k, v in got.items() if k != "fields"} == {
        k: v for k, v in want.items() if k != "fields"}
    assert [f["key"] for f in got["fields"]] == [f["key"] for f in want["fields"]]
    for g, w in zip(got["fields"], want["fields"]):
        assert g == w, w["key"]


def test_field_label_with_and_without_unit():
    f = FieldDef("x", "number", {"en": "Liver size", "zh_CN": "肝脏大小"}, "cm")
    assert field_label(f, "en") == "Liver size (cm)" and field_label(f, "zh_CN") == "肝脏大小 (cm)"
    assert field_label(dataclasses.replace(f, unit=""), "fr") == "Liver size"


def test_choice_label():
    f = FieldDef("x", "choice", {"en": "X"}, choices=("a", "b"),
                 choice_labels={"a": {"en": "Alpha", "zh_CN": "甲"}, "b": {"en": "Beta"}})
    assert choice_label(f, "a", "zh_CN") == "甲" and choice_label(f, "b", "zh_CN") == "Beta"
    assert choice_label(f, "zz", "en") == "zz"
    assert choice_label(dataclasses.replace(f, choice_labels=None), "a", "en") == "a"


def test_the_table_builders():
    """The helpers the table is written with, called inside a test (the table itself is built
    at import, which mutation testing cannot map to a test)."""
    assert outcome_defs._l("Yes", "是") == {"en": "Yes", "zh_CN": "是"}
    assert outcome_defs._codes(dose__changed=("dose changed", "调整剂量"), no=("no", "否")) == {
        "dose-changed": {"en": "dose changed", "zh_CN": "调整剂量"},
        "no": {"en": "no", "zh_CN": "否"}}
    labels = {"a": {"en": "A"}, "b": {"en": "B"}}
    one = outcome_defs._choice("k", {"en": "K"}, labels, required=True)
    assert (one.key, one.type, one.label, one.choices, one.choice_labels, one.required) == (
        "k", "choice", {"en": "K"}, ("a", "b"), labels, True)
    many = outcome_defs._choice("k", {"en": "K"}, labels, type="choices")
    assert (many.type, many.required) == ("choices", False)
