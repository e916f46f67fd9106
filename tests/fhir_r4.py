"""FHIR R4 (4.0.1) validation for the FHIR export tests, and the same value-set check for R4B.

The app's fhir.resources 8.x carries R5 and R4B models only; the last release whose models are R4
(4.0.1) is fhir.resources 6.4, which needs pydantic 1 while the app needs pydantic 2. ``make test``
installs 6.4 with pydantic 1 into ``.venv/fhir-r4`` (``EPRO_FHIR_R4_DIR`` overrides), and
:func:`validate_r4` parses a Bundle file with those models in a separate interpreter started with
``-S`` (no site-packages), so the two pydantic versions never meet in one process. Besides the
structure it checks every coded element whose R4 definition lists its codes (the status codes of
ResearchStudy, ResearchSubject, Encounter, Observation, QuestionnaireResponse; Patient.gender, ...)
against that list, which the pydantic models themselves do not enforce; :func:`r4b_codes_outside`
does the same with the app's R4B models.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle

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


def codes_outside(model, path, out):
    # coded values outside the R4 value set the model declares (enum_values, taken from the
    # element's short definition; a list ending in "+" is only the start of a longer one)
    for field in model.__fields__.values():
        value = getattr(model, field.name, None)
        allowed = field.field_info.extra.get("enum_values")
        if allowed and "+" in allowed:
            allowed = None
        for v in value if isinstance(value, list) else [value]:
            if allowed and isinstance(v, str) and v not in allowed:
                out.append(f"{path}.{field.alias} = {v!r}")
            elif hasattr(v, "__fields__"):
                codes_outside(v, f"{path}.{field.alias}", out)


kinds, bad = {}, []
for entry in bundle.entry or []:
    rt = entry.resource.resource_type
    kinds[rt] = kinds.get(rt, 0) + 1
    codes_outside(entry.resource, rt, bad)
print(json.dumps({"fhir_version": __fhir_version__, "kinds": kinds, "bad_codes": sorted(set(bad))}))
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
    if out["bad_codes"]:
        raise R4Invalid("codes outside their R4 value set: " + "; ".join(out["bad_codes"]))
    return out["kinds"]


def _r4b_outside(model: Any, path: str, out: list[str]) -> None:
    for name, field in type(model).model_fields.items():
        value = getattr(model, name, None)
        allowed = (field.json_schema_extra or {}).get("enum_values")
        if allowed and "+" in allowed:      # only the start of a longer list
            allowed = None
        for v in value if isinstance(value, list) else [value]:
            if allowed and isinstance(v, str) and v not in allowed:
                out.append(f"{path}.{field.alias or name} = {v!r}")
            elif hasattr(type(v), "model_fields"):
                _r4b_outside(v, f"{path}.{field.alias or name}", out)


def r4b_codes_outside(data: dict[str, Any]) -> list[str]:
    """Coded elements of a Bundle (JSON) outside the R4B value set their definition lists."""
    out: list[str] = []
    for entry in Bundle.model_validate(data).entry or []:
        _r4b_outside(entry.resource, entry.resource.get_resource_type(), out)
    return sorted(set(out))


def checked_bundle(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The exported Bundle in ``path`` after every check: R4B models, R4B value sets and the R4
    4.0.1 models; (its JSON, the R4 resource counts)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    Bundle.model_validate(data)
    assert r4b_codes_outside(data) == []
    return data, validate_r4(path)
