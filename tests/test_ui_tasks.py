"""Background tasks (``ui/widgets/tasks.py``) and GUI-thread garbage collection
(``ui/widgets/gui_gc.py``): Qt objects live and die on the GUI thread, workers hand back plain
data, results for a destroyed receiver are dropped, and nothing a task holds is freed by a
worker thread. The stress test drives the real launcher on real SQLite files."""
from __future__ import annotations

import argparse
import ast
import gc
import threading
import weakref
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from storage.db import open_database
from ui.launcher import Launcher
from ui.widgets import gui_gc
from ui.widgets.tasks import pending_tasks, run_task, wait_for_tasks

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


class Token:
    """Stands for a widget a careless worker might capture: records where it was freed."""

    def __init__(self, freed_on: list[str]) -> None:
        weakref.finalize(self, lambda: freed_on.append(threading.current_thread().name))


def _settle(qtbot) -> None:
    assert wait_for_tasks(20)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=20000)


def test_result_and_error_come_back_on_the_gui_thread(qtbot):
    got: list[tuple[str, object, str]] = []
    here = threading.current_thread().name
    run_task(lambda: (threading.current_thread().name, 41 + 1),
             lambda r: got.append(("done", r, threading.current_thread().name)))

    def boom() -> None:
        raise ValueError("no")
    run_task(boom, None, lambda e: got.append(("error", e, threading.current_thread().name)))
    _settle(qtbot)
    done = next(g for g in got if g[0] == "done")
    error = next(g for g in got if g[0] == "error")
    assert done[1][1] == 42 and done[1][0] != here and done[2] == here
    assert isinstance(error[1], ValueError) and error[2] == here


def test_result_for_a_destroyed_receiver_is_dropped_silently(qtbot):
    release = threading.Event()
    receiver = QObject()
    calls: list[object] = []
    run_task(lambda: release.wait(10) and "late", calls.append, calls.append, receiver=receiver)
    run_task(lambda: release.wait(10) and 1 / 0, calls.append, calls.append, receiver=receiver)
    shiboken6.delete(receiver)                      # e.g. the screen closed by an idle logout
    assert not shiboken6.isValid(receiver)
    release.set()
    _settle(qtbot)
    assert calls == []


def test_no_worker_frees_the_callable_the_result_or_the_exception(qtbot):
    """A worker dropping the last reference to a widget's closure, a result or a traceback
    frees Qt wrappers on the wrong thread; all of them must be released on the GUI thread."""
    freed: list[str] = []
    for fail in (False, True) * 20:
        captured = Token(freed)

        def work(captured=captured, fail=fail):  # noqa: ANN202
            if fail:
                local = Token(freed)             # lives on in the traceback's frame
                raise RuntimeError(str(id(local)))
            return Token(freed)                  # the result

        run_task(work, lambda _r: None, lambda _e: None)
        del captured, work
    _settle(qtbot)
    gc.collect()
    assert len(freed) == 80                     # 40 closures, 20 results, 20 frames
    assert set(freed) == {threading.current_thread().name}


def test_run_task_only_from_the_gui_thread(qtbot):
    errors: list[BaseException] = []

    def off_thread() -> None:
        try:
            run_task(lambda: None)
        except RuntimeError as exc:
            errors.append(exc)
    t = threading.Thread(target=off_thread)
    t.start()
    t.join(10)
    assert len(errors) == 1 and "GUI thread" in str(errors[0])


def test_wait_for_tasks_times_out_while_a_worker_runs(qtbot):
    release = threading.Event()
    run_task(lambda: release.wait(10))
    assert wait_for_tasks(0.05) is False
    release.set()
    assert wait_for_tasks(10) is True
    _settle(qtbot)


