"""GUI start: the staff workstation, or (``--kiosk``) a dedicated patient kiosk station.

Without ``--kiosk`` the staff workstation starts (``ui/workstation.py``): the database is opened
off the GUI thread with ``storage.commands.open_from_args`` semantics (``--demo`` fills an empty
demo database and the login lists the demo accounts); an empty database (no accounts) first
shows the set-up wizard (``ui/setup_wizard.py``). The staff translators (nurse and app
catalogues plus Qt's own ``qtbase``) and the kiosk translator are installed for ``--lang``.

``--kiosk`` starts a dedicated kiosk station: full screen, frameless, always on the locked start
screen after a (re)start. The locked screen needs no data, so it is shown first and the database
is opened (and migrated) in the next event-loop turn; if that fails the kiosk stays locked and
says to call staff.

``EPRO_EXIT_AFTER_FIRST_SCREEN=1`` prints ``FIRST_SCREEN_SHOWN`` once the kiosk's locked screen
is on screen and exits (used by ``bench/bench_kiosk.py`` to time the whole start-up); the
workstation prints ``LOGIN_SHOWN <unix time>`` when its login screen is up (the database still
opening) and ``FIRST_SCREEN_SHOWN nurse_login`` when that login can check a password
(``bench/bench_scale.py`` times both).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from ui.widgets.errors import user_message
from ui.widgets.gui_gc import install_gui_gc

log = logging.getLogger(__name__)


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QPushButton

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ePRO Desk")
    install_gui_gc()          # cyclic garbage collection on the GUI thread only
    if args.kiosk:
        return _run_kiosk(app, args)
    from ui.launcher import Launcher
    launcher = Launcher(args)
    if os.environ.get("EPRO_EXIT_AFTER_FIRST_SCREEN") == "1":   # start-up smoke test / bench
        def first_screen(ws) -> None:  # noqa: ANN001
            box = ws.nurse.login.demo_box
            n = len(box.findChildren(QPushButton)) if box is not None else 0
            print(f"FIRST_SCREEN_SHOWN nurse_login demo_accounts={n}", flush=True)
            app.quit()
        launcher.login_shown.connect(lambda _w: print(f"LOGIN_SHOWN {time.time():.6f}",
                                                       flush=True))
        launcher.ready.connect(first_screen)
        launcher.wizard_shown.connect(lambda _w: (print("FIRST_SCREEN_SHOWN setup_wizard",
                                                        flush=True), app.quit()))
    launcher.start()
    try:
        return app.exec() or launcher.exit_code
    finally:
        launcher.dispose()


def _run_kiosk(app, args: argparse.Namespace) -> int:  # noqa: ANN001
    from PySide6.QtCore import QCoreApplication, QTimer

    from ui.fonts import register_cjk_font
    from ui.kiosk.backend import StorageKioskBackend
    from ui.kiosk.window import KioskWindow

    register_cjk_font()
    url, demo = args.database, bool(getattr(args, "demo", False))

    def open_db():  # noqa: ANN202
        from storage.services import open_database
        return open_database(url, demo=demo, create=demo)   # a real database: init or wizard

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
                msg = user_message(str(exc)) if hasattr(exc, "args") else ""
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
