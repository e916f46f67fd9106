"""Authentication rules (storage/services/auth.py) at both sides of each threshold, on the real
storage: 4 failures leave the account open and the 5th locks it; the lock holds for 15 minutes
(14:59 still locked, 15:01 open) and clears the count; a success resets the count; an
inactive or unknown account fails with the same message; every step is audited. Survivors of
``make mutation`` on storage/services/auth.py."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from forms.errors import UserError
from storage import audit
from storage import services as sv
from storage.actors import Actor
from storage.clock import use_clock
from storage.db import open_database
from storage.errors import AuthError, ConflictError, PermissionDenied
from storage.models import AuditEvent, User
from storage.services import auth
from storage_fixtures import PASSWORDS, sqlite_db, sqlite_template, staff  # noqa: F401

T0 = datetime(2030, 3, 4, 8, 0, tzinfo=timezone.utc)
WRONG = "wrong-password-1"


def _user(db, name="nurse") -> User:  # noqa: ANN001
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == name))
        s.expunge(user)
        return user


def _events(db, since: int = 0) -> list[tuple[str, str | None, str | None]]:  # noqa: ANN001
    """The audit EVENTS after ``since`` (not the audited changes of the account row), the
    entity as ``table:id``."""
    with db.session() as s:
        return [(e.action, e.entity and f"{e.entity}:{e.entity_id}", e.detail) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.seq > since, AuditEvent.operation == "event")
            .order_by(AuditEvent.seq))]


def _set_hash(db, value: str) -> None:  # noqa: ANN001
    """A stored hash as an older version (other argon2 parameters) or damage left it; written
    attributed like any change, so the audit trail stays whole."""
    with db.session() as s:
        audit.set_context(s, staff(db, "admin"), "test.legacy_hash", reason="older version")
        s.scalar(select(User).where(User.username == "nurse")).password_hash = value
        s.commit()


def _last_seq(db) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)) or 0


def _fail(db, name="nurse", password=WRONG) -> None:  # noqa: ANN001
    with pytest.raises(AuthError) as err:
        sv.authenticate(db, name, password)
    assert str(err.value) == auth.AUTH_FAILED


def test_policy_constants():
    assert (auth.MAX_FAILURES, auth.LOCKOUT) == (5, timedelta(minutes=15))
    assert auth.AUTH_FAILED == ("Login failed: wrong user name or password, or the account is "
                                "locked.")


def test_four_failures_leave_the_account_open_the_fifth_locks_it(sqlite_db):  # noqa: F811
    with use_clock(lambda: T0):
        seq = _last_seq(sqlite_db)
        for n in range(1, 5):
            _fail(sqlite_db)
            assert (_user(sqlite_db).failed_logins, _user(sqlite_db).locked_until) == (n, None)
        uid = _user(sqlite_db).id
        assert _events(sqlite_db, seq) == [("auth.failure", f"user_account:{uid}", None)] * 4
        _fail(sqlite_db)                                            # the 5th
        user = _user(sqlite_db)
        assert user.failed_logins == 0                              # the count starts again
        assert user.locked_until.replace(tzinfo=timezone.utc) == T0 + timedelta(minutes=15)
        assert _events(sqlite_db, seq)[-2:] == [
            ("auth.failure", f"user_account:{uid}", None),
            ("auth.lockout", f"user_account:{uid}", "locked for 15 minutes")]
        seq = _last_seq(sqlite_db)
        _fail(sqlite_db, password=PASSWORDS["nurse"])               # locked: right password too
        assert _events(sqlite_db, seq) == [("auth.refused_locked", f"user_account:{uid}", None)]
        assert _user(sqlite_db).failed_logins == 0                  # not counted while locked


@pytest.mark.parametrize("after, opens", [(timedelta(minutes=14, seconds=59), False),
                                          (timedelta(minutes=15), True),
                                          (timedelta(minutes=15, seconds=1), True)])
def test_the_lock_holds_15_minutes(sqlite_db, after, opens):  # noqa: F811
    with use_clock(lambda: T0):
        for _ in range(5):
            _fail(sqlite_db)
    with use_clock(lambda: T0 + after):
        if opens:
            assert sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"]).username == "nurse"
            assert (_user(sqlite_db).failed_logins, _user(sqlite_db).locked_until) == (0, None)
        else:
            _fail(sqlite_db, password=PASSWORDS["nurse"])


def test_a_success_resets_the_count(sqlite_db):  # noqa: F811
    for _ in range(3):
        _fail(sqlite_db)
    assert _user(sqlite_db).failed_logins == 3
    current = _user(sqlite_db).password_hash
    actor = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"], station_id="WS-9")
    assert (actor.username, actor.role, actor.station_id) == ("nurse", "nurse", "WS-9")
    assert _user(sqlite_db).failed_logins == 0
    assert _user(sqlite_db).password_hash == current          # a current hash is kept
    assert _events(sqlite_db)[-1] == ("auth.login", f"user_account:{actor.user_id}", None)


def test_an_inactive_account_is_refused_with_the_same_message(sqlite_db):  # noqa: F811
    sv.set_user_active(sqlite_db, staff(sqlite_db, "admin"), _user(sqlite_db).id, False,
                       reason="left the ward")
    seq = _last_seq(sqlite_db)
    _fail(sqlite_db, password=PASSWORDS["nurse"])
    assert [a for a, _e, _d in _events(sqlite_db, seq)] == ["auth.refused_locked"]


def test_an_unknown_user_is_audited_and_refused_with_the_same_message(sqlite_db):  # noqa: F811
    seq = _last_seq(sqlite_db)
    _fail(sqlite_db, name="nobody", password=PASSWORDS["nurse"])
    _fail(sqlite_db, name=None, password=None)            # type: ignore[arg-type]
    assert _events(sqlite_db, seq) == [("auth.failure", None, "unknown user")] * 2


def test_user_name_is_trimmed(sqlite_db):  # noqa: F811
    assert sv.authenticate(sqlite_db, "  nurse ", PASSWORDS["nurse"]).username == "nurse"


def test_an_outdated_hash_is_upgraded_at_login(sqlite_db):  # noqa: F811
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORDS["nurse"])
    _set_hash(sqlite_db, weak)
    sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    stored = _user(sqlite_db).password_hash
    assert stored != weak and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"]).username == "nurse"


def test_a_damaged_hash_fails_like_a_wrong_password(sqlite_db):  # noqa: F811
    _set_hash(sqlite_db, "not-a-hash")
    _fail(sqlite_db, password=PASSWORDS["nurse"])
    assert _user(sqlite_db).failed_logins == 1


def test_hash_password_applies_the_policy_and_hashes_with_argon2id():
    with pytest.raises(UserError, match="user name"):
        auth.hash_password("nurse-ward-7-x", "nurse")
    h = auth.hash_password("qv7-tarn-Kelp-w3", "nurse")
    assert h.startswith("$argon2id$")


def test_create_user_checks_role_name_permission_and_uniqueness(sqlite_db):  # noqa: F811
    admin = staff(sqlite_db, "admin")
    with pytest.raises(UserError, match="Unknown role 'chief'"):
        sv.create_user(sqlite_db, admin, username="x-user", full_name="X", role="chief",
                       password="qv7-tarn-Kelp-w3")
    with pytest.raises(UserError, match="user name"):
        sv.create_user(sqlite_db, admin, username="kelpie", full_name="K", role="nurse",
                       password="kelpie-ward-7-x")
    with pytest.raises(PermissionDenied):
        sv.create_user(sqlite_db, staff(sqlite_db, "nurse"), username="x-user", full_name="X",
                       role="nurse", password="qv7-tarn-Kelp-w3")
    count = sv.user_count(sqlite_db)
    uid = sv.create_user(sqlite_db, admin, username=" x-user ", full_name=" Xu Li ",
                         role="investigator", password="qv7-tarn-Kelp-w3")
    assert sv.user_count(sqlite_db) == count + 1
    user = _user(sqlite_db, "x-user")
    assert (user.id, user.role, user.full_name, user.active) == (uid, "investigator", "Xu Li",
                                                                 True)
    assert user.created_at is not None and user.password_changed_at is not None
    assert sv.authenticate(sqlite_db, "x-user", "qv7-tarn-Kelp-w3").role == "investigator"
    with pytest.raises(ConflictError, match="exists"):
        sv.create_user(sqlite_db, admin, username="x-user", full_name="Y", role="nurse",
                       password="qv7-tarn-Kelp-w3")


def test_change_password_rules(sqlite_db):  # noqa: F811
    with pytest.raises(UserError, match="Only a staff account"):
        sv.change_password(sqlite_db, Actor.patient(1), old_password="x", new_password="y")
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    with pytest.raises(UserError, match="user name"):           # policy before anything
        sv.change_password(sqlite_db, nurse, old_password=PASSWORDS["nurse"],
                           new_password="nurse-ward-7-x")
    with pytest.raises(AuthError, match="current password is wrong"):
        sv.change_password(sqlite_db, nurse, old_password=WRONG, new_password="qv7-tarn-Kelp-w3")
    assert _user(sqlite_db).failed_logins == 1                  # counted toward the lockout
    sv.reset_password(sqlite_db, staff(sqlite_db, "admin"), nurse.user_id,
                      temporary_password="temp-ward-key-5", reason="forgotten")
    before = _user(sqlite_db).password_changed_at
    nurse = sv.authenticate(sqlite_db, "nurse", "temp-ward-key-5")
    assert nurse.must_change_password is True
    with pytest.raises(UserError, match="differ"):
        sv.change_password(sqlite_db, nurse, old_password="temp-ward-key-5",
                           new_password="temp-ward-key-5")
    with use_clock(lambda: T0):
        after = sv.change_password(sqlite_db, nurse, old_password="temp-ward-key-5",
                                   new_password="qv7-tarn-Kelp-w3")
    assert after.must_change_password is False and after.user_id == nurse.user_id
    user = _user(sqlite_db)
    assert user.must_change_password is False and user.failed_logins == 0
    assert user.password_changed_at.replace(tzinfo=timezone.utc) == T0 != before
    assert _events(sqlite_db)[-1] == ("user.password_change", f"user_account:{user.id}", None)
    assert sv.authenticate(sqlite_db, "nurse", "qv7-tarn-Kelp-w3").username == "nurse"


def test_only_a_staff_actor_with_an_account_has_a_password_to_change(sqlite_db):  # noqa: F811
    nurse = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    for actor in (replace(nurse, user_id=None), replace(Actor.patient(1), user_id=nurse.user_id),
                  Actor.patient(1)):
        with pytest.raises(UserError) as err:
            sv.change_password(sqlite_db, actor, old_password=PASSWORDS["nurse"],
                               new_password="qv7-tarn-Kelp-w3")
        assert str(err.value) == "Only a staff account has a password to change."


def test_user_count_of_a_database_without_accounts_is_0(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert sv.user_count(db) == 0
    finally:
        db.dispose()


def _account_changes(db, since: int) -> list[tuple]:  # noqa: ANN001
    """The audited CHANGES of the account rows after ``since``: action, actor, station, fields."""
    with db.session() as s:
        return [(e.action, e.actor_kind, e.actor_username, e.station_id, e.changes)
                for e in s.scalars(select(AuditEvent).where(
                    AuditEvent.seq > since, AuditEvent.operation == "update",
                    AuditEvent.entity == "user_account").order_by(AuditEvent.seq))]


def test_login_changes_are_attributed_to_the_login_at_its_station(sqlite_db):  # noqa: F811
    """The account's changes at a login are the system's, at the station, as ``auth.login``;
    the login event itself is the staff member's own (who, where and why for every row)."""
    seq = _last_seq(sqlite_db)
    with pytest.raises(AuthError):
        sv.authenticate(sqlite_db, "nurse", WRONG, station_id="WS-7")
    with pytest.raises(AuthError):
        sv.authenticate(sqlite_db, "nobody", WRONG, station_id="WS-7")
    sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"], station_id="WS-7")
    with sqlite_db.session() as s:
        events = [(e.action, e.actor_kind, e.actor_username, e.station_id) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.seq > seq, AuditEvent.operation == "event")
            .order_by(AuditEvent.seq))]
    assert events == [("auth.failure", "system", "system", "WS-7")] * 2 + [
        ("auth.login", "user", "nurse", "WS-7")]
    changes = _account_changes(sqlite_db, seq)
    assert [c[:4] for c in changes] == [("auth.login", "system", "system", "WS-7")] * 2
    assert all('"failed_logins"' in c[4] for c in changes)

