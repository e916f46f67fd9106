"""FHIR R4 (4.0.1) validation for the FHIR export tests.

The app's fhir.resources 8.x carries R5 and R4B models only; the last release whose models are R4
(4.0.1) is fhir.resources 6.4, which needs pydantic 1 while the app needs pydantic 2. ``make test``
installs 6.4 with pydantic 1 into ``.venv/fhir-r4`` (``EPRO_FHIR_R4_DIR`` overrides), and
:func:`validate_r4` parses a Bundle file with those models in a separate interpreter started with
``-S`` (no site-packages), so the two pydantic versions never meet in one process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

R4_DIR = Path(os.environ.get("EPRO_FHIR_R4_DIR") or Path(sys.prefix) / "fhir-r4")

_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from fhir.resources import __fhir_version__
from fhir.resources.bundle import Bundle
try:
    bundle = Bundle.parse_file(sys.argv[2])
except Exception as exc:  # ValidationError, or an unknown resource type
    print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(1)
kinds = {}
for entry in bundle.entry or []:
    kinds[entry.resource.resource_type] = kinds.get(entry.resource.resource_type, 0) + 1
print(json.dumps({"fhir_version": __fhir_version__, "kinds": kinds}))
"""


class R4Invalid(AssertionError):
    """The file is not a valid FHIR R4 Bundle (the message is the validator's)."""


def validate_r4(path: Path) -> dict[str, int]:
    """Resource counts of the R4-valid Bundle in ``path``; raises :class:`R4Invalid` if invalid."""
    if not (R4_DIR / "fhir" / "resources" / "bundle.py").is_file():
        raise AssertionError(f"FHIR R4 models are not installed in {R4_DIR}: run `make test` "
                             f"(it installs them) or `make {R4_DIR}/.installed-stamp`")
    r = subprocess.run([sys.executable, "-S", "-c", _SCRIPT, str(R4_DIR), str(path)],
                       capture_output=True, text=True, timeout=300, check=False)
    if r.returncode:
        raise R4Invalid(r.stderr.strip()[-4000:])
    out = json.loads(r.stdout)
    assert out["fhir_version"] == "4.0.1", out
    return out["kinds"]
