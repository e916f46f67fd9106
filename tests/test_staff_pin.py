"""forms.staff_pin: the kiosk staff PIN policy at each of its edges (length 4 and 8 both sides,
runs up/down/through 0, repeated pairs, non-ASCII digits) and the refusal text."""
from __future__ import annotations

import pytest

from forms.errors import UserError
from forms.staff_pin import PinRefused, check_pin, pin_problem


@pytest.mark.parametrize("pin, problem", [
    ("", "not_digits"), ("12a4", "not_digits"), ("１２３５", "not_digits"), ("٣٤٥٧", "not_digits"),
    (" 1357", "not_digits"), ("135", "too_short"), ("1", "too_short"), ("135792468", "too_long"),
    ("0000", "all_same"), ("99999999", "all_same"), ("1234", "sequence"), ("7890", "sequence"),
    ("9876", "sequence"), ("1098", "sequence"), ("34567890", "sequence"), ("1212", "repeated"),
    ("909090", "repeated"), ("12121212", "repeated")])
def test_refused_pins_and_why(pin, problem):
    assert pin_problem(pin) == problem
    with pytest.raises(PinRefused) as err:
        check_pin(pin)
    assert err.value.problem == problem and isinstance(err.value, UserError)
    assert str(err.value) == (f"PIN refused: {problem} (use 4-8 digits that are not all the "
                              "same, not a run like 1234 and not a repeated pair)")


@pytest.mark.parametrize("pin", ["1357", "13572468", "1235", "1243", "2468", "1231", "1221",
                                 "0901", "1213", "2122", "12121213", "12341234", "1122"])
def test_acceptable_pins(pin):
    assert pin_problem(pin) is None
    check_pin(pin)
