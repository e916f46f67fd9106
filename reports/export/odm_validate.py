"""Validate an ODM file against the official CDISC ODM 1.3.2 XSD bundled with ``odmlib``.

``odmlib`` and ``xmlschema`` are in the ``test`` extra (not needed to export); the schema is
parsed once per process. Validation streams the file (``lazy``), so big exports are fine.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from forms.errors import UserError


@lru_cache(maxsize=1)
def odm132_schema() -> Any:
    try:
        import odmlib
        import xmlschema
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise UserError("ODM validation needs the test extra: pip install 'epro-desk[test]'") \
            from None
    xsd = Path(odmlib.__file__).resolve().parent / "schemas" / "odm" / "1.3.2" / "ODM1-3-2.xsd"
    return xmlschema.XMLSchema10(str(xsd))


def odm_errors(path: str | Path, limit: int = 20) -> list[str]:
    """Schema errors of an ODM 1.3.2 file (empty list = valid)."""
    import xmlschema
    out: list[str] = []
    resource = xmlschema.XMLResource(str(path), lazy=True)
    for err in odm132_schema().iter_errors(resource):
        out.append(f"{err.path}: {err.reason}")
        if len(out) >= limit:
            break
    return out
