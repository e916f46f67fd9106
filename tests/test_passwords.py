"""The staff password policy (forms/passwords.py) at both sides of every threshold it uses:
length 10 (9 refused) and 256 (257 refused), user names of 3 characters (2: only equality
refused), common passwords case-insensitively and with trailing digits/punctuation removed, and
the English message storage shows. Survivors of ``make mutation`` on forms/passwords.py."""
from __future__ import annotations

import pytest

from forms import passwords as pw
from forms.errors import UserError
from forms.passwords import COMMON, TOO_LONG, TOO_SHORT, USER_NAME, password_problems

RANDOM = "qv7-tarn-Kelp-w3"          # 16 characters, not common


@pytest.mark.parametrize("length, problems", [(0, [TOO_SHORT]), (9, [TOO_SHORT]), (10, []),
                                              (11, []), (256, []), (257, [TOO_LONG])])
def test_length_bounds_10_and_256(length, problems):
    text = (RANDOM * 20)[:length]
    assert password_problems(text) == problems


def test_no_password_at_all_is_too_short_only():
    assert password_problems(None) == [TOO_SHORT]           # type: ignore[arg-type]
    assert password_problems("") == [TOO_SHORT]
    assert password_problems(None, "xxxx") == [TOO_SHORT]   # type: ignore[arg-type]


def test_thresholds_are_the_documented_ones():
    assert (pw.MIN_LENGTH, pw.MAX_LENGTH) == (10, 256)


@pytest.mark.parametrize("text", ["password", "PASSWORD", "Password2026!", "dragon_2024",
                                  "monkey...", " password", "password ", "Passw0rd"])
def test_common_passwords_case_insensitive_and_without_trailing_digits(text):
    assert pw.is_common(text)


@pytest.mark.parametrize("text", ["2026password", "pass-word-x", "dragonfly", RANDOM])
def test_uncommon_passwords(text):
    assert not pw.is_common(text)


def test_common_list_is_loaded_lower_case_without_comments_or_blanks():
    common = pw.common_passwords()
    assert len(common) > 900 and "password" in common and "123456" in common
    assert all(x == x.strip().lower() and x and not x.startswith("#") for x in common)


def test_a_long_common_password_is_refused_as_common():
    assert password_problems("password1234") == [COMMON]
    assert password_problems("Password2026!!") == [COMMON]


@pytest.mark.parametrize("username, text, problems", [
    ("nurse", "nurse-ward-7-x", [USER_NAME]),          # contains the name
    ("Nurse ", "ward-NURSE-7-x", [USER_NAME]),         # case and spaces ignored
    ("ann", "hannah-ward-77", [USER_NAME]),            # 3 characters: containment counts
    ("x1", "x1-pass-word-9", []),                      # 2 characters: only equality counts
    ("x1", "X1", [TOO_SHORT, USER_NAME]),
    ("", RANDOM, []), (None, RANDOM, []),
])
def test_user_name_rule(username, text, problems):
    assert password_problems(text, username) == problems


def test_check_password_names_every_problem_in_english():
    with pytest.raises(UserError) as err:
        pw.check_password("nurse", "nurse")
    assert str(err.value) == ("The password must have at least 10 characters. "
                              "This password is one of the most common passwords; choose "
                              "another. The password must not be or contain the user name.")
    with pytest.raises(UserError) as err:
        pw.check_password("x" * 257)
    assert str(err.value) == "The password may have at most 256 characters."
    with pytest.raises(UserError) as err:
        pw.check_password("Password2026!")
    assert str(err.value) == "This password is one of the most common passwords; choose another."
    assert pw.check_password(RANDOM, "nurse") is None
