"""Layer rules, checked on the source: screens reach storage only through ``storage.services``;
``reports/`` reads and never writes.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = sorted((ROOT / "ui").rglob("*.py"))
REPORT_FILES = sorted((ROOT / "reports").rglob("*.py"))
STORAGE_SERVICES = sorted((ROOT / "storage" / "services").glob("*.py"))


def _imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, module, imported names) of every import in the file, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module, tuple(a.name for a in node.names)))
    return out


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def ui_violations(path: Path) -> list[str]:
    bad = []
    for line, module, names in _imports(path):
        top = module.split(".")[0]
        if top == "sqlalchemy":
            bad.append(f"{_rel(path)}:{line}: imports {module}")
        elif top == "storage":
            ok = module == "storage.services" or (module == "storage" and names == ("services",))
            if not ok:
                bad.append(f"{_rel(path)}:{line}: imports {module} {', '.join(names)}".rstrip())
    return bad


@pytest.mark.parametrize("path", UI_FILES, ids=_rel)
def test_ui_imports_storage_only_through_services(path):
    assert ui_violations(path) == []


def test_ui_source_names_no_model_session_or_error_module():
    """What a reader greps for: no model, SQL, error module or engine mentioned in ui/."""
    pattern = re.compile(r"storage\.models|sqlalchemy|storage\.errors|storage\.db")
    hits = [f"{_rel(p)}:{n}" for p in UI_FILES
            for n, text in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if pattern.search(text)]
    assert hits == []


def test_the_ui_rule_catches_what_it_should(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from storage.models import Patient\nimport sqlalchemy\n"
                      "from storage.services.dto import VisitInfo\nfrom storage import audit\n"
                      "def f():\n    from storage.errors import AuthError\n"
                      "from storage.services import get_patient\nfrom storage import services\n")
    assert [v.split(": ", 1)[1] for v in ui_violations(sample)] == [
        "imports storage.models Patient", "imports sqlalchemy",
        "imports storage.services.dto VisitInfo", "imports storage audit",
        "imports storage.errors AuthError"]


def _writing_services() -> set[str]:
    """Public service functions that open a write transaction (``tx(...)``)."""
    names = set()
    for path in STORAGE_SERVICES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and any(
                    isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "tx"
                    for n in ast.walk(node)):
                names.add(node.name)
    return names


WRITE_MODULES = ("storage.audit", "storage.services._tx", "storage.patient_summary")
#: the only writing services reports/ may call, and why (everything else there only reads)
ALLOWED_WRITES = {
    "record_export": "an export records itself in the audit trail (who, what, file hashes)",
    "enrol_many": "import-patients enrols through the enrolment service, all or nothing",
    "record_cli_event": "a command on patient data (summary, …) records who ran it (audit trail)",
}
WRITE_SQL = {"insert", "update", "delete"}
SESSION_WRITES = {"add", "add_all", "merge", "flush", "commit", "bulk_save_objects"}


def _services_aliases(tree: ast.AST) -> set[str]:
    """Names the module binds to ``storage.services`` (``from storage import services as sv``)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "storage" and node.level == 0:
            out |= {a.asname or a.name for a in node.names if a.name == "services"}
        elif isinstance(node, ast.Import):
            out |= {a.asname for a in node.names if a.name == "storage.services" and a.asname}
    return out


def report_violations(path: Path, writers: set[str]) -> list[str]:
    bad = []
    writers = writers - set(ALLOWED_WRITES)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = _services_aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in aliases and node.attr in writers:
            bad.append(f"{_rel(path)}:{node.lineno}: calls writing service {node.attr}")
    for line, module, names in _imports(path):
        where = f"{_rel(path)}:{line}"
        if module in WRITE_MODULES or (module == "storage" and {"audit"} & set(names)):
            bad.append(f"{where}: imports {module} {', '.join(names)}".rstrip() + " (writes)")
        elif module.startswith("sqlalchemy") and WRITE_SQL & set(names):
            bad.append(f"{where}: imports {', '.join(sorted(WRITE_SQL & set(names)))} from "
                       f"{module}")
        elif module.startswith("storage.services") and writers & set(names):
            used = ", ".join(sorted(writers & set(names)))
            bad.append(f"{where}: imports writing service {used}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in SESSION_WRITES and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in ("s", "session", "conn", "connection"):
            bad.append(f"{_rel(path)}:{node.lineno}: {node.func.value.id}.{node.func.attr}()")
    return bad


@pytest.mark.parametrize("path", REPORT_FILES, ids=_rel)
def test_reports_do_not_write(path):
    assert report_violations(path, _writing_services()) == []


def test_the_reports_rule_catches_what_it_should(tmp_path):
    writers = _writing_services()
    assert {"enrol_patient", "record_answer", "correct_answer", "record_event"} <= writers
    assert not {"list_patients", "visit_scores", "open_visits"} & writers
    sample = tmp_path / "sample.py"
    sample.write_text("from storage import audit\nfrom storage.services._tx import tx\n"
                      "from sqlalchemy import select, update\n"
                      "from storage.services import record_event, list_patients\n"
                      "from storage import services as sv\n"
                      "def f(s):\n    s.add(1)\n    seen = set()\n    seen.add(2)\n"
                      "    sv.correct_answer(1)\n    sv.record_export(2)\n    sv.list_patients()\n")
    assert sorted(v.split(": ", 1)[1] for v in report_violations(sample, writers)) == sorted([
        "imports storage audit (writes)", "imports storage.services._tx tx (writes)",
        "imports update from sqlalchemy", "imports writing service record_event", "s.add()",
        "calls writing service correct_answer"])
    assert set(ALLOWED_WRITES) <= writers | {"enrol_many"}
