"""Audit tail truncation: the chain head printed by `audit verify` / `backup` is an anchor;
`audit verify --expect-head SEQ:HASH` fails when the newest audit rows were removed (SQLite
and a real PostgreSQL server), and the commands print and check it."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

import main
from forms.errors import UserError
from pg_server import pg_server_url  # noqa: F401
from storage import services as sv
from storage.audit_verify import audit_head, verify_audit
from storage_fixtures import (answer_all, at_kiosk, db, enrol, pg_template, sqlite_db,  # noqa: F401
                              sqlite_template, staff)


def _activity(db) -> None:  # noqa: ANN001, F811
    v = enrol(db)
    adm = sv.start_administration(db, staff(db, "nurse"), visit_id=v.visit_id,
                                  instrument_id="rand36", language="en")
    answer_all(db, at_kiosk(db, v.visit_id), adm)
    _event(db)


def _event(db) -> None:  # noqa: ANN001, F811
    """One event row that no data value depends on (an identity mismatch at the kiosk)."""
    sv.record_event(db, staff(db, "nurse"), action="kiosk.identity_mismatch")


def _delete_newest(db, k: int) -> None:  # noqa: ANN001, F811
    """What someone with the database file / superuser rights can do."""
    if db.dialect == "sqlite":
        con = sqlite3.connect(db.path)
        con.execute("DROP TRIGGER audit_event_no_delete")
        con.execute("DELETE FROM audit_event WHERE seq > (SELECT max(seq) FROM audit_event) - ?",
                    (k,))
        con.commit()
        con.close()
        return
    with db.engine.begin() as c:
        c.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        c.execute(text("DELETE FROM audit_event WHERE seq > "
                       "(SELECT max(seq) FROM audit_event) - :k"), {"k": k})
        c.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


def test_removed_newest_rows_pass_the_chain_but_fail_the_anchor(db) -> None:  # noqa: F811
    _activity(db)
    first = verify_audit(db)
    assert first.ok and first.head == audit_head(db)
    seq, digest = first.head.split(":")
    assert int(seq) == first.events and len(digest) == 64
    assert f"audit chain head: {first.head}" in str(first)
    _delete_newest(db, 1)                     # the last event (no data value depends on it)
    assert verify_audit(db).ok                # the truncated chain is still a valid chain
    result = verify_audit(db, expect_head=first.head)
    assert not result.ok
    assert f"ends at seq {int(seq) - 1}" in result.first_problem
    assert "newest 1 audit row(s) were removed" in result.first_problem


def test_anchor_allows_growth_and_catches_a_rewritten_chain(db) -> None:  # noqa: F811
    _activity(db)
    nurse = staff(db, "nurse")      # a login it might need is written before the head is read
    head = verify_audit(db).head
    sv.record_event(db, nurse, action="kiosk.identity_mismatch")   # exactly one audit row
    grown = verify_audit(db, expect_head=head)
    assert grown.ok and grown.events == int(head.split(":")[0]) + 1
    seq = head.split(":")[0]
    other = verify_audit(db, expect_head=f"{seq}:{'0' * 64}")
    assert not other.ok and f"differs from the expected head at seq {seq}" in other.first_problem


@pytest.mark.parametrize("bad", ["", "12", "x:" + "a" * 64, "0:" + "a" * 64, "5:abc",
                                 "5:" + "g" * 64])
def test_bad_anchor_text_is_a_user_error(sqlite_db, bad) -> None:  # noqa: F811
    with pytest.raises(UserError, match="SEQ:HASH"):
        verify_audit(sqlite_db, expect_head=bad)


def _run(path: Path, *argv: str) -> int:
    return main.main(["--database", f"sqlite:///{path}", *argv])


def test_commands_print_and_check_the_head(tmp_path, capsys) -> None:
    path = tmp_path / "epro.db"
    pw = tmp_path / "pw"
    pw.write_text("admin-password\n")
    assert _run(path, "init", "--admin", "root-admin", "--password-file", str(pw)) == 0
    assert _run(tmp_path / "epro.db", "backup", str(tmp_path / "b.db"), "--user", "root-admin",
                "--password-file", str(pw)) == 0
    out = capsys.readouterr().out
    head = next(line.split(": ", 1)[1] for line in out.splitlines()
                if line.startswith("audit chain head in this backup: "))
    # the head printed is the one the backup itself holds (issue 18: it was one row ahead)
    assert _run(tmp_path / "b.db", "audit", "verify", "--expect-head", head) == 0
    assert f"audit chain head: {head}" in capsys.readouterr().out
    assert _run(path, "audit", "verify", "--expect-head", head) == 0   # the live chain reaches it
    live = next(line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines()
                if line.startswith("audit chain head: "))
    assert int(live.split(":")[0]) > int(head.split(":")[0])    # the backup.created event
    head = live
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_event_no_delete")
    con.execute("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
    con.commit()
    con.close()
    assert _run(path, "audit", "verify") == 0                    # without the anchor: unseen
    capsys.readouterr()
    assert _run(path, "audit", "verify", "--expect-head", head) == 1
    assert "were removed" in capsys.readouterr().out
    assert _run(path, "audit", "verify", "--expect-head", "nonsense") == 2   # UserError
