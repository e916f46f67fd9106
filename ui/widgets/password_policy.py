"""The password policy's problems in the GUI language (the rule itself: forms/passwords.py)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from forms.passwords import COMMON, MAX_LENGTH, MIN_LENGTH, TOO_LONG, TOO_SHORT, USER_NAME, \
    password_problems

_TEXT = {
    TOO_SHORT: QT_TRANSLATE_NOOP("PasswordPolicy", "The password must have at least %1 "
                                                   "characters."),
    TOO_LONG: QT_TRANSLATE_NOOP("PasswordPolicy", "The password may have at most %1 characters."),
    COMMON: QT_TRANSLATE_NOOP("PasswordPolicy", "This password is one of the most common "
                                                "passwords; choose another."),
    USER_NAME: QT_TRANSLATE_NOOP("PasswordPolicy", "The password must not be or contain the "
                                                   "user name."),
}


def policy_messages(password: str, username: str | None = None) -> list[str]:
    """What the policy says about ``password`` for ``username``, translated (empty = fine)."""
    out = []
    for code in password_problems(password, username):
        text = QCoreApplication.translate("PasswordPolicy", _TEXT[code])
        n = MIN_LENGTH if code == TOO_SHORT else MAX_LENGTH
        out.append(text.replace("%1", str(n)))
    return out


def policy_hint() -> str:
    return QCoreApplication.translate(
        "PasswordPolicy", "At least %1 characters, not a common password, not containing "
                          "the user name.").replace("%1", str(MIN_LENGTH))
