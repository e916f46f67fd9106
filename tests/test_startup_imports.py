"""Nothing heavy before the first screen (issue 16): the workstation started on an up-to-date
database shows its login screen without having imported charts, migrations, PDF or FHIR code;
the schema revisions are read without Alembic and agree with Alembic; the login's password
check runs off the GUI thread."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from storage import migrate
from storage_fixtures import sqlite_template  # noqa: F401  (fixture)
from ui.nurse.login import LoginWidget

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pyqtgraph", "alembic", "reportlab", "fhir", "fontTools", "pypdf",
         "pandas", "pyreadstat")                 # the last two: export --format sdtm only

# Starts the real GUI path (main.main, no command) and reports, at the moment the staff login
# screen is on screen, which heavy top-level packages are already imported.
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import main
import ui.launcher as launcher

class Probe(launcher.Launcher):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ready.connect(self.probe)          # before the app's own first-screen handler

    def probe(self, ws):
        heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
        shown = ws.nurse.isVisible() and ws.nurse.stack.currentWidget() is ws.nurse.login
        print("PROBE " + json.dumps({"heavy": heavy, "login_shown": shown}), flush=True)

launcher.Launcher = Probe
sys.exit(main.main(["--database", sys.argv[3]]))
"""


def test_login_screen_without_heavy_imports(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "epro.db"
    shutil.copyfile(sqlite_template, path)         # migrated, a study and staff accounts
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EPRO_EXIT_AFTER_FIRST_SCREEN": "1"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), json.dumps(HEAVY),
                          f"sqlite:///{path}"], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    probe = [line for line in out.stdout.splitlines() if line.startswith("PROBE ")]
    assert probe, out.stdout + out.stderr
    found = json.loads(probe[0][len("PROBE "):])
    assert found == {"heavy": [], "login_shown": True}
    assert "FIRST_SCREEN_SHOWN nurse_login" in out.stdout


def test_revisions_read_without_alembic_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert migrate.known_revisions() == {s.revision for s in script.walk_revisions()}


def test_login_password_check_runs_off_the_gui_thread(qtbot) -> None:
    threads: list[threading.Thread] = []

    def authenticate(user: str, password: str) -> object:
        threads.append(threading.current_thread())
        raise PermissionError("refused")           # the answer does not matter here

    w = LoginWidget(authenticate)
    qtbot.addWidget(w)
    w.user_edit.setText("nurse")
    w.password_edit.setText("whatever-pw-1")
    w.submit()
    qtbot.waitUntil(lambda: bool(threads) and w.login_button.isEnabled(), timeout=5000)
    assert threads[0] is not threading.main_thread()


def test_unknown_account_check_costs_what_a_real_check_costs() -> None:
    """The timing-equalising hash is a constant (not hashed at import, before the login
    screen) with the hasher's current parameters, so an unknown user name costs the same."""
    from storage.services import auth
    assert not auth._hasher.check_needs_rehash(auth._DUMMY)
    assert auth._hasher.verify(auth._DUMMY, "timing-equaliser")
