"""The one place a screen turns an error from storage or forms into text for its user.

Storage and ``forms/`` raise :class:`~forms.errors.UserError` with an English message (the CLI
prints it as is); screens show :func:`error_text`, which is that message in the interface's
language through the catalogue of :mod:`forms.messages`. Any other exception is a bug: its
class name goes to the log, the user gets ``fallback`` (already ``tr()``-translated by the
caller) — never an internal code or a traceback.
"""
from __future__ import annotations

import logging

from forms.errors import UserError
from forms.messages import translate
from ui.i18n import current_language

log = logging.getLogger(__name__)


def user_message(text: str) -> str:
    """An English storage/forms message in the interface's language (unchanged if uncatalogued
    or already translated by a screen)."""
    return translate(text, current_language())


def error_text(exc: BaseException, fallback: str = "") -> str:
    """What the user is told about ``exc``: a UserError's message in their language, else
    ``fallback`` (the unexpected error is logged by class name, never its text)."""
    if isinstance(exc, UserError):
        return user_message(str(exc))
    log.error("unexpected error: %s", type(exc).__name__, exc_info=exc)
    return fallback