def test_the_unknown_account_hash_logs_nobody_in(sqlite_db, monkeypatch):  # noqa: F811
    """Were the password behind the unknown-account hash known, it still opens nothing: not an
    unknown account, and not a kiosk PIN where none is set (``stored is not None``)."""
    monkeypatch.setattr(auth, "_DUMMY", PasswordHasher().hash("dummy-known-7"))
    _fail(sqlite_db, name="nobody", password="dummy-known-7")
    with sqlite_db.session() as s:
        nurse = s.scalar(select(User).where(User.username == "nurse"))
        assert nurse.kiosk_pin_hash is None
        assert auth._check(nurse, "dummy-known-7", pin=True) is False
        assert auth._check(None, "dummy-known-7") is False
        assert auth._check(nurse, PASSWORDS["nurse"]) is True          # a password by default
        assert auth._check(nurse, PASSWORDS["nurse"], pin=True) is False


def test_a_missing_user_name_matches_no_account(sqlite_db):  # noqa: F811
    """No user name is no account, also when an account's name looks like a placeholder."""
    sv.create_user(sqlite_db, staff(sqlite_db, "admin"), username="XXXX", full_name="Place Holder",
                   role="nurse", password="qv7-tarn-Kelp-w3")
    assert sv.authenticate(sqlite_db, "XXXX", "qv7-tarn-Kelp-w3").username == "XXXX"
    _fail(sqlite_db, name=None, password="qv7-tarn-Kelp-w3")          # type: ignore[arg-type]
    _fail(sqlite_db, name="", password="qv7-tarn-Kelp-w3")
