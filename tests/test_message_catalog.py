"""Every user message written in storage/ and forms/ has a zh_CN translation, and the lookup
(forms.messages.translate) turns the messages actually raised into Chinese.

The scan reads the source (ast): every call that builds an exception of the UserError family
(``raise X(...)``, ``return X(...)`` in a factory) and every ``raise helper(...)``; each string
argument with a space (an f-string becomes a template with ``{0}``, ``{1}`` …) must be a key of
``resources/translations/messages_zh_CN.json``. A new message without an entry fails here.
"""
from __future__ import annotations

import ast
import importlib
import json
import pkgutil
from datetime import date
from pathlib import Path

import pytest

import forms
import storage
from forms import messages
from forms.errors import UserError
from forms.labs import lab_value

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("storage", "forms")
# composed in an exception's __init__ from parts that are raise-site templates themselves
COMPOSED = ("{0}: {1}",)


def _user_error_names() -> set[str]:
    for pkg in (forms, storage):
        for mod in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if ".migrations" not in mod.name:
                importlib.import_module(mod.name)
    names, todo = set(), [UserError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _template(node: ast.AST) -> str | None:
    parts: list[tuple[bool, str]] = []

    def walk(n: ast.AST) -> bool:
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            parts.append((True, n.value))
            return True
        if isinstance(n, ast.JoinedStr):
            for v in n.values:
                parts.append((True, v.value) if isinstance(v, ast.Constant) else (False, ""))
            return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            return walk(n.left) and walk(n.right)
        return False

    if not walk(node):
        return None
    out, i = [], 0
    for literal, text in parts:
        if literal:
            out.append(text.replace("{", "{{").replace("}", "}}"))
        else:
            out.append("{%d}" % i)
            i += 1
    return "".join(out)


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8")))
            for top in SCANNED for path in sorted((ROOT / top).rglob("*.py"))
            if "migrations" not in path.parts]


def _constants(trees: list[tuple[Path, ast.Module]]) -> dict[str, ast.AST]:
    """Module-level ``NAME = "message"`` of every scanned file (messages kept as constants)."""
    found: dict[str, ast.AST] = {}
    for _path, tree in trees:
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and _template(node.value)):
                found[node.targets[0].id] = node.value
    return found


def raised_templates() -> dict[str, str]:
    """English template -> first place it is written (``path:line``)."""
    user_errors = _user_error_names()
    found: dict[str, str] = {}
    trees = _sources()
    constants = _constants(trees)
    for path, tree in trees:
        for node in ast.walk(tree):
            call = node.exc if isinstance(node, ast.Raise) else node
            if not isinstance(call, ast.Call):
                continue
            name = ast.unparse(call.func).rsplit(".", 1)[-1]
            helper = isinstance(node, ast.Raise) and name[:1].islower()
            if name not in user_errors and not helper:
                continue
            args = [b for a in call.args for b in (
                (a.body, a.orelse) if isinstance(a, ast.IfExp) else (a,))]
            for arg in args:
                text = _template(constants.get(arg.id, arg) if isinstance(arg, ast.Name)
                                 else arg)
                if text and " " in text:
                    found.setdefault(text, f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def _catalog() -> dict:
    return json.loads(messages.catalog_path("zh_CN").read_text(encoding="utf-8"))


def test_every_raised_message_has_a_zh_cn_entry() -> None:
    catalog = _catalog()["messages"]
    missing = {t: where for t, where in raised_templates().items() if t not in catalog}
    assert not missing, "no zh_CN entry in messages_zh_CN.json for:\n" + "\n".join(
        f"  {where}: {t!r}" for t, where in sorted(missing.items(), key=lambda kv: kv[1]))


def test_catalog_entries_are_used_and_keep_their_values() -> None:
    catalog = _catalog()["messages"]
    used = set(raised_templates()) | set(COMPOSED)
    stale = sorted(set(catalog) - used)
    assert not stale, f"catalogue entries no raise site writes any more: {stale}"
    for en, zh in catalog.items():
        assert sorted(messages._PLACEHOLDER.findall(en)) == sorted(
            messages._PLACEHOLDER.findall(zh)), en
        assert zh.strip() and zh != en, en


def test_translate_fills_values_and_translates_terms() -> None:
    exc = pytest.raises(UserError, lab_value, "bilirubin", "900", "mg/dL").value
    zh = messages.translate(str(exc), "zh_CN")
    assert "总胆红素 900 mg/dL" in zh and "合理范围" in zh and "check" not in zh
    consent = f"A visit cannot be before the consent date ({date(2026, 1, 5):%Y-%m-%d})."
    assert messages.translate(consent, "zh_CN") == "访视日期不能早于知情同意日期（2026-01-05）。"
    assert messages.translate(consent, "en") == consent


def test_uncatalogued_text_is_returned_unchanged() -> None:
    for text in ("请先选择访视。", "Something nobody wrote", ""):
        assert messages.translate(text, "zh_CN") == text
