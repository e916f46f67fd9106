"""Compile Qt translations: resources/translations/*.ts -> .qm (pyside6-lrelease)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ts_files = sorted(HERE.glob("*.ts"))
    if not ts_files:
        return 0
    tool = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) \
        or shutil.which("pyside6-lrelease")
    if tool is None:
        print("pyside6-lrelease not found; install PySide6", file=sys.stderr)
        return 1
    for ts in ts_files:
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