def test_cyclic_garbage_is_collected_on_the_gui_thread_only(qtbot, qapp):
    assert not gc.isenabled()                    # the qapp fixture installed the guard
    guard = gui_gc.install_gui_gc()
    freed: list[str] = []

    class Cycle:
        pass
    for _ in range(2000):                        # past the generation-0 threshold
        c = Cycle()
        c.me = c
        weakref.finalize(c, lambda: freed.append(threading.current_thread().name))
    del c
    before = guard.collections
    qtbot.waitUntil(lambda: guard.collections > before and len(freed) == 2000, timeout=10000)
    assert set(freed) == {threading.current_thread().name}


# ------------------------------------------------------------------------------ stress
def _args(url: str) -> argparse.Namespace:
    return argparse.Namespace(database=url, demo=False, lang="en", kiosk=False, verbose=False)


def test_stress_launcher_and_workers_with_forced_gc(qtbot, tmp_path):
    """The start-up path that segfaulted (issue 13): the launcher opens the database on a worker
    while the GUI thread builds the first-run wizard; here many times, with ``gc.collect()``
    forced inside the workers and on the GUI thread, and receivers destroyed mid-task."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_database(url).dispose()                  # created once (init); no study yet: wizard
    wizards: list[object] = []
    for i in range(60):
        launcher = Launcher(_args(url), kiosk_fullscreen=False)
        launcher.wizard_shown.connect(wizards.append)
        launcher.start()
        if i % 3 == 0:                            # the splash (the receiver) dies mid-open
            shiboken6.delete(launcher.splash)
            _settle(qtbot)
        else:
            qtbot.waitUntil(lambda: launcher.wizard is not None, timeout=20000)
            launcher.wizard.deleteLater()
        gc.collect(2 if i % 10 == 0 else 1)
        launcher.dispose()
        del launcher
    assert len(wizards) == 40
    wizards.clear()

    results: list[tuple[int, int]] = []
    for round_ in range(10):                      # plain worker tasks, 600 in all
        receivers = [QLabel() for _ in range(60)]

        def work(n: int, round_: int = round_) -> tuple[int, int]:
            junk: list = []
            junk.append(junk)                    # cyclic garbage made on the worker
            gc.collect(2 if n % 20 == 0 else 0)  # collections forced on the worker side
            return round_, n
        for n, rec in enumerate(receivers):
            run_task(lambda n=n: work(n), results.append, None, receiver=rec)
        for rec in receivers[::2]:               # half the receivers die mid-task
            if round_ % 2:
                rec.deleteLater()
            else:
                shiboken6.delete(rec)
        gc.collect()                             # and on the GUI thread
        _settle(qtbot)
        for rec in receivers[1::2]:
            rec.deleteLater()
        del receivers
    got = set(results)
    assert len(got) == len(results)                # nothing delivered twice
    for round_ in range(10):
        # a receiver alive to the end of its round gets its outcome; one deleted at once
        # (shiboken6.delete) never does; one deleted LATER may, if its outcome was queued
        # before the deferred delete (a busy machine finishes tasks before the loop turns)
        assert {(round_, n) for n in range(1, 60, 2)} <= got
        dead = {(round_, n) for n in range(0, 60, 2)} & got
        assert not dead or round_ % 2, (round_, sorted(dead))


def test_no_worker_callable_captures_a_widget():
    """Every ``run_task`` caller passes plain values into the worker: a lambda or local function
    given as the work must not use ``self`` (a widget whose last reference a worker could drop).
    Bound methods of plain objects (``self.backend.list_patients``) are resolved on the GUI
    thread and are fine."""
    root = Path(__file__).resolve().parent.parent / "ui"
    bad = []
    for py in root.rglob("*.py"):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            local_defs = {n.name: n for n in ast.walk(func)
                          if isinstance(n, ast.FunctionDef) and n is not func}
            for call in ast.walk(func):
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", None)
                        == "run_task" and call.args):
                    continue
                work = call.args[0]
                body = work if isinstance(work, ast.Lambda) else local_defs.get(
                    getattr(work, "id", None))
                if body is not None and any(isinstance(n, ast.Name) and n.id == "self"
                                            for n in ast.walk(body)):
                    bad.append(f"{py.relative_to(root.parent)}:{call.lineno}")
    assert bad == []
