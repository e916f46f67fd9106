"""The staff login screen comes first (issue 16): it is on screen before SQLAlchemy, the models
and the migrations are imported; the database is opened and checked on a worker meanwhile; the
same screen (with what was typed) becomes the workstation's login, which checks passwords only
from then on; a database that cannot be used still closes it and says why. Real SQLite files."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from storage_fixtures import PASSWORDS, sqlite_template  # noqa: F401  (fixture)
from ui.launcher import Launcher
from ui.widgets.tasks import wait_for_tasks

ROOT = Path(__file__).resolve().parent.parent

# The real GUI path (main.main) in a fresh process: what is imported when the login is shown,
# and what the workstation's login is once the database is open.
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import main
import ui.launcher as launcher
STORAGE = ("sqlalchemy", "alembic", "storage.models", "storage.migrate", "storage.db")

class Probe(launcher.Launcher):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.login_shown.connect(self.shown)
        self.ready.connect(self.usable)         # before the app's own first-screen handler

    def shown(self, login):
        out = {"loaded": sorted(m for m in STORAGE if m in sys.modules),
               "visible": login.isVisible(), "button": login.login_button.isEnabled(),
               "typing": login.user_edit.isEnabled()}
        login.user_edit.setText("nurse")         # typed while the database opens
        print("SHOWN " + json.dumps(out), flush=True)

    def usable(self, ws):
        login = ws.nurse.login
        out = {"same": login is self.login, "user": login.user_edit.text(),
               "button": login.login_button.isEnabled(), "loaded": "sqlalchemy" in sys.modules,
               "visible": ws.nurse.isVisible() and ws.nurse.stack.currentWidget() is login,
               "splash": self.splash.isVisible()}
        print("READY " + json.dumps(out), flush=True)

launcher.Launcher = Probe
sys.exit(main.main(["--database", sys.argv[2]]))
"""


def _probe(lines: list[str], tag: str) -> dict:
    found = [json.loads(line[len(tag) + 1:]) for line in lines if line.startswith(tag + " ")]
    assert len(found) == 1, lines
    return found[0]


def test_login_is_shown_before_storage_is_loaded_and_checks_once_open(
        sqlite_template: Path, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "epro.db"
    shutil.copyfile(sqlite_template, path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EPRO_EXIT_AFTER_FIRST_SCREEN": "1"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), f"sqlite:///{path}"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    lines = out.stdout.splitlines()
    assert _probe(lines, "SHOWN") == {"loaded": [], "visible": True, "button": False,
                                      "typing": True}, out.stderr
    assert _probe(lines, "READY") == {"same": True, "user": "nurse", "button": True,
                                      "loaded": True, "visible": True, "splash": False}
    order = [line.split()[0] for line in lines]
    assert order.index("LOGIN_SHOWN") < order.index("READY") < order.index("FIRST_SCREEN_SHOWN")


def _args(url: str) -> argparse.Namespace:
    return argparse.Namespace(database=url, demo=False, lang="en", kiosk=False, verbose=False)


def test_log_in_is_refused_until_the_database_is_open_then_works(
        qtbot, sqlite_template: Path, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "epro.db"
    shutil.copyfile(sqlite_template, path)
    launcher = Launcher(_args(f"sqlite:///{path}"), kiosk_fullscreen=False)
    readies: list = []
    launcher.ready.connect(readies.append)
    try:
        with qtbot.waitSignal(launcher.login_shown, timeout=20000) as shown:
            launcher.start()
        login = shown.args[0]
        login.user_edit.setText("nurse")
        login.password_edit.setText(PASSWORDS["nurse"])
        if not login.ready:                       # the database is still opening
            login.submit()                        # Enter before it is open: nothing happens
            assert login.password_edit.text() == PASSWORDS["nurse"]
            assert not login.login_button.isEnabled()
            assert "Opening the database" in login.message_label.text()
        qtbot.waitUntil(lambda: bool(readies), timeout=20000)
        ws = readies[0]
        qtbot.addWidget(ws.nurse)
        assert ws.nurse.login is login and login.login_button.isEnabled()
        assert login.message_label.text() == "" and not launcher.splash.isVisible()
        with qtbot.waitSignal(ws.nurse.logged_in, timeout=20000) as logged_in:
            login.submit()
        assert logged_in.args[0].role == "nurse"
    finally:
        wait_for_tasks(10)
        if launcher.workstation is not None:
            launcher.workstation.nurse.close()
        launcher.dispose()


def test_a_file_that_is_not_a_database_closes_the_login_and_says_so(qtbot, tmp_path) -> None:
    path = tmp_path / "epro.db"
    path.write_bytes(b"this is not a database" * 200)
    launcher = Launcher(_args(f"sqlite:///{path}"), kiosk_fullscreen=False)
    try:
        with qtbot.waitSignal(launcher.failed, timeout=20000) as failed:
            launcher.start()
        assert failed.args[0] and "Traceback" not in failed.args[0]
        assert launcher.error_box.isVisible() and launcher.exit_code == 1
        assert not launcher.splash.isVisible() and launcher.workstation is None
        assert path.read_bytes() == b"this is not a database" * 200        # left unchanged
    finally:
        if launcher.error_box is not None:
            launcher.error_box.finished.disconnect()
            launcher.error_box.close()
        launcher.dispose()
