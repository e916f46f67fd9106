"""MELD 3.0's age input at both sides of each bound it uses (0, 12, 120), with the field, value,
unit and reason it names (survivors of ``make mutation`` on forms/calculators.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from forms.calculators import check_age
from forms.labs import LabValueError


@pytest.mark.parametrize("age", [12, "12", 12.0, 64.5, 120, "120"])
def test_ages_from_12_to_120_are_accepted(age):
    assert check_age(age) == Decimal(str(age))


@pytest.mark.parametrize("age, reason", [
    (-0.1, "implausible age (plausible range 0–120 years)"),
    (120.1, "implausible age (plausible range 0–120 years)"),
    (121, "implausible age (plausible range 0–120 years)"),
    (0, "MELD 3.0 is defined from age 12 (PELD applies below 12)"),
    (11.9, "MELD 3.0 is defined from age 12 (PELD applies below 12)"),
])
def test_ages_outside_are_refused_naming_field_value_unit_and_reason(age, reason):
    with pytest.raises(LabValueError) as err:
        check_age(age)
    e = err.value
    assert (e.field, e.value, e.unit, e.reason) == ("age", age, "years", reason)
