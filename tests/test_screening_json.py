"""forms.screening: inputs and results as stored (JSON, hash) and every refusal of a stored
record with its exact message."""
from __future__ import annotations

import json
from datetime import date

import pytest

from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol
from forms.screening import CriterionOutcome, ScreeningInputs, ScreeningResult, evaluate

PROTO = load_protocol(DEFAULT_PROTOCOL_PATH)


def _refused(call, msg: str) -> None:  # noqa: ANN001
    with pytest.raises(UserError) as err:
        call()
    assert str(err.value) == msg


def test_hash_follows_every_value():
    a = ScreeningInputs(hbv=True, exclusions={"pregnancy": False})
    assert hash(a) == hash(ScreeningInputs(hbv=True, exclusions={"pregnancy": False}))
    assert hash(a) != hash(ScreeningInputs(hbv=False, exclusions={"pregnancy": False}))
    assert hash(a) != hash(ScreeningInputs(hbv=True, exclusions={"pregnancy": True}))
    assert len({a, ScreeningInputs(hbv=True, exclusions={"pregnancy": False})}) == 1


def test_to_json_is_plain_json():
    got = ScreeningInputs(screening_date=date(2026, 3, 1), decompensated=True,
                          decompensation_kinds=("ascites",), meld=14,
                          exclusions={"pregnancy": None}).to_json()
    assert type(got["exclusions"]) is dict and type(got["decompensation_kinds"]) is list
    assert json.loads(json.dumps(got)) == got
    assert got["screening_date"] == "2026-03-01" and got["exclusions"] == {"pregnancy": None}
    assert ScreeningInputs.from_json(got) == ScreeningInputs.from_json(json.loads(
        json.dumps(got)))


def test_from_json_refusals_exactly():
    _refused(lambda: ScreeningInputs.from_json({"zz": 1, "aa": 2, "hbv": True}),
             "screening inputs: unknown key(s) aa, zz")
    _refused(lambda: ScreeningInputs.from_json({"birth_date": "1/2/1960"}),
             "screening input birth_date: '1/2/1960' is not a date (YYYY-MM-DD)")
    _refused(lambda: ScreeningInputs.from_json({"decompensation_kinds": "ascites"}),
             "screening input decompensation_kinds: expected a list")
    _refused(lambda: ScreeningInputs.from_json({"exclusions": ["pregnancy"]}),
             "screening input exclusions: expected an object")


def test_result_to_json_exactly():
    r = ScreeningResult("ineligible", (CriterionOutcome("a", "inclusion", False),
                                       CriterionOutcome("b", "exclusion", None)), ("a",), ("b",))
    assert r.to_json() == {"result": "ineligible",
                           "outcomes": [{"id": "a", "kind": "inclusion", "met": False},
                                        {"id": "b", "kind": "exclusion", "met": None}],
                           "unmet": ["a"], "undetermined": ["b"]}


def test_stray_exclusions_are_named_sorted():
    _refused(lambda: evaluate(PROTO, ScreeningInputs(exclusions={"zeta": True, "alpha": None})),
             f"screening input exclusions: alpha, zeta not in protocol {PROTO.protocol_id}")
