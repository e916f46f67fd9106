"""Kiosk benchmarks.

- ``startup_first_screen_s``: whole process start (``python main.py --kiosk`` on a fresh SQLite
  file) until the locked screen is shown (``EPRO_EXIT_AFTER_FIRST_SCREEN=1`` prints a marker),
  median of 5; baseline: a process that shows a bare PySide6 window, same way.
- ``next_item_ms``: answer tapped → next item screen shown, including the durable save through
  the storage services (SQLite, WAL, synchronous=FULL), median over the SF-36 items.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import record

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("bare"); w.resize(1280, 800); w.show()
def done():
    print("FIRST_SCREEN_SHOWN", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def _time_process(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - t0
    if "FIRST_SCREEN_SHOWN" not in out.stdout:
        raise RuntimeError(f"no first-screen marker: {out.stderr[-2000:]}")
    return took


def startup(runs: int = 5) -> tuple[float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "EPRO_EXIT_AFTER_FIRST_SCREEN": "1"}
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{Path(d) / 'bench.db'}"
        kiosk = [sys.executable, "main.py", "--database", url, "--kiosk"]
        _time_process(kiosk, env)                    # create + migrate once (not timed)
        app = statistics.median(_time_process(kiosk, env) for _ in range(runs))
    bare = statistics.median(_time_process([sys.executable, "-c", BARE], env)
                             for _ in range(runs))
    return app, bare


def next_item() -> tuple[list[float], list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from storage import services as sv
    from storage.demo import eligible_screening
    from storage.actors import Actor
    from storage.db import open_database
    from ui.kiosk.backend import StorageKioskBackend
    from ui.kiosk.window import KioskWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as d:
        db = open_database(f"sqlite:///{Path(d) / 'bench.db'}")
        system = Actor.system()
        sv.create_study(db, system)
        sv.create_user(db, system, username="nurse", full_name="N", role="nurse",
                       password="bench-pass-123")
        nurse = sv.authenticate(db, "nurse", "bench-pass-123")
        pid = sv.enrol_patient(db, nurse, subject_id="B-1", initials="BB", sex="F",
                               day1_date=date.today(),
                               screening=eligible_screening(sv.current_protocol(db),
                                                            date.today(),
                                                            birth_date=date(1950, 6, 1)))
        visit = sv.patient_visits(db, pid)[0]                 # the baseline visit
        backend = StorageKioskBackend(db, station="bench")
        win = KioskWindow(backend, station=True, fullscreen=False)
        win.resize(1280, 800)
        win.show()
        c = win.controller
        c.staff = backend.verify_staff("nurse", "bench-pass-123")
        c.begin(backend.visit_for(visit.id), None)
        c._identity_confirmed(1950)
        win.current.start_button.click()
        app.processEvents()
        times, saves = [], []
        while win.current.objectName() == "ItemScreen":
            screen = win.current
            t0 = time.perf_counter()
            screen.options[0].click()                 # durable save happens here
            t1 = time.perf_counter()
            screen.next_button.click()                # builds and shows the next screen
            win.current.repaint()                     # layout + paint of the new screen
            app.processEvents()
            times.append((time.perf_counter() - t0) * 1000)
            saves.append((t1 - t0) * 1000)
        win.allow_close()
        win.close()
        c.idle.uninstall()
        db.dispose()
    return times, saves


def run() -> list[dict]:
    app, bare = startup()
    times, saves = next_item()
    return [
        record("startup_first_screen_s", app, "s", baseline="bare PySide6 window process",
               baseline_value=bare, goal_ratio=3),
        record("next_item_ms", statistics.median(times), "ms", goal=16,
               p90=round(sorted(times)[int(len(times) * 0.9)], 2), n=len(times),
               save_part_ms=round(statistics.median(saves), 2)),
    ]
