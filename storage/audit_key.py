"""The site key of the audit chain, kept OUTSIDE the database, and signed chain checkpoints.

Every audit row's hash is an HMAC-SHA256 under this key, so someone who can write the database
file but not read the key file cannot rebuild a consistent chain after tampering. The key is a
file with mode 0600: ``EPRO_AUDIT_KEY_FILE`` or ``audit.key`` in the user config folder
(platformdirs). It is created by ``init`` (the first migration that needs it) and never by an
ordinary start: without it the app refuses to write audit rows and says how to restore it.

Checkpoints (``SEQ:HASH:TIME:HMAC``) of the chain head are printed by ``backup``/``export`` and
appended to ``audit-checkpoints.log`` beside the key: a head recorded outside the database that
``audit verify --expect-head`` accepts (the HMAC proves the site wrote it).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime
from pathlib import Path

import platformdirs

from storage.errors import StorageError

KEY_ENV = "EPRO_AUDIT_KEY_FILE"
KEY_FILE = "audit.key"
CHECKPOINT_LOG = "audit-checkpoints.log"
_cache: dict[str, tuple[float, bytes]] = {}


class AuditKeyMissing(StorageError):
    """The site key file is missing, unreadable, malformed or readable by others."""


def key_path() -> Path:
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("epro-desk", appauthor=False)) / KEY_FILE


def _missing(path: Path, what: str) -> AuditKeyMissing:
    return AuditKeyMissing(
        f"The audit site key {what} ({path}). Nothing was saved. Restore the key file from the "
        f"site's key backup to that place with mode 0600 (or point {KEY_ENV} at it); the audit "
        "trail cannot be written or fully verified without it.")


def ensure_key() -> Path:
    """Create the key file (32 random bytes, hex, mode 0600) unless it exists; ``init`` only."""
    path = key_path()
    if path.exists():
        load_key()                       # an existing key must be usable, never replaced
        return path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def load_key() -> bytes:
    """The site key; raises :class:`AuditKeyMissing` with how to restore it."""
    path = key_path()
    try:
        st = path.stat()
    except OSError:
        raise _missing(path, "is missing") from None
    if os.name == "posix" and st.st_mode & 0o077:
        raise _missing(path, "is readable by other users (it must have mode 0600)")
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == st.st_mtime:
        return cached[1]
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError):
        raise _missing(path, "cannot be read or is malformed") from None
    if len(key) < 32:
        raise _missing(path, "is malformed (too short)")
    _cache[str(path)] = (st.st_mtime, key)
    return key


def key_available() -> bool:
    try:
        load_key()
        return True
    except AuditKeyMissing:
        return False


def mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def secret_marker(key: bytes, value: str | None) -> str | None:
    """What the trail records for a credential (password/PIN hash): that it changed, and a keyed
    fingerprint verify can compare — never the hash itself."""
    return None if value is None else "changed:" + mac(key, "secret:" + value)[:32]


def checkpoint(head: str, at: datetime) -> str:
    """``SEQ:HASH:TIME:HMAC`` — a signed checkpoint of the chain head ``SEQ:HASH``."""
    body = f"{head}:{at.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    return f"{body}:{mac(load_key(), 'checkpoint:' + body)}"


def checkpoint_ok(text: str) -> bool:
    body, _, sig = text.strip().rpartition(":")
    return bool(body) and hmac.compare_digest(mac(load_key(), "checkpoint:" + body), sig)


def record_checkpoint(head: str, at: datetime) -> str:
    """Sign the head and append it to the site log beside the key; returns the line."""
    line = checkpoint(head, at)
    log = key_path().with_name(CHECKPOINT_LOG)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="ascii") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return line
