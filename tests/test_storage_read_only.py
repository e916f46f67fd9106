"""A database in a read-only location is reported as read-only, never as "damaged, restore from
a backup" (issue 13 item 8). Run as another account when the tests run as root (root may write
anywhere)."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from storage_fixtures import sqlite_template  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
NOBODY = 65534


def _command(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop to a read-only account")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]


@pytest.fixture
def read_only_site(sqlite_template):  # noqa: ANN001, ANN201, F811
    """A copy of a real database (and the audit key) in a folder this account cannot write."""
    folder = Path(tempfile.mkdtemp(prefix="epro-ro-"))
    shutil.copyfile(sqlite_template, folder / "epro.db")
    key = Path(os.environ["EPRO_AUDIT_KEY_FILE"])
    shutil.copyfile(key, folder / "audit.key")
    for f in folder.iterdir():
        os.chmod(f, 0o444 if os.geteuid() != 0 else 0o644)   # root: owner-writable, not ours
    os.chmod(folder, 0o555 if os.geteuid() != 0 else 0o755)
    yield folder
    os.chmod(folder, 0o700)
    shutil.rmtree(folder)


def test_read_only_location_is_not_called_damaged(read_only_site) -> None:  # noqa: ANN001
    db = read_only_site / "epro.db"
    before = db.read_bytes()
    env = {**os.environ, "HOME": str(read_only_site),
           "EPRO_AUDIT_KEY_FILE": str(read_only_site / "audit.key")}
    res = subprocess.run(_command([sys.executable, str(ROOT / "main.py"), "--database",
                                   f"sqlite:///{db}", "study", "show"]),
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert res.returncode == 2, res.stderr
    assert "read-only location" in res.stderr and "damaged" not in res.stderr.replace(
        "not damaged", "")
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert db.read_bytes() == before
    assert sorted(p.name for p in read_only_site.iterdir()) == ["audit.key", "epro.db"]
    assert stat.S_IMODE(read_only_site.stat().st_mode) in (0o555, 0o755)
