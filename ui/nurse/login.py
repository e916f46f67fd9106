"""Staff login screen: user name + password, one generic failure message, demo accounts in demo mode.

The check itself (argon2id, 5 failures -> 15 min lockout, audit rows) is done by
``storage.services.authenticate``; this screen runs it off the GUI thread and never tells
whether the user name, the password or a lockout was the reason (OWASP; reliability.md §3.2).

The screen is the workstation's first (issue 16): made without a check (``authenticate=None``)
it shows while the storage layer loads and the database is opened on a worker; the user may
type, and "Log in" works once ``set_authenticate`` gives it the check. Nothing here imports
storage before that (SQLAlchemy and the models are most of the start-up time).
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from ui.widgets.errors import user_message
from ui.widgets.tasks import run_task

DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("nurse", "ward-demo-1", "nurse"),
    ("investigator", "trial-demo-1", "investigator"),
    ("admin", "site-demo-1", "admin"),
)


class LoginWidget(QWidget):
    """Emits ``logged_in(actor)`` after a successful ``authenticate(username, password)``."""

    logged_in = Signal(object)
    attempt_finished = Signal(bool)   # for tests and the status bar: True = success

    def __init__(self, authenticate: Callable[[str, str], Any] | None, *, demo: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nurse_login")
        self._authenticate = authenticate
        self._busy = False

        title = QLabel(self.tr("ePRO Desk — staff login"))
        title.setObjectName("login_title")
        f = title.font()
        f.setPointSize(f.pointSize() + 8)
        f.setBold(True)
        title.setFont(f)

        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("login_user")
        self.user_edit.setAccessibleName(self.tr("User name"))
        self.user_edit.setMaxLength(64)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("login_password")
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(256)
        self.login_button = QPushButton(self.tr("Log in"))
        self.login_button.setObjectName("login_button")
        self.login_button.setDefault(True)
        self.login_button.setMinimumHeight(40)
        self.message_label = QLabel()
        self.message_label.setObjectName("login_message")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b00020;")
        # room for a three-line message (the logout note, a lockout): the centred box does not
        # grow for a wrapped label by itself
        self.message_label.setMinimumHeight(3 * self.message_label.fontMetrics().lineSpacing())

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)

        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.login_button)
        inner.addWidget(self.message_label)
        hint = QLabel(self.tr("After 5 failed attempts an account is locked for 15 minutes."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        inner.addWidget(hint)

        self.demo_box: QFrame | None = None
        if demo:
            self.demo_box = self._demo_panel()
            inner.addWidget(self.demo_box)

        outer = QHBoxLayout(self)
        outer.addStretch(1)
        col = QVBoxLayout()
        col.addStretch(1)
        col.addWidget(box)
        col.addStretch(2)
        outer.addLayout(col)
        outer.addStretch(1)

        self.login_button.clicked.connect(self.submit)
        self.password_edit.returnPressed.connect(self.submit)
        self.user_edit.returnPressed.connect(self.password_edit.setFocus)
        if authenticate is None:          # the launcher says what is waited for
            self._set_busy(False)                       # type ahead; "Log in" waits
            self.message_label.setStyleSheet("color: #444;")

    @property
    def ready(self) -> bool:
        """True once the screen can check a login (the database is open)."""
        return self._authenticate is not None

    def set_authenticate(self, authenticate: Callable[[str, str], Any]) -> None:
        """The database is open: "Log in" checks with ``authenticate`` from now on (what was
        typed meanwhile stays)."""
        waiting = self._authenticate is None
        self._authenticate = authenticate
        if waiting:
            self.message_label.clear()
            self.message_label.setStyleSheet("color: #b00020;")
            self._set_busy(False)

    def _demo_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("login_demo_accounts")
        panel.setStyleSheet("#login_demo_accounts { background: #fff8e1; border: 1px solid #e0c060; }")
        grid = QGridLayout(panel)
        head = QLabel(self.tr("Demo mode — made-up data. Demo accounts:"))
        head.setWordWrap(True)
        grid.addWidget(head, 0, 0, 1, 3)
        for row, (user, pw, role) in enumerate(DEMO_ACCOUNTS, start=1):
            grid.addWidget(QLabel(f"<b>{user}</b> / {pw}"), row, 0)
            grid.addWidget(QLabel(self._role_label(role)), row, 1)
            use = QPushButton(self.tr("Use"))
            use.setObjectName(f"login_demo_{user}")
            use.clicked.connect(lambda _=False, u=user, p=pw: self._fill(u, p))
            grid.addWidget(use, row, 2)
        return panel

    def _role_label(self, role: str) -> str:
        return {"nurse": self.tr("study nurse"), "investigator": self.tr("investigator"),
                "admin": self.tr("administrator")}.get(role, role)

    def _fill(self, user: str, password: str) -> None:
        self.user_edit.setText(user)
        self.password_edit.setText(password)
        self.login_button.setFocus()

    def reset(self, message: str = "") -> None:
        """Back to an empty form (after logout); ``message`` e.g. "logged out after inactivity"."""
        self.user_edit.clear()
        self.password_edit.clear()
        self.message_label.setText(message)
        self.message_label.setStyleSheet("color: #444;" if message else "color: #b00020;")
        self._set_busy(False)
        self.user_edit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy and self._authenticate is not None)
        self.user_edit.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)

    def submit(self) -> None:
        if self._busy or self._authenticate is None:     # still opening the database
            return
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not user or not password:
            self._fail_message(self.tr("Enter your user name and password."))
            return
        self.password_edit.clear()   # never keep the password in the widget
        self._set_busy(True)
        self.message_label.setText(self.tr("Checking…"))
        self.message_label.setStyleSheet("color: #444;")
        authenticate = self._authenticate       # the worker gets plain values, not the widget
        run_task(lambda: authenticate(user, password), self._on_ok, self._on_error,
                 receiver=self)

    def _fail_message(self, text: str) -> None:
        self.message_label.setStyleSheet("color: #b00020;")
        self.message_label.setText(text)

    def _on_ok(self, actor: Any) -> None:
        self._set_busy(False)
        self.message_label.clear()
        self.user_edit.clear()
        self.attempt_finished.emit(True)
        self.logged_in.emit(actor)

    def _on_error(self, exc: BaseException) -> None:
        # imported here, not at the top: the login screen shows before storage is loaded
        # (storage is loaded by now: the check that failed ran in it)
        from storage.services import AuthError
        self._set_busy(False)
        if isinstance(exc, AuthError):
            self._fail_message(self.generic_failure())
        else:  # database unavailable etc.: the storage message is meant for users
            self._fail_message(self.tr("Login is not possible right now: %1")
                               .replace("%1", user_message(str(exc))))
        self.password_edit.setFocus()
        self.attempt_finished.emit(False)

    def generic_failure(self) -> str:
        return self.tr("Login failed: user name or password not recognised, or the account is "
                       "locked. After 5 failed attempts an account is locked for 15 minutes.")
