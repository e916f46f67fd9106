"""Run slow work (opening the database, queries, PDFs, exports) off the GUI thread.

Rule: Qt objects are created, used and destroyed on the GUI thread only; worker threads run plain
Python callables and hand back plain data. So the workers are plain Python threads
(``concurrent.futures.ThreadPoolExecutor``) that own no Qt object, and ONE long-lived
:class:`_Dispatcher` QObject, made on the GUI thread, brings every outcome back through a queued
signal to its own slot on the GUI thread, which calls ``on_done(result)`` / ``on_error(exc)``.

Who frees what matters as much as who runs what: the callable, its closure (which may hold a
widget's bound method), the result and the exception (whose traceback holds the callable's
frames) must never lose their last reference on a worker thread, or the worker may free a Qt
wrapper (a crash: "Garbage-collecting" on the wrong thread). So the GUI-thread task table keeps
the callable until delivery, and the worker parks the outcome in that table and drops every
local reference BEFORE it signals; the signal carries only the task id. A receiver destroyed
meanwhile (``shiboken6.isValid``) gets nothing: its result is dropped silently.

Workers that use the database call the storage services, which open their own session per call.
:func:`wait_for_tasks` waits until no worker is running (before a database is disposed).
"""
from __future__ import annotations

import itertools
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger("epro.ui.tasks")
MAX_WORKERS = max(2, min(4, os.cpu_count() or 2))


@dataclass
class _Task:
    """GUI-thread record of one task; only the GUI thread adds or removes records."""
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    receiver: QObject | None
    outcome: tuple[bool, Any] | None = None   # set by the worker (under _lock) before it signals


class _Dispatcher(QObject):
    """Lives on the GUI thread for the whole process; delivers outcomes there."""
    outcome_ready = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("epro_task_dispatcher")
        self.outcome_ready.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(int)
    def _deliver(self, task_id: int) -> None:
        with _lock:
            task = _tasks.pop(task_id, None)
        if task is None or task.outcome is None:
            return
        ok, payload = task.outcome
        if task.receiver is not None and not shiboken6.isValid(task.receiver):
            return                          # the receiver is gone (e.g. idle logout): drop it
        if ok:
            if task.on_done is not None:
                task.on_done(payload)
        elif task.on_error is not None:
            task.on_error(payload)
        else:
            log.warning("background task failed: %s", type(payload).__name__)


_lock = threading.Lock()
_idle = threading.Condition(_lock)
_tasks: dict[int, _Task] = {}
_running = 0
_ids = itertools.count(1)
_executor: ThreadPoolExecutor | None = None
_dispatcher: _Dispatcher | None = None


def _on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _work(task_id: int) -> None:  # worker thread: plain Python only
    global _running
    with _lock:
        fn = _tasks[task_id].fn                 # the table keeps it: never freed here
    try:
        outcome: tuple[bool, Any] | None = (True, fn())
    except BaseException as exc:  # noqa: BLE001 (every failure goes back to the GUI thread)
        log.debug("background task failed: %s", type(exc).__name__)   # no patient data logged
        outcome = (False, exc)
    del fn
    with _lock:
        _tasks[task_id].outcome = outcome
        outcome = None                         # the table holds the only reference now
        _running -= 1
        _idle.notify_all()
    dispatcher = _dispatcher
    if dispatcher is not None:
        dispatcher.outcome_ready.emit(task_id)


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             receiver: QObject | None = None) -> int:
    """Start ``fn`` on a worker thread; ``on_done(result)`` / ``on_error(exc)`` run on the GUI
    thread. Call from the GUI thread only. ``fn`` must not touch or capture widgets: pass plain
    values into it (copy what it needs into locals first). Pass ``receiver`` (the widget that
    owns the callbacks) so that nothing is delivered to a widget destroyed meanwhile.
    Returns the task id."""
    global _executor, _dispatcher, _running
    if not _on_gui_thread():
        raise RuntimeError("run_task must be called on the GUI thread")
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    if _executor is None:
        _executor = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="epro-task")
    task_id = next(_ids)
    with _lock:
        _tasks[task_id] = _Task(fn, on_done, on_error, receiver)
        _running += 1
    try:
        _executor.submit(_work, task_id)
    except BaseException:
        with _lock:
            _tasks.pop(task_id, None)
            _running -= 1
            _idle.notify_all()
        raise
    return task_id


def wait_for_tasks(timeout: float = 10.0) -> bool:
    """Block until no worker is running (their outcomes are delivered later, by the event loop);
    True if all finished within ``timeout`` seconds. Use before disposing a database."""
    with _lock:
        return _idle.wait_for(lambda: _running == 0, timeout)


def pending_tasks() -> int:
    """Tasks started whose outcome has not been delivered (or dropped) yet."""
    with _lock:
        return len(_tasks)
