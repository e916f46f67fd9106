"""storage.services.auth.change_password on the real storage: the update of the account is
audited under exactly ``user.password_change`` (the row holding the keyed password marker), a
wrong current password exactly under ``password_change.failure``; create_user's refusals name
the field and a new account is audited as ``user.create`` (issue 18: mutation testing)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forms.errors import UserError
from storage import services as sv
from storage.errors import AuthError, ConflictError
from storage.models import AuditEvent
from storage_fixtures import PASSWORDS, sqlite_db, sqlite_template  # noqa: F401


def _rows(db, since: int) -> list[AuditEvent]:  # noqa: ANN001
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.seq > since)
                              .order_by(AuditEvent.seq)))


def test_the_change_is_audited_under_its_action(sqlite_db) -> None:  # noqa: F811
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    start = max(r.seq for r in _rows(sqlite_db, 0))
    with pytest.raises(AuthError) as err:
        sv.change_password(sqlite_db, nurse, old_password="wrong-one-1",
                           new_password="new-ward-pass-1")
    assert str(err.value) == ("The current password is wrong or the account is locked; the "
                              "password was not changed.")
    failed = _rows(sqlite_db, start)
    assert [(r.action, r.operation, r.entity, r.entity_id) for r in failed if r.changes is None
            ] == [("password_change.failure", "event", "user_account", nurse.user_id)]
    start = max(r.seq for r in failed)
    sv.change_password(sqlite_db, nurse, old_password=PASSWORDS["nurse"],
                       new_password="new-ward-pass-1")
    rows = _rows(sqlite_db, start)
    update = [r for r in rows if r.entity == "user_account" and r.changes
              and "password_hash" in json.loads(r.changes)]
    assert [r.action for r in update] == ["user.password_change"]
    assert {r.action for r in rows} == {"user.password_change"}


def test_the_new_password_must_differ_exactly(sqlite_db) -> None:  # noqa: F811
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    with pytest.raises(UserError) as err:
        sv.change_password(sqlite_db, nurse, old_password=PASSWORDS["nurse"],
                           new_password=PASSWORDS["nurse"])
    assert str(err.value) == "The new password must differ from the current one."


def test_a_new_accounts_user_name_is_named_in_its_refusals(sqlite_db) -> None:  # noqa: F811
    admin = sv.authenticate(sqlite_db, "admin", PASSWORDS["admin"])
    for username, msg in (("  ", "User name is required."),
                          ("n" * 65, "User name is too long (at most 64 characters)."),
                          ("a\tb", "User name contains a control character.")):
        with pytest.raises(UserError) as err:
            sv.create_user(sqlite_db, admin, username=username, full_name="New Bie",
                           role="nurse", password="a-long-pass-42")
        assert str(err.value) == msg


def test_create_user_refusals_and_audit_action(sqlite_db) -> None:  # noqa: F811
    admin = sv.authenticate(sqlite_db, "admin", PASSWORDS["admin"])
    ok = {"username": "newbie", "full_name": "New Bie", "role": "nurse",
          "password": "a-long-pass-42"}
    for change, msg in (({"role": "boss"},
                         "Unknown role 'boss' (use nurse, investigator, admin)."),
                        ({"full_name": " "}, "Full name is required."),
                        ({"full_name": "f" * 201},
                         "Full name is too long (at most 200 characters).")):
        with pytest.raises(UserError) as err:
            sv.create_user(sqlite_db, admin, **{**ok, **change})
        assert str(err.value) == msg
    start = max(r.seq for r in _rows(sqlite_db, 0))
    uid = sv.create_user(sqlite_db, admin, **ok)
    assert {(r.action, r.entity, r.entity_id) for r in _rows(sqlite_db, start)} == {
        ("user.create", "user_account", uid)}
    with pytest.raises(ConflictError) as err:
        sv.create_user(sqlite_db, admin, **{**ok, "username": " newbie "})
    assert str(err.value) == "This user name exists (user names are never reused)."
