"""Checks on where a SQLite file lives: network shares are refused (WAL needs one host)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p",
              "ceph", "glusterfs", "lustre", "gpfs", "fuse.sshfs", "fuse.glusterfs",
              "fuse.s3fs", "fuse.rclone", "davfs", "fuse.davfs2", "virtiofs"}
MOUNTS_FILE = "/proc/mounts"


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n") \
        .replace("\\134", "\\")


def read_mounts(path: str = MOUNTS_FILE) -> list[tuple[str, str]]:
    """(mount point, fs type) pairs; empty when the platform has no /proc/mounts."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            rows = []
            for line in fh:
                parts = line.split()
                if len(parts) >= 3:
                    rows.append((_unescape(parts[1]), parts[2]))
            return rows
    except OSError:
        return []


def filesystem_type(path: Path, mounts: list[tuple[str, str]] | None = None) -> str | None:
    """File-system type of the mount holding ``path`` (longest matching mount point)."""
    mounts = read_mounts() if mounts is None else mounts
    target = str(path)
    best, best_type = "", None
    for mnt, fstype in mounts:
        prefix = mnt if mnt.endswith("/") else mnt + "/"
        if (target == mnt or target.startswith(prefix)) and len(mnt) >= len(best):
            best, best_type = mnt, fstype
    return best_type


def _windows_remote(path: str) -> bool:
    if path.startswith(("\\\\", "//")):
        return True
    if sys.platform != "win32":
        return False
    import ctypes  # pragma: no cover - Windows only
    drive = os.path.splitdrive(path)[0]
    if not drive:
        return False
    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def network_share_reason(path: Path, mounts: list[tuple[str, str]] | None = None) -> str | None:
    """A reason string when ``path`` is on a network share, else None."""
    raw = str(path)
    if _windows_remote(raw):
        return "it is on a network drive (UNC path or mapped network drive)"
    existing = Path(path).resolve()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    fstype = filesystem_type(existing, mounts)
    if fstype and (fstype in NETWORK_FS or fstype.split(".")[0] in {"nfs", "cifs", "smb3"}):
        return f"it is on a network file system ({fstype})"
    return None
