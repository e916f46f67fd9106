"""The staff password policy: ONE rule, used by storage on every password it stores
(``storage.services.auth.hash_password``) and by the screens to preview what storage will say.

- at least ``MIN_LENGTH`` (10) characters: NIST SP 800-63B §5.1.1.2 asks for at least 8 for a
  memorised secret and a check against common and context-specific passwords; 10 adds a margin
  for a shared clinic PC and still lets a short passphrase ("ward-rounds-7") pass. No
  composition rules (NIST advises against them);
- not one of ~1 000 common passwords (``resources/security/common_passwords.txt``), matched
  case-insensitively, also with trailing digits and punctuation removed
  ("Password2026!" is "password");
- not the user name and not containing it (case-insensitive; user names of 3 or more
  characters, a shorter name would refuse random passwords).

``password_problems`` returns problem codes (the screens translate them); ``check_password``
raises a ``UserError`` with the English message (storage, command line).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from forms.errors import UserError

MIN_LENGTH = 10
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = (Path(__file__).resolve().parent.parent / "resources" / "security"
                         / "common_passwords.txt")
TOO_SHORT, TOO_LONG, COMMON, USER_NAME = "too_short", "too_long", "common", "user_name"
MESSAGES = {
    TOO_SHORT: f"The password must have at least {MIN_LENGTH} characters.",
    TOO_LONG: f"The password may have at most {MAX_LENGTH} characters.",
    COMMON: "This password is one of the most common passwords; choose another.",
    USER_NAME: "The password must not be or contain the user name.",
}
_TRAILING = re.compile(r"[\d\W_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def is_common(password: str) -> bool:
    low = password.strip().lower()
    common = common_passwords()
    return low in common or _TRAILING.sub("", low) in common


def password_problems(password: str, username: str | None = None) -> list[str]:
    """Problem codes of ``password`` for the account ``username`` (empty list = acceptable)."""
    pw = password or ""
    out = []
    if len(pw) < MIN_LENGTH:
        out.append(TOO_SHORT)
    if len(pw) > MAX_LENGTH:
        out.append(TOO_LONG)
    if pw and is_common(pw):
        out.append(COMMON)
    name = (username or "").strip().lower()
    if name and (pw.lower() == name or (len(name) >= 3 and name in pw.lower())):
        out.append(USER_NAME)
    return out


def check_password(password: str, username: str | None = None) -> None:
    """Raise ``UserError`` naming every problem of the password (nothing is stored then)."""
    problems = password_problems(password, username)
    if problems:
        raise UserError(" ".join(MESSAGES[p] for p in problems))


__all__ = ["COMMON", "MESSAGES", "MIN_LENGTH", "TOO_LONG", "TOO_SHORT", "USER_NAME",
           "check_password", "common_passwords", "is_common", "password_problems"]
