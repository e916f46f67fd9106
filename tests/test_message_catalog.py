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
import re
from datetime import date
from pathlib import Path

import pytest

import forms
import storage
import ui.kiosk.backend  # noqa: F401  (its UserError subclasses)
import ui.widgets.print_pdf  # noqa: F401
from forms import messages
from forms.errors import UserError
from forms.labs import lab_value
from forms.passwords import check_password
from forms.protocol import load_protocol
from forms.staff_pin import check_pin

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("storage", "forms", "ui")        # ui: the few messages a screen's backend raises
# composed from parts that are raise-site templates themselves (LabValueError's "field: reason")
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


def _dict_constants(trees: list[tuple[Path, ast.Module]]) -> dict[str, list[ast.AST]]:
    """Module-level ``NAME = {key: "message", …}`` (messages looked up by a problem key)."""
    found: dict[str, list[ast.AST]] = {}
    for _path, tree in trees:
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Dict)
                    and node.value.values and all(_template(v) for v in node.value.values)):
                found[node.targets[0].id] = list(node.value.values)
    return found


def _is_super_init(call: ast.Call) -> bool:
    f = call.func
    return (isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call)
            and isinstance(f.value.func, ast.Name) and f.value.func.id == "super")


def _is_problem(call: ast.Call) -> bool:
    """``self.err(path, "message")`` or ``errors.append("message")`` / ``problems.append``:
    the problems a protocol, translation or allocation file check lists one by one."""
    f = call.func
    if not isinstance(f, ast.Attribute):
        return False
    owner = ast.unparse(f.value).rsplit(".", 1)[-1]
    return (f.attr == "err" and len(call.args) == 2) or (
        f.attr == "append" and owner in ("errors", "problems"))


def _problem_args(call: ast.Call) -> list[ast.AST]:
    arg = call.args[-1] if call.func.attr == "err" else call.args[0]  # type: ignore[attr-defined]
    return [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]


def raised_templates() -> dict[str, str]:
    """English template -> first place it is written (``path:line``)."""
    user_errors = _user_error_names()
    found: dict[str, str] = {}
    trees = _sources()
    constants, tables = _constants(trees), _dict_constants(trees)
    for path, tree in trees:
        in_user_error = {id(n): cls.name for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)
                         and cls.name in user_errors for n in ast.walk(cls)}
        for node in ast.walk(tree):
            call = node.exc if isinstance(node, ast.Raise) else node
            if not isinstance(call, ast.Call):
                continue
            name = ast.unparse(call.func).rsplit(".", 1)[-1]
            helper = isinstance(node, ast.Raise) and name[:1].islower()
            own_init = _is_super_init(call) and id(call) in in_user_error
            if _is_problem(call):              # one problem of a file check (``exc.errors``)
                for arg in _problem_args(call):
                    if (text := _template(arg)) and " " in text:
                        found.setdefault(text, f"{path.relative_to(ROOT)}:{call.lineno}")
                continue
            if name not in user_errors and not helper and not own_init:
                continue
            args = [b for a in call.args for b in (
                (a.body, a.orelse) if isinstance(a, ast.IfExp) else (a,))]
            args += [v for a in call.args for sub in ast.walk(a) if isinstance(sub, ast.Subscript)
                     and isinstance(sub.value, ast.Name) for v in tables.get(sub.value.id, ())]
            args += [e for a in call.args if isinstance(a, ast.List) for e in a.elts]
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


def test_several_messages_in_a_row_and_problem_keys() -> None:
    exc = pytest.raises(UserError, check_password, "nurse", "nurse").value
    zh = messages.translate(str(exc), "zh_CN")
    assert zh.startswith("密码至少需要") and "用户名" in zh and not re.search("[A-Za-z]{4}", zh)
    pin = messages.translate(str(pytest.raises(UserError, check_pin, "1234").value), "zh_CN")
    assert pin.startswith("PIN 码不可用：是连续数字（") and "sequence" not in pin


def test_protocol_file_problems_are_translated_one_by_one(tmp_path) -> None:
    bad = tmp_path / "p.json"
    bad.write_text('{"visits": [], "arms": 3}', encoding="utf-8")
    exc = pytest.raises(UserError, load_protocol, bad).value
    zh = [messages.translate(p, "zh_CN") for p in exc.errors]
    assert all(re.search("[\u4e00-\u9fff]", z) for z in zh), zh


def test_a_user_name_is_shown_as_written() -> None:
    signed = ("Visit W12 of S-001 is already signed (by nurse); a signed visit cannot be signed "
              "again. It needs a new signature only after a correction.")
    zh = messages.translate(signed, "zh_CN")
    assert "签名人 nurse" in zh and "研究护士" not in zh
    assert messages.translate("Your role (nurse) may not do this.", "zh_CN") == \
        "您的角色（研究护士）无权执行此操作。"


def test_uncatalogued_text_is_returned_unchanged() -> None:
    for text in ("请先选择访视。", "Something nobody wrote", ""):
        assert messages.translate(text, "zh_CN") == text
