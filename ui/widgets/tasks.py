"""Run slow work (database queries, charts' data, exports) on the global QThreadPool.

The callable runs in a pool thread and must not touch widgets; its result or exception comes back
on the GUI thread through Qt signals (queued connection). Workers that use the database call the
storage services, which open their own session per call.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("epro.ui.tasks")


class TaskSignals(QObject):
    finished = Signal(object)   # result
    failed = Signal(object)     # exception instance


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.setAutoDelete(True)

    def run(self) -> None:  # pool thread
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI thread; no patient data is logged
            log.debug("background task failed: %s", type(exc).__name__)
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


_live: set[TaskSignals] = set()


def run_task(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             receiver: QObject | None = None) -> TaskSignals:
    """Start ``fn`` in the pool; ``on_done(result)`` / ``on_error(exc)`` run in the GUI thread.

    Pass ``receiver`` (the widget that owns the callbacks) so that nothing is delivered to a
    widget that has been destroyed meanwhile (e.g. after an idle logout).
    """
    task = Task(fn)
    sig = task.signals
    _live.add(sig)          # kept until the result arrives, even if the receiver dies first:
    receiver_alive = [True]  # freeing the signals object while the pool thread still emits on
    if receiver is not None:  # it crashed the app (seen when a hand-over logged staff out)
        receiver.destroyed.connect(lambda *_: receiver_alive.__setitem__(0, False))

    def _done(result: Any) -> None:
        _live.discard(sig)
        if on_done is not None and receiver_alive[0]:
            on_done(result)

    def _fail(exc: BaseException) -> None:
        _live.discard(sig)
        if not receiver_alive[0]:
            return
        if on_error is not None:
            on_error(exc)
        else:
            log.warning("background task failed: %s", type(exc).__name__)

    sig.finished.connect(_done)
    sig.failed.connect(_fail)
    QThreadPool.globalInstance().start(task)
    return sig
