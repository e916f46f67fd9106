"""Install the Qt translator for the chosen user-interface language (en or zh_CN).

Translations are ``resources/translations/epro_<lang>.ts`` compiled to ``.qm`` by
``python -m resources.translations.build`` (``make translations``). English is the source
language and needs no file. Questionnaire wording is instrument data, not Qt translations.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

TRANSLATION_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = ("en", "zh_CN")
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}  # shown in their own language

_state: dict[str, object] = {"lang": "en", "translator": None}


def qm_path(lang: str) -> Path:
    return TRANSLATION_DIR / f"epro_{lang}.qm"


def _ensure_compiled(lang: str) -> None:
    """Compile the .ts if the .qm is missing or older (a fresh checkout before `make`)."""
    ts = TRANSLATION_DIR / f"epro_{lang}.ts"
    qm = qm_path(lang)
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        try:
            from resources.translations.build import main as build
            build()
        except Exception:  # a missing tool must not stop the kiosk: English is shown
            log.warning("could not compile translations", exc_info=True)


def set_language(lang: str) -> bool:
    """Install the translator for ``lang``; True if the UI is now in that language."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    app = QCoreApplication.instance()
    old = _state["translator"]
    if old is not None:
        app.removeTranslator(old)
        _state["translator"] = None
    _state["lang"] = lang
    if lang == "en":
        return True
    _ensure_compiled(lang)
    translator = QTranslator(app)
    if not translator.load(str(qm_path(lang))):
        log.warning("no compiled translation for %s; showing English", lang)
        return False
    app.installTranslator(translator)
    _state["translator"] = translator
    return True


def current_language() -> str:
    return str(_state["lang"])
