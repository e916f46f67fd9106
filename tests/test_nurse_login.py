"""Staff login screen over the real ``storage.services.authenticate`` (SQLite template copy),
and the idle watcher."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from storage import services as sv
from storage_fixtures import PASSWORDS, sqlite_db, sqlite_template  # noqa: F401
from ui.nurse.backend import StorageBackend
from ui.nurse.login import DEMO_ACCOUNTS, LoginWidget
from ui.widgets.idle import IdleWatcher


class Calls:
    """The real authentication, noting what the screen asked it (who, with which password)."""

    def __init__(self, db):
        self.authenticate = StorageBackend(db).authenticate
        self.calls: list[tuple[str, str]] = []

    def __call__(self, user, password):
        self.calls.append((user, password))
        return self.authenticate(user, password)


@pytest.fixture
def auth(sqlite_db):
    return Calls(sqlite_db)


def _attempt(qtbot, w, user, pw):
    w.user_edit.setText(user)
    w.password_edit.setText(pw)
    with qtbot.waitSignal(w.attempt_finished, timeout=10000) as blocker:
        qtbot.mouseClick(w.login_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_success_emits_actor_and_clears_fields(qtbot, auth):
    w = LoginWidget(auth)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.logged_in, timeout=10000) as got:
        w.user_edit.setText("nurse")
        w.password_edit.setText(PASSWORDS["nurse"])
        w.submit()
    assert got.args[0].role == "nurse" and got.args[0].username == "nurse"
    assert w.password_edit.text() == "" and w.user_edit.text() == ""
    assert auth.calls == [("nurse", PASSWORDS["nurse"])]


def test_same_message_for_wrong_user_wrong_password_and_lockout(qtbot, auth, sqlite_db):
    """Real lockout: after MAX_FAILURES wrong passwords even the right one is refused, and the
    screen says exactly what it says for an unknown user or a wrong password."""
    w = LoginWidget(auth)
    qtbot.addWidget(w)
    attempts = [("nobody", "x")] + [("nurse", "wrong")] * sv.MAX_FAILURES \
        + [("nurse", PASSWORDS["nurse"])]
    messages = []
    for user, pw in attempts:
        assert _attempt(qtbot, w, user, pw) is False
        messages.append(w.message_label.text())
        assert w.password_edit.text() == ""          # password never kept
    assert len(set(messages)) == 1
    assert "locked for 15 minutes" in messages[0]
    with pytest.raises(sv.AuthError) as refused:     # the service's refusal, not the screen's
        sv.authenticate(sqlite_db, "nurse", PASSWORDS["nurse"])
    assert str(refused.value) not in messages[0]     # storage's own text is never shown


def test_database_problem_is_shown_with_its_message(qtbot, sqlite_db):
    """A damaged database file: the storage error's message, not the generic login failure."""
    sqlite_db.dispose()
    with open(sqlite_db.path, "r+b") as fh:
        fh.write(b"not a database" * 200)
    w = LoginWidget(StorageBackend(sqlite_db).authenticate)
    qtbot.addWidget(w)
    assert _attempt(qtbot, w, "nurse", "x") is False
    assert "damaged or not a database" in w.message_label.text()
    assert w.message_label.text() != w.generic_failure()


def test_empty_fields_do_not_call_the_service(qtbot, auth):
    w = LoginWidget(auth)
    qtbot.addWidget(w)
    w.user_edit.setText("nurse")
    w.submit()
    assert auth.calls == [] and "Enter your user name" in w.message_label.text()


def test_demo_accounts_shown_only_in_demo_mode(qtbot, auth):
    plain = LoginWidget(auth)
    demo = LoginWidget(auth, demo=True)
    qtbot.addWidget(plain)
    qtbot.addWidget(demo)
    assert plain.demo_box is None and plain.findChild(QWidget, "login_demo_accounts") is None
    assert demo.demo_box is not None
    for user, pw, _ in DEMO_ACCOUNTS:
        btn = demo.findChild(QWidget, f"login_demo_{user}")
        qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
        assert (demo.user_edit.text(), demo.password_edit.text()) == (user, pw)
    assert [a[:2] for a in DEMO_ACCOUNTS] == [("nurse", "ward-demo-1"),
                                              ("investigator", "trial-demo-1"),
                                              ("admin", "site-demo-1")]


def test_idle_watcher_fires_after_timeout(qtbot):
    w = IdleWatcher(timeout_ms=80)
    with qtbot.waitSignal(w.timed_out, timeout=2000):
        w.start()
    assert not w.is_running()
    w.stop()


def test_idle_watcher_restarts_on_activity(qtbot):
    target = QWidget()
    qtbot.addWidget(target)
    target.show()
    w = IdleWatcher(timeout_ms=300)
    fired = []
    w.timed_out.connect(lambda: fired.append(True))
    w.start()
    remaining = []
    # keep pressing keys: the timer restarts each time, so it never reaches zero meanwhile
    for _ in range(6):
        qtbot.wait(100)
        qtbot.keyClick(target, Qt.Key.Key_A)
        remaining.append(w._timer.remainingTime())
    assert not fired and min(remaining) > 250
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    w.stop()


def test_idle_watcher_default_is_ten_minutes():
    assert IdleWatcher().timeout_ms == 10 * 60 * 1000
