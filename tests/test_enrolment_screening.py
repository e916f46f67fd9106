"""forms.enrolment: raw screening inputs -> liver scores -> criteria (the one composition the
enrol dialog previews with and storage recomputes with)."""
from __future__ import annotations

from datetime import date

import pytest

from forms.enrolment import RawScreening, screen_raw
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, load_protocol

PROTO = load_protocol(DEFAULT_PROTOCOL_PATH)
LABS = {"bilirubin": {"value": "2.5", "unit": "mg/dL"}, "albumin": {"value": "30", "unit": "g/L"},
        "inr": {"value": "1.5", "unit": ""}, "creatinine": {"value": "1.0", "unit": "mg/dL"},
        "sodium": {"value": "135", "unit": "mmol/L"}}


def raw(**kw) -> RawScreening:  # noqa: ANN003
    base = dict(screening_date=date(2026, 3, 1), birth_date=date(1960, 6, 1),
                consent_date=date(2026, 2, 27), decompensated=True,
                decompensation_kinds=("ascites",), labs=LABS, ascites="slight",
                encephalopathy="none", life_expectancy_over_2_months=True, hbv=True,
                antiviral=True, exclusions={c.id: False for c in PROTO.exclusion})
    base.update(kw)
    return RawScreening(**base)


def test_scores_come_from_the_labs_never_from_the_caller() -> None:
    s = screen_raw(PROTO, raw())
    assert (s.child_pugh, s.meld) == (8, 14) and s.result.result == "eligible"
    assert (s.inputs.child_pugh, s.inputs.meld) == (8, 14)


@pytest.mark.parametrize("bilirubin, inr, meld, result", [
    ("4", "2.31", 21, "eligible"),          # Child-Pugh 13 (outside 7-12) but MELD 21: the "or"
    ("5", "2.5", 23, "ineligible")])
def test_child_pugh_13_is_eligible_only_with_meld_at_most_21(bilirubin, inr, meld,
                                                              result) -> None:
    sick = {**LABS, "bilirubin": {"value": bilirubin, "unit": "mg/dL"},
            "albumin": {"value": "25", "unit": "g/L"}, "inr": {"value": inr, "unit": ""}}
    s = screen_raw(PROTO, raw(labs=sick, ascites="moderate", encephalopathy="none"))
    assert (s.child_pugh, s.meld, s.result.result) == (13, meld, result)


def test_implausible_or_missing_labs_leave_the_score_criterion_undecided() -> None:
    s = screen_raw(PROTO, raw(labs={**LABS, "inr": {"value": "90", "unit": ""}}))
    assert s.child_pugh is None and s.meld is None and s.liver.problems
    assert s.result.undetermined == ("decompensated_cirrhosis",)


def test_unknown_lab_is_refused() -> None:
    with pytest.raises(UserError, match="afp"):
        screen_raw(PROTO, raw(labs={**LABS, "afp": {"value": "3", "unit": "ng/mL"}}))


def test_raw_inputs_round_trip_through_json() -> None:
    r = raw(antiviral=None, exclusions={"pregnancy": None})
    assert RawScreening.from_json(r.to_json()) == r
    with pytest.raises(UserError):
        RawScreening.from_json({**r.to_json(), "hbv": "maybe"})
