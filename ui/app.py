"""GUI start (placeholder until the kiosk and nurse screens land)."""
from __future__ import annotations

import argparse
import sys


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel(QCoreApplication.translate(
        "App", "ePRO Desk\n\nThe kiosk and nurse screens are coming."))
    label.setWindowTitle("ePRO Desk")
    label.resize(640, 360)
    label.show()
    return app.exec()
