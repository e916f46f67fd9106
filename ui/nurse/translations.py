"""Load the nurse screens' Qt translation (resources/translations/epro_nurse_<lang>.qm).

Separate from the kiosk's translator so both can be installed side by side; the app installs it
with :func:`install_nurse_translator` (see the report for wiring into ui/app.py).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

QM_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"


def install_nurse_translator(lang: str, app: QCoreApplication | None = None) -> QTranslator | None:
    """Install and return the translator for ``lang`` (None for English or when no .qm exists)."""
    if lang in ("", "en"):
        return None
    app = app or QCoreApplication.instance()
    tr = QTranslator(app)
    if not tr.load(str(QM_DIR / f"epro_nurse_{lang}.qm")):
        return None
    app.installTranslator(tr)
    return tr
