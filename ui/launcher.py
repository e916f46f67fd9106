"""Start the staff workstation: translators and font, the staff login screen at once (issue 16:
before SQLAlchemy, the models and the migrations are imported), the database opened and checked
off the GUI thread meanwhile, then the first-run wizard on an empty database or the workstation
(``ui/workstation.py``), which takes over the login screen with what was typed; "Log in" works
from then on. A database that cannot be used closes the login screen and says why."""
from __future__ import annotations

import argparse
import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QVBoxLayout, QWidget

from ui.fonts import apply_app_font
from ui.nurse.login import LoginWidget
from ui.widgets.errors import user_message
from ui.widgets.fit import STAFF_DESIGN_SIZE, STAFF_MINIMUM_SIZE, fit_to_screen
from ui.widgets.tasks import run_task, wait_for_tasks

log = logging.getLogger(__name__)
APP_TITLE = "ePRO Desk"


def _open(args: argparse.Namespace) -> tuple[Any, bool]:
    """Worker: load the storage layer (SQLAlchemy, the models: most of the start-up) and open
    and check the database while the GUI thread shows the login screen; (the database, whether
    it still needs the first-run set-up). Imported here: the login screen shows first."""
    from storage.services import needs_setup, open_from_args
    db = open_from_args(args)
    try:
        return db, needs_setup(db)
    except BaseException:
        db.dispose()
        raise


class Launcher(QObject):
    """``start()`` → (wizard →) ``ready(workstation)``; ``failed(message)`` if the database
    cannot be used (the message box says so and the app ends with exit code 1)."""

    login_shown = Signal(object)  # the LoginWidget, on screen while the database opens
    ready = Signal(object)        # the Workstation (its login checks from now on)
    wizard_shown = Signal(object)
    failed = Signal(str)

    def __init__(self, args: argparse.Namespace, *, kiosk_fullscreen: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.args = args
        self.lang = getattr(args, "lang", None) or "en"
        self.demo = bool(getattr(args, "demo", False))
        self.kiosk_fullscreen = kiosk_fullscreen
        self.db: Any = None
        self.workstation: Any = None
        self.wizard: Any = None
        self.error_box: QMessageBox | None = None
        self.exit_code = 0
        self.splash = QWidget()      # the start-up window: the login screen, waiting
        self.splash.setObjectName("startup_splash")
        self.login: LoginWidget | None = None

    def start(self) -> None:
        from ui import i18n
        apply_app_font()                         # bundled CJK face: Chinese never shows boxes
        i18n.set_language(self.lang)             # kiosk catalogue (hand-over screens)
        i18n.install_staff_translators(self.lang)
        self.login = LoginWidget(None, demo=self.demo)      # no check yet: "Log in" waits
        self.login.message_label.setText(
            self.tr("Opening the database…")
            + ("\n" + self.tr("Preparing demo data (first start only)…") if self.demo else ""))
        lay = QVBoxLayout(self.splash)
        lay.setContentsMargins(0, 0, 0, 0)       # as in the staff window that takes it over
        lay.addWidget(self.login)
        self.splash.setWindowTitle(APP_TITLE)
        fit_to_screen(self.splash, STAFF_DESIGN_SIZE, STAFF_MINIMUM_SIZE)
        self.splash.show()
        self.login.user_edit.setFocus()
        QTimer.singleShot(0, self._open_in_background)    # once the login screen is up

    def _open_in_background(self) -> None:
        if not shiboken6.isValid(self.splash):
            return
        self.login_shown.emit(self.login)
        args = self.args
        run_task(lambda: _open(args), self._opened, self._open_failed, receiver=self.splash)

    def _opened(self, opened: tuple[Any, bool]) -> None:
        self.db, setup_needed = opened
        if setup_needed:
            self._show_wizard()
        else:
            self._start_workstation()

    def _open_failed(self, exc: BaseException) -> None:
        log.error("database could not be opened: %s", type(exc).__name__)
        self.exit_code = 1
        box = QMessageBox(QMessageBox.Icon.Critical, APP_TITLE,
                          self.tr("The database cannot be opened; nothing was changed.\n%1")
                          .replace("%1", user_message(str(exc))), QMessageBox.StandardButton.Close)
        box.setObjectName("startup_error")
        box.finished.connect(lambda *_: QApplication.instance().exit(1))
        self.error_box = box
        box.show()
        self.splash.close()
        self.failed.emit(user_message(str(exc)))

    def _show_wizard(self) -> None:
        from ui.setup_wizard import SetupWizard
        wiz = SetupWizard(self.db)
        self.wizard = wiz
        wiz.accepted.connect(self._start_workstation)
        wiz.rejected.connect(lambda: QApplication.instance().quit())
        wiz.show()
        self.splash.close()
        self.wizard_shown.emit(wiz)

    def _start_workstation(self) -> None:
        from ui.workstation import Workstation
        login = self.login if self.login is not None and shiboken6.isValid(self.login) else None
        focus = QApplication.focusWidget()
        self.workstation = Workstation(self.db, demo=self.demo, lang=self.lang,
                                       kiosk_fullscreen=self.kiosk_fullscreen, login=login)
        if self.splash.isVisible():              # where the login screen was, as big
            self.workstation.nurse.setGeometry(self.splash.geometry())
        self.workstation.show()                  # before the splash/wizard closes
        self.splash.close()
        if login is not None:                    # typing goes on where it was
            (focus if focus in (login.user_edit, login.password_edit)
             else login.user_edit).setFocus()
        if self.wizard is not None:
            self.wizard.deleteLater()
            self.wizard = None
        self.ready.emit(self.workstation)

    def dispose(self) -> None:
        if self.workstation is not None:
            self.workstation.dispose()
        wait_for_tasks(10.0)                     # no query outlives the database
        if self.db is not None:
            self.db.dispose()
            self.db = None
