"""Kiosk staff PIN on real storage: set by the account holder with their password, argon2,
trivial PINs refused, unlock gives the password login's session, lockout shared with the
password, every step audited (never the PIN)."""
from __future__ import annotations

import pytest

from forms.staff_pin import PinRefused, pin_problem
from storage import services as sv
from storage.errors import AuthError
from storage.models import User
from storage_fixtures import PASSWORDS, sqlite_db, sqlite_template, staff  # noqa: F401

PIN = "4071"


@pytest.mark.parametrize("pin", ["1234", "0000", "4321", "7890", "1212", "123", "123456789",
                                 "12a4", "", "１２３９"])
def test_trivial_or_malformed_pins_are_refused(pin):
    assert pin_problem(pin) is not None


@pytest.mark.parametrize("pin", [PIN, "2580", "19561", "80412375"])
def test_ordinary_pins_pass(pin):
    assert pin_problem(pin) is None


def _events(db, action_prefix: str) -> list[str]:
    return [h.action for h in sv.audit_history(db, entity="user_account")
            if h.action.startswith(action_prefix)]


def test_set_needs_the_password_and_refuses_trivial(sqlite_db):
    nurse = staff(sqlite_db, "nurse")
    with pytest.raises(PinRefused):
        sv.set_kiosk_pin(sqlite_db, nurse, password=PASSWORDS["nurse"], pin="1111")
    with pytest.raises(AuthError):
        sv.set_kiosk_pin(sqlite_db, nurse, password="wrong-password", pin=PIN)
    assert sv.kiosk_pin_users(sqlite_db) == []
    assert "kiosk_pin_set.failure" in _events(sqlite_db, "kiosk_pin_set")
    sv.set_kiosk_pin(sqlite_db, nurse, password=PASSWORDS["nurse"], pin=PIN)
    assert sv.kiosk_pin_users(sqlite_db) == ["nurse"]
    assert "user.kiosk_pin_set" in _events(sqlite_db, "user.")
    with sqlite_db.session() as s:
        stored = s.query(User).filter_by(username="nurse").one().kiosk_pin_hash
    assert stored.startswith("$argon2id$") and PIN not in stored
    with pytest.raises(Exception):
        sv.set_kiosk_pin(sqlite_db, staff(sqlite_db, "admin"), password=PASSWORDS["admin"],
                         pin=PIN)


def test_pin_unlock_is_the_password_session(sqlite_db):
    sv.set_kiosk_pin(sqlite_db, staff(sqlite_db, "nurse"), password=PASSWORDS["nurse"], pin=PIN)
    by_pin = sv.authenticate_pin(sqlite_db, "nurse", PIN, station_id="K1")
    by_pw = sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"], station_id="K1")
    assert (by_pin.kind, by_pin.user_id, by_pin.role) == (by_pw.kind, by_pw.user_id, by_pw.role)
    assert "auth.login_pin" in _events(sqlite_db, "auth.")
    with pytest.raises(AuthError):
        sv.authenticate_pin(sqlite_db, "investigator", PIN)      # no PIN set
    with pytest.raises(AuthError):
        sv.authenticate_pin(sqlite_db, "nobody", PIN)


def test_wrong_pins_lock_the_account_like_passwords(sqlite_db):
    sv.set_kiosk_pin(sqlite_db, staff(sqlite_db, "nurse"), password=PASSWORDS["nurse"], pin=PIN)
    for _ in range(sv.MAX_FAILURES):
        with pytest.raises(AuthError):
            sv.authenticate_pin(sqlite_db, "nurse", "9035")
    assert "auth.lockout" in _events(sqlite_db, "auth.")
    with pytest.raises(AuthError):
        sv.authenticate_pin(sqlite_db, "nurse", PIN)              # locked: right PIN refused
    with pytest.raises(AuthError):
        sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])   # one lockout per account
