"""Files and folders that hold study data are private to the account running the app: 0600
files, 0700 folders, whatever the user's umask (issue 13 item 8). Databases (and SQLite's
``-wal``/``-shm``, which take the database file's mode), backups and exports are made through
these helpers."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (FileExistsError if it exists)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE)           # the umask can only have removed bits; be exact


def make_private_dirs(path: Path) -> None:
    """``mkdir -p`` where every folder made here is 0700 (existing ones are left as they are)."""
    missing = []
    p = Path(path)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR)
        os.chmod(folder, PRIVATE_DIR)


def make_private(paths: Iterable[Path]) -> None:
    """Files 0600 and folders 0700 (after writing into an existing target)."""
    for p in paths:
        if p.exists() and not p.is_symlink():
            os.chmod(p, PRIVATE_DIR if p.is_dir() else PRIVATE_FILE)


@contextmanager
def private_umask() -> Iterator[None]:
    """Everything created inside the block is at most 0600 / 0700 (umask 077), then the
    previous umask is restored."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "create_private_file", "make_private",
           "make_private_dirs", "private_umask"]
