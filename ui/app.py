"""GUI start: the patient kiosk on the chosen database.

``--kiosk`` starts a dedicated kiosk station: full screen, frameless, always on the locked start
screen after a (re)start. Without ``--kiosk`` the same kiosk opens in a normal window until the
nurse workstation is wired here; it still locks down (full screen, no closing) while a patient
answers.

``EPRO_EXIT_AFTER_FIRST_SCREEN=1`` prints ``FIRST_SCREEN_SHOWN`` once the locked screen is on
screen and exits (used by ``bench/bench_kiosk.py`` to time the whole start-up).
"""
from __future__ import annotations

import argparse
import os
import sys


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ePRO Desk")
    from storage.db import open_database
    from ui.fonts import register_cjk_font
    from ui.kiosk.backend import StorageKioskBackend
    from ui.kiosk.window import KioskWindow

    register_cjk_font()
    db = open_database(args.database, demo=bool(getattr(args, "demo", False)))
    idle_s = float(os.environ.get("EPRO_KIOSK_IDLE_S", "120"))
    win = KioskWindow(StorageKioskBackend(db), station=bool(args.kiosk),
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
    try:
        return app.exec()
    finally:
        db.dispose()
