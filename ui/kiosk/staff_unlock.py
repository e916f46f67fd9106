"""Staff unlock by touch (issue 12 item 6): tap your name, type your PIN on an on-screen keypad.

The panel sits in the kiosk's staff overlay (``KioskController.ask_staff_password``) above the
user-name/password fields, which stay available behind "Use password instead" (an account
without a PIN, or a keyboard at hand). The PIN is checked by storage (``authenticate_pin``: same
session, lockout and audit as a password unlock); this widget only collects it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ui.kiosk import theme
from ui.kiosk.widgets import WrapButton, label

MAX_PIN = 8


class StaffPinPanel(QWidget):
    """Name buttons (accounts with a PIN) and a 3x4 keypad; ``submitted`` on the Enter key."""

    submitted = Signal()

    def __init__(self, users: list[str], scale: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StaffPinPanel")
        self.user: str | None = users[0] if len(users) == 1 else None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(int(8 * scale))
        lay.addWidget(label(self.tr("Tap your name, then enter your PIN."), name="PinHint"))
        names = QHBoxLayout()
        self.user_buttons: dict[str, WrapButton] = {}
        for u in users:
            b = WrapButton(u, scale, role="option", target_px=theme.PAD_KEY_PX)
            b.setObjectName(f"PinUser_{u}")
            b.setCheckable(True)
            b.setChecked(u == self.user)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, u=u: self._choose(u))
            names.addWidget(b)
            self.user_buttons[u] = b
        lay.addLayout(names)
        self.pin = QLineEdit()
        self.pin.setObjectName("StaffPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setReadOnly(True)                  # typed on the keypad
        self.pin.setMaxLength(MAX_PIN)
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setAccessibleName(self.tr("PIN"))
        self.pin.setPlaceholderText(self.tr("PIN"))
        lay.addWidget(self.pin)
        grid = QGridLayout()
        grid.setSpacing(int(8 * scale))
        for k, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            b = WrapButton(key if key != "OK" else self.tr("Enter"), scale, role="navbutton",
                           target_px=theme.PAD_KEY_PX)
            b.setProperty("padkey", True)
            b.setObjectName("PinKey_" + {"⌫": "del", "OK": "enter"}.get(key, key))
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            if key == "⌫":
                b.setAccessibleName(self.tr("Delete"))
            b.clicked.connect(lambda _c=False, key=key: self._key(key))
            grid.addWidget(b, k // 3, k % 3)
        lay.addLayout(grid)

    def _choose(self, user: str) -> None:
        self.user = user
        for u, b in self.user_buttons.items():
            b.setChecked(u == user)
        self.pin.clear()

    def _key(self, key: str) -> None:
        if key == "OK":
            self.submitted.emit()
        elif key == "⌫":
            self.pin.setText(self.pin.text()[:-1])
        elif len(self.pin.text()) < MAX_PIN:
            self.pin.setText(self.pin.text() + key)

    def value(self) -> str:
        return self.pin.text()

    def clear(self) -> None:
        self.pin.clear()


def staff_field(name: str, label: str) -> QLineEdit:
    """A staff login field (user name, password), named for tests, read out by its label."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(label)
    edit.setAccessibleName(label)
    return edit
