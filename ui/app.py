"""GUI start: the patient kiosk on the chosen database.

``--kiosk`` starts a dedicated kiosk station: full screen, frameless, always on the locked start
screen after a (re)start. Without ``--kiosk`` the same kiosk opens in a normal window until the
nurse workstation is wired here; it still locks down (full screen, no closing) while a patient
answers.

The locked screen needs no data, so it is shown first and the database is opened (and migrated)
in the next event-loop turn; if that fails the kiosk stays locked and says to call staff.

``EPRO_EXIT_AFTER_FIRST_SCREEN=1`` prints ``FIRST_SCREEN_SHOWN`` once the locked screen is on
screen and exits (used by ``bench/bench_kiosk.py`` to time the whole start-up).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

log = logging.getLogger(__name__)


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ePRO Desk")
    from ui.fonts import register_cjk_font
    from ui.kiosk.backend import StorageKioskBackend
    from ui.kiosk.window import KioskWindow

    register_cjk_font()
    url, demo = args.database, bool(getattr(args, "demo", False))

    def open_db():  # noqa: ANN202
        from storage.db import open_database
        return open_database(url, demo=demo)

    backend = StorageKioskBackend(open_db)
    idle_s = float(os.environ.get("EPRO_KIOSK_IDLE_S", "120"))
    win = KioskWindow(backend, station=bool(args.kiosk),
                      lang=getattr(args, "lang", None) or "en", idle_ms=int(idle_s * 1000),
                      fullscreen=bool(args.kiosk))
    if args.kiosk:
        win.set_patient_mode(True)
    else:
        win.resize(1280, 800)
        win.show()

    if os.environ.get("EPRO_EXIT_AFTER_FIRST_SCREEN") == "1":
        def first_screen() -> None:
            print("FIRST_SCREEN_SHOWN", flush=True)
            win.allow_close()
            win.close()
            app.quit()
        QTimer.singleShot(0, first_screen)
    else:
        def open_now() -> None:
            try:
                backend.open()
            except Exception as exc:  # noqa: BLE001 (a clear message, never a traceback)
                log.error("database could not be opened: %s", type(exc).__name__)
                msg = str(exc) if hasattr(exc, "args") else ""
                ov = None
                ov = win.overlay(
                    QCoreApplication.translate("App", "The kiosk cannot save answers"),
                    QCoreApplication.translate("App", "Please call staff. Details: {msg}")
                    .format(msg=msg),
                    [(QCoreApplication.translate("App", "Close the app"), "DbErrorClose",
                      lambda: (win.allow_close(), win.close(), app.quit()), True)],
                    "DbError")
        QTimer.singleShot(0, open_now)
    try:
        return app.exec()
    finally:
        backend.dispose()
