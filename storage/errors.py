"""Errors raised by storage; all carry a one-line message meant for the user (no patient data)."""
from __future__ import annotations

from forms.errors import UserError


class StorageError(UserError):
    """Base class of every storage error shown to a user."""


class DatabaseError(StorageError):
    """The database cannot be used: not a database, corrupt, newer version, read-only, locked,
    on a network share, or the pragmas did not take."""


class DatabaseMissingError(DatabaseError):
    """Opening found no database (missing file or folder, zero-byte file, no schema): only
    ``init`` or the set-up wizard make one."""


class DatabaseVanishedError(DatabaseError):
    """The open SQLite file was deleted, moved or replaced; nothing more may be committed."""


class StorageFullError(StorageError):
    """The disk (or the database's page limit) is full; the transaction was rolled back."""


class ConflictError(StorageError):
    """Someone else changed the record first, or a uniqueness rule was broken."""


class AuthError(StorageError):
    """Login or re-authentication failed (same message whatever the reason)."""


class PermissionDenied(StorageError):
    """The actor's role may not do this."""


class NotFound(StorageError):
    """The referenced record does not exist."""


class RecordLocked(ConflictError):
    """The visit was locked by the investigator after signature; its data cannot change."""
