"""Start the staff workstation: translators and font, open the database off the GUI thread, the
first-run wizard on an empty database, then the staff login (``ui/workstation.py``)."""
from __future__ import annotations

import argparse
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from ui.fonts import apply_app_font
from ui.widgets.errors import user_message
from ui.widgets.tasks import run_task, wait_for_tasks

log = logging.getLogger(__name__)
APP_TITLE = "ePRO Desk"


def _open(args: argparse.Namespace) -> Any:
    """Worker: load the storage layer (SQLAlchemy, the models: about a second) and open the
    database while the GUI thread shows the splash."""
    from storage.services import open_from_args
    return open_from_args(args)


class Launcher(QObject):
    """``start()`` → (wizard →) ``ready(workstation)``; ``failed(message)`` if the database
    cannot be used (the message box says so and the app ends with exit code 1)."""

    ready = Signal(object)        # the Workstation
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
        self.splash = QLabel()
        self.splash.setObjectName("startup_splash")

    def start(self) -> None:
        from ui import i18n
        apply_app_font()                         # bundled CJK face: Chinese never shows boxes
        i18n.set_language(self.lang)             # kiosk catalogue (hand-over screens)
        i18n.install_staff_translators(self.lang)
        self.splash.setText(self.tr("Opening the database…")
                            + ("\n" + self.tr("Preparing demo data (first start only)…")
                               if self.demo else ""))
        self.splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splash.setWindowTitle(APP_TITLE)
        self.splash.setMinimumSize(420, 160)
        self.splash.show()
        args = self.args
        run_task(lambda: _open(args), self._opened, self._open_failed, receiver=self.splash)

    def _opened(self, db: Any) -> None:
        self.db = db
        from storage.services import needs_setup
        if needs_setup(db):
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
        self.workstation = Workstation(self.db, demo=self.demo, lang=self.lang,
                                       kiosk_fullscreen=self.kiosk_fullscreen)
        self.workstation.show()                  # before the splash/wizard closes
        self.splash.close()
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
