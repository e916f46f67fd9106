"""No instrument id is written in ``ui/``, ``storage/`` or ``reports/`` code: they loop over the
instrument registry (``forms.registry``) and the study protocol instead (issue 11 item 2).

Every string constant of the Python code (f-string parts included) is checked against every
registered id (the shipped instruments and the made-up test instrument); docstrings and comments
are prose and are not checked.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from forms.registry import registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_INSTRUMENTS = Path(__file__).resolve().parent / "fixtures" / "instruments"
CHECKED = ("ui", "storage", "reports")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                out.add(id(body[0].value))
    return out


def id_literals(source: str, ids: frozenset[str]) -> list[tuple[int, str]]:
    """(line, literal) of every non-docstring string constant equal to one of ``ids``."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip and node.value in ids]


def _ids() -> frozenset[str]:
    return frozenset(registry((FIXTURE_INSTRUMENTS,)).ids())


def test_the_check_sees_literals_but_not_prose():
    ids = frozenset({"csc", "rand36"})
    src = ('"""Module about csc."""\n'
           'A = ("rand36", "x")  # csc in a comment\n'
           'def f():\n    """csc"""\n    return f"{A}csc" + "csc"\n'
           'B = {"csc": 1}\n')
    assert sorted(id_literals(src, ids)) == [(2, "rand36"), (5, "csc"), (5, "csc"), (6, "csc")]


def test_every_registered_id_is_checked():
    assert {"rand36", "csc", "fat5"} <= _ids()


@pytest.mark.parametrize("package", CHECKED)
def test_no_instrument_id_in_code(package):
    ids = _ids()
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, value in id_literals(path.read_text(encoding="utf-8"), ids):
            found.append(f"{path.relative_to(ROOT)}:{line}: {value!r}")
    assert not found, "instrument ids written in code (use forms.registry):\n" + "\n".join(found)
