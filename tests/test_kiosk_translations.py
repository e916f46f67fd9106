"""Every kiosk string has a Chinese translation under the context lupdate gives it (the class it is
written in, e.g. the QuestionnaireFlow mixin of the controller), and the split controller still
shows its overlays in Chinese."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_kiosk_support import (dispose, find, kiosk_store, kiosk_template,  # noqa: F401
                                make_window, tour)

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "epro_zh_CN.ts"
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _messages(ts: Path) -> dict[tuple[str, str], str]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        for m in ctx.iter("message"):
            tr = m.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished")
            out[(ctx.findtext("name"), m.findtext("source"))] = (tr.text or "") if done else ""
    return out


def test_every_kiosk_string_is_translated(tmp_path):
    fresh = tmp_path / "kiosk_fresh.ts"
    tool = Path(sys.executable).parent / "pyside6-lupdate"
    files = sorted(str(p) for p in (ROOT / "ui" / "kiosk").glob("*.py"))
    subprocess.run([str(tool), *files, "-ts", str(fresh)], check=True, capture_output=True)
    wanted = set(_messages(fresh))
    have = _messages(TS)
    assert len(wanted) > 70
    assert sorted(k for k in wanted if not have.get(k)) == []
    assert ("QuestionnaireFlow", "Are you sure?") in wanted      # the split is what lupdate sees


def test_skip_overlays_in_chinese(qtbot, kiosk_store):
    win = make_window(qtbot, kiosk_store.backend, lang="zh_CN")
    try:
        for stop in tour(qtbot, win, kiosk_store.a):
            if stop == "skip_confirm":
                assert find(win, "SkipConfirmTitle").text() == "您确定吗？"
            if stop == "skip_reason":
                assert find(win, "SkipReasonTitle").text() == "您为什么要跳过这道题？"
            if stop == "idle_overlay":
                assert find(win, "IdleOverlayTitle").text() != "Are you still there?"
                break
    finally:
        dispose(win)
