"""The kiosk staff PIN policy (issue 12 item 6): 4-8 digits, nothing trivial. Standard library.

A PIN only unlocks the kiosk for its account (the user is picked first), failures count toward
the same lockout as the password (5 tries, then 15 minutes), so a short PIN is enough — but not
one a passer-by would try first: all one digit (0000), a run up or down (1234, 9876, 7890),
or a repeated pair (1212).
"""
from __future__ import annotations

from forms.errors import UserError

MIN_DIGITS, MAX_DIGITS = 4, 8

#: problems, as keys the screens translate
NOT_DIGITS, TOO_SHORT, TOO_LONG, ALL_SAME, SEQUENCE, REPEATED = (
    "not_digits", "too_short", "too_long", "all_same", "sequence", "repeated")


class PinRefused(UserError):
    def __init__(self, problem: str) -> None:
        super().__init__(f"PIN refused: {problem} (use {MIN_DIGITS}-{MAX_DIGITS} digits that "
                         "are not all the same, not a run like 1234 and not a repeated pair)")
        self.problem = problem


def pin_problem(pin: str) -> str | None:
    """Why a PIN is refused (one of the keys above), or None when it is acceptable."""
    if not pin or not pin.isascii() or not pin.isdigit():
        return NOT_DIGITS
    if len(pin) < MIN_DIGITS:
        return TOO_SHORT
    if len(pin) > MAX_DIGITS:
        return TOO_LONG
    if len(set(pin)) == 1:
        return ALL_SAME
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if steps in ({1}, {9}):                       # 1234, 7890, 4321, 1098
        return SEQUENCE
    if len(set(pin[0::2])) == 1 and len(set(pin[1::2])) == 1:   # 1212, 909090
        return REPEATED
    return None


def check_pin(pin: str) -> None:
    problem = pin_problem(pin)
    if problem is not None:
        raise PinRefused(problem)


__all__ = ["MAX_DIGITS", "MIN_DIGITS", "PinRefused", "check_pin", "pin_problem"]
