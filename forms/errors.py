"""Errors that carry a message meant for the user (CLI exits 2 with it, the GUI shows it)."""


class UserError(Exception):
    """Bad input from the user: report the message, never a traceback."""


class InstrumentError(UserError):
    """An instrument or translation file is missing, unreadable or invalid."""
