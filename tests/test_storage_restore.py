"""`epro restore` (issue 13 item 2): an administrator restores a backup of THIS study into the
live SQLite file; refused while another connection has it open, onto itself, for another
study; a smaller backup or another audit history only with --yes; the old content is kept as a
unique .bak; the restore is audited. Real SQLite files, through main.py's parser."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import main
from storage import services as sv
from storage.auth_sessions import system_actor
from storage.db import open_database

ADMIN_PW = "admin-password-1"


def run(db_path: Path, *argv: str) -> int:
    return main.main(["--database", f"sqlite:///{db_path}", *argv])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path, Path]:
    """A live database (study + admin 'chief' + nurse 'nina') and a backup of it."""
    pw = tmp_path / "pw"
    pw.write_text(ADMIN_PW + "\n", encoding="utf-8")
    live = tmp_path / "epro.db"
    assert run(live, "init", "--admin", "chief", "--password-file", str(pw)) == 0
    db = open_database(f"sqlite:///{live}", create=False)
    sv.create_user(db, system_actor(), username="nina", full_name="N", role="nurse",
                   password="nurse-password-1")
    db.dispose()
    backup = tmp_path / "backup.db"
    assert run(live, "backup", str(backup), "--user", "chief", "--password-file", str(pw)) == 0
    return live, backup, pw


def restore(live: Path, backup: Path, pw: Path, *extra: str, user: str = "chief") -> int:
    return run(live, "restore", str(backup), "--user", user, "--password-file", str(pw), *extra)


def add_user(live: Path, name: str) -> None:
    db = open_database(f"sqlite:///{live}", create=False)
    sv.create_user(db, system_actor(), username=name, full_name=name, role="nurse",
                   password="nurse-password-2")
    db.dispose()


def users(live: Path) -> set[str]:
    con = sqlite3.connect(live)
    try:
        return {r[0] for r in con.execute("SELECT username FROM user_account")}
    finally:
        con.close()


def test_restore_is_audited_with_the_administrator(site, capsys):
    live, backup, pw = site
    assert restore(live, backup, pw) == 0
    assert "audit OK" in capsys.readouterr().out
    con = sqlite3.connect(live)
    row = con.execute("SELECT actor_username, detail FROM audit_event WHERE action = "
                      "'database.restored'").fetchone()
    con.close()
    assert row[0] == "chief" and f"sha256={digest(backup)}" in row[1]


def test_refused_while_another_station_has_the_database_open(site, capsys):
    live, backup, pw = site
    add_user(live, "later")
    station = open_database(f"sqlite:///{live}", create=False)   # a station left running
    try:
        sv.list_users(station, sv.authenticate(station, "chief", ADMIN_PW))
        assert restore(live, backup, pw, "--yes") == 2
        assert "open in another window, station or program" in capsys.readouterr().err
        assert "later" in users(live) and list(live.parent.glob("*.bak")) == []
        sv.create_user(station, system_actor(), username="still", full_name="S", role="nurse",
                       password="nurse-password-3")           # the station goes on working
    finally:
        station.dispose()
    assert {"later", "still"} <= users(live)


def test_a_smaller_backup_needs_yes_and_the_old_content_is_kept(site, capsys):
    live, backup, pw = site
    add_user(live, "later")
    assert restore(live, backup, pw) == 2                      # no terminal: --yes needed
    assert "holds less than the database" in capsys.readouterr().err
    assert "later" in users(live) and list(live.parent.glob("*.bak")) == []
    assert restore(live, backup, pw, "--yes") == 0
    assert "later" not in users(live)
    kept = list(live.parent.glob("epro.db.*.bak"))
    assert len(kept) == 1 and "later" in users(kept[0])


def test_two_restores_in_the_same_second_keep_two_bak_files(site):
    live, backup, pw = site
    assert restore(live, backup, pw) == 0
    assert restore(live, backup, pw, "--yes") == 0             # restore event makes it larger
    assert len(set(live.parent.glob("epro.db.*.bak"))) == 2


def test_restore_onto_itself_is_refused(site, capsys):
    live, _backup, pw = site
    before = digest(live)
    assert restore(live, live, pw, "--yes") == 2
    assert "live database file itself" in capsys.readouterr().err
    assert digest(live) == before


def test_backup_of_another_study_is_refused(site, capsys):
    live, backup, pw = site
    con = sqlite3.connect(backup)
    con.execute("UPDATE study SET protocol_id = 'OTHER-STUDY'")
    con.commit()
    con.close()
    before = digest(live)
    assert restore(live, backup, pw, "--yes") == 2
    assert "belongs to study OTHER-STUDY" in capsys.readouterr().err
    assert digest(live) == before


def test_only_an_administrator_with_the_right_password(site, tmp_path):
    live, backup, pw = site
    nurse_pw = tmp_path / "nurse-pw"
    nurse_pw.write_text("nurse-password-1\n", encoding="utf-8")
    add_user(live, "later")
    assert restore(live, backup, nurse_pw, "--yes", user="nina") == 2
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-password\n", encoding="utf-8")
    assert restore(live, backup, wrong, "--yes") == 2
    with pytest.raises(SystemExit):
        run(live, "restore", str(backup), "--yes")               # --user is required
    assert "later" in users(live) and list(live.parent.glob("*.bak")) == []


def test_a_vanished_database_is_restored_with_the_backup_login(site, capsys):
    live, backup, pw = site
    live.unlink()
    for side in ("-wal", "-shm"):
        Path(f"{live}{side}").unlink(missing_ok=True)
    assert restore(live, backup, pw) == 0
    assert users(live) == {"chief", "nina"}
    assert "audit OK" in capsys.readouterr().out


def test_a_damaged_database_is_kept_and_replaced(site, capsys):
    live, backup, pw = site
    for side in ("-wal", "-shm"):
        Path(f"{live}{side}").unlink(missing_ok=True)
    live.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)   # damaged beyond opening
    damaged = digest(live)
    assert restore(live, backup, pw) == 0                      # login from the backup
    assert users(live) == {"chief", "nina"}
    kept = list(live.parent.glob("epro.db.*.bak"))
    assert len(kept) == 1 and digest(kept[0]) == damaged


def test_a_backup_with_another_audit_history_needs_yes(site, tmp_path, capsys):
    live, _backup, pw = site
    other = tmp_path / "other" / "epro.db"                     # same study, another install
    other.parent.mkdir()
    assert run(other, "init", "--admin", "chief", "--password-file", str(pw)) == 0
    add_user(other, "nina")
    add_user(other, "ola")
    foreign = tmp_path / "other-backup.db"
    assert run(other, "backup", str(foreign), "--user", "chief", "--password-file",
               str(pw)) == 0
    capsys.readouterr()
    assert restore(live, foreign, pw) == 2
    assert "not a beginning of this database's audit trail" in capsys.readouterr().err
    assert "ola" not in users(live)
    assert restore(live, foreign, pw, "--yes") == 0
    assert "ola" in users(live)
