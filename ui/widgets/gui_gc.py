"""Python's cyclic garbage collection on the GUI thread only.

Automatic collection runs on whichever thread happens to allocate when a generation's threshold
is passed; a collection on a worker thread that frees a cycle holding a Qt wrapper destroys that
Qt object on the wrong thread and crashes Qt. So, while the Qt application runs, automatic
collection is off and a timer on the GUI thread collects instead, using the same generation
thresholds (idea from pyqtgraph's ``util/garbage_collector.py``).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 1000


class GuiThreadGC(QObject):
    """Disables automatic ``gc`` and collects from a GUI-thread timer; ``stop()`` restores."""

    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("epro_gui_gc")
        self._was_enabled = gc.isenabled()
        self.collections = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        """Collect the oldest generation whose count passed its threshold (if any)."""
        counts, limits = gc.get_count(), gc.get_threshold()
        generation = -1
        for gen in range(3):
            if counts[gen] > limits[gen]:
                generation = gen
        if generation >= 0:
            gc.collect(generation)
            self.collections += 1

    def stop(self) -> None:
        self.timer.stop()
        if self._was_enabled:
            gc.enable()


_guard: GuiThreadGC | None = None


def install_gui_gc(interval_ms: int = INTERVAL_MS) -> GuiThreadGC:
    """Once per process, after the QApplication exists, on the GUI thread."""
    global _guard
    if QCoreApplication.instance() is None:
        raise RuntimeError("install_gui_gc needs a running QApplication")
    if _guard is None:
        _guard = GuiThreadGC(interval_ms)
    return _guard


def collect_due() -> None:
    """Run a due collection now (GUI thread only; e.g. between tests without an event loop)."""
    if _guard is not None:
        _guard.check()
