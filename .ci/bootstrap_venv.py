"""Create a virtual environment with pip, even where Debian's python3-venv is not installed.

``python3 -m venv`` needs ensurepip, which Debian/Ubuntu ship separately (python3-venv). When it
is missing we create the venv without pip and install pip from PyPI's own wheel, so ``make run``
works as the only command on a fresh machine.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def main(target: str) -> int:
    path = Path(target)
    py = path / "bin" / "python"
    if py.exists() and subprocess.run([py, "-m", "pip", "--version"],
                                      capture_output=True).returncode == 0:
        return 0
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
        return 0
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"venv with pip failed ({exc}); installing pip from PyPI", file=sys.stderr)
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as r:
        meta = json.load(r)
    wheel = next(u for u in meta["urls"] if u["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as tmp:
        whl = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as r:
            whl.write_bytes(r.read())
        subprocess.run([py, f"{whl}/pip", "install", "--quiet", str(whl)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".venv"))
