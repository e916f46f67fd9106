"""CLI commands on patient data take the acting account and are audited with it (issue 13
item 4): summary, backup, demo-data on an existing demo study; ``init`` creates no account on a
database that has accounts; ``demo-data`` refuses a study not created as a demo."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

import main
from storage import services as sv
from storage.db import open_database
from storage.demo import generate_demo_data
from storage.models import AuditEvent, User

ADMIN_PW = "admin-password-1"


def run(db_path: Path, *argv: str) -> int:
    return main.main(["--database", f"sqlite:///{db_path}", *argv])


def pw_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / f"pw-{abs(hash(text))}"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def events(db_path: Path, action: str) -> list[tuple[str | None, str | None]]:
    db = open_database(f"sqlite:///{db_path}", create=False)
    try:
        with db.session() as s:
            return [(e.actor_username, e.actor_role) for e in s.scalars(
                select(AuditEvent).where(AuditEvent.action == action))]
    finally:
        db.dispose()


def usernames(db_path: Path) -> set[str]:
    db = open_database(f"sqlite:///{db_path}", create=False)
    try:
        with db.session() as s:
            return set(s.scalars(select(User.username)))
    finally:
        db.dispose()


@pytest.fixture
def real_study(tmp_path) -> Path:
    path = tmp_path / "epro.db"
    assert run(path, "init", "--admin", "chief", "--password-file",
               pw_file(tmp_path, ADMIN_PW)) == 0
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main.main(["--database", f"sqlite:///{path}", "demo-data", "--patients", "1"]) == 0
    return path


def test_init_on_a_database_with_accounts_creates_no_admin(real_study, tmp_path, capsys):
    capsys.readouterr()
    assert run(real_study, "init", "--admin", "eve", "--password-file",
               pw_file(tmp_path, "eve-password-9")) == 2
    err = capsys.readouterr().err
    assert "already has staff accounts" in err and err.count("\n") == 1
    assert usernames(real_study) == {"chief"}
    assert run(real_study, "init") == 0                     # the upgrade/check still works


def test_demo_data_refuses_a_real_study(real_study, capsys):
    capsys.readouterr()
    assert run(real_study, "demo-data", "--patients", "2") == 2
    assert "not created as a demo" in capsys.readouterr().err
    assert usernames(real_study) == {"chief"}                # no demo accounts either
    db = open_database(f"sqlite:///{real_study}", create=False)
    try:
        assert sv.patient_count(db) == 0
        with pytest.raises(Exception, match="not created as a demo"):
            generate_demo_data(db, patients=1)             # the library refuses as well
    finally:
        db.dispose()


def test_demo_data_on_an_existing_demo_study_needs_a_login(demo_db, tmp_path, capsys):
    capsys.readouterr()
    assert run(demo_db, "demo-data", "--patients", "1") == 2
    assert "--user" in capsys.readouterr().err
    assert run(demo_db, "demo-data", "--patients", "1", "--user", "nurse", "--password-file",
               pw_file(tmp_path, "wrong-password-1")) == 2
    assert run(demo_db, "demo-data", "--patients", "1", "--seed", "2", "--user", "nurse",
               "--password-file", pw_file(tmp_path, "ward-demo-1")) == 0
    assert events(demo_db, "demo.data_added") == [("nurse", "nurse")]


def test_backup_needs_an_administrator_and_is_audited(real_study, tmp_path, capsys):
    target = tmp_path / "b.db"
    with pytest.raises(SystemExit) as exc:                  # --user is required
        run(real_study, "backup", str(target))
    assert exc.value.code == 2 and not target.exists()
    db = open_database(f"sqlite:///{real_study}", create=False)
    admin = sv.authenticate(db, "chief", ADMIN_PW)
    sv.create_user(db, admin, username="nina", full_name="N", role="nurse",
                   password="nurse-password-1")
    db.dispose()
    capsys.readouterr()
    assert run(real_study, "backup", str(target), "--user", "nina", "--password-file",
               pw_file(tmp_path, "nurse-password-1")) == 2
    assert "may not" in capsys.readouterr().err and not target.exists()
    assert run(real_study, "backup", str(target), "--user", "chief", "--password-file",
               pw_file(tmp_path, ADMIN_PW)) == 0
    assert target.exists()
    assert events(real_study, "backup.created") == [("chief", "admin")]


def test_summary_needs_a_login_and_is_audited(demo_db, tmp_path, capsys):
    out = tmp_path / "s.pdf"
    args = ("summary", "--subject", "DEMO-0001", "--visit", "BL", "-o", str(out))
    with pytest.raises(SystemExit):
        run(demo_db, *args)
    assert run(demo_db, *args, "--user", "nurse", "--password-file",
               pw_file(tmp_path, "not-the-password")) == 2
    assert not out.exists()
    assert run(demo_db, *args, "--user", "admin", "--password-file",
               pw_file(tmp_path, "site-demo-1")) == 2         # admins never see clinical data
    assert not out.exists()
    capsys.readouterr()
    assert run(demo_db, *args, "--user", "nurse", "--password-file",
               pw_file(tmp_path, "ward-demo-1")) == 0
    assert out.exists()
    assert out.stat().st_mode & 0o777 == 0o600        # patient data: private like exports
    assert ("nurse", "nurse") in events(demo_db, "summary.printed")


def test_storage_commands_start_in_a_fresh_interpreter(tmp_path):
    """``storage.commands`` logs in through ``storage.services``: importing it first (as
    main.py does for init/backup/demo-data) must not hit an import loop (it did once)."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, str(root / "main.py"), "--database",
                          f"sqlite:///{tmp_path / 'x.db'}", "init"], capture_output=True,
                         text=True, cwd=root, timeout=120)
    assert res.returncode == 0 and "database ready" in res.stdout, res.stderr
