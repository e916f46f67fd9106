"""The storage adapters satisfy the Protocols the screens are typed against: every member the
screens may call exists on the adapter with the same parameters (names, kinds, defaults)."""
from __future__ import annotations

import inspect

import pytest

from ui.kiosk.backend import KioskBackend, StorageKioskBackend
from ui.nurse.backend import StorageBackend
from ui.nurse.ports import NurseBackend


def _members(proto: type) -> dict[str, object]:
    return {k: v for k, v in vars(proto).items()
            if not k.startswith("_") and (callable(v) or isinstance(v, property))}


def _params(fn: object) -> list[tuple[str, object, bool]]:
    sig = inspect.signature(fn)  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default is inspect.Parameter.empty)
            for p in sig.parameters.values()]


@pytest.mark.parametrize("proto, adapter", [(NurseBackend, StorageBackend),
                                            (KioskBackend, StorageKioskBackend)])
def test_adapter_satisfies_protocol(proto, adapter):
    members = _members(proto)
    assert members
    for name, member in members.items():
        have = getattr(adapter, name, None)
        assert have is not None, f"{adapter.__name__} lacks {name}"
        if isinstance(member, property):
            assert isinstance(have, property), name
            continue
        assert _params(have) == _params(member), name


def test_protocols_list_what_the_screens_call():
    """Every backend method the screens call is in their Protocol (no call past the type)."""
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "ui"
    screens = {NurseBackend: ["nurse/main_window.py", "nurse/work_area.py"],
               KioskBackend: ["kiosk/controller.py", "kiosk/questionnaire_flow.py"]}
    for proto, files in screens.items():
        called = set()
        for f in files:
            for node in ast.walk(ast.parse((root / f).read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                        and node.value.attr == "backend":
                    called.add(node.attr)
        assert called and called <= set(_members(proto)) | {"db"}, called - set(_members(proto))
