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
    """Compile every .ts of ``lang`` whose .qm is missing or older (fresh checkout)."""
    stale = [ts for ts in TRANSLATION_DIR.glob(f"*_{lang}.ts")
             if not ts.with_suffix(".qm").exists()
             or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime]
    if stale:
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


STAFF_CATALOGUES = ("epro_nurse", "epro_app")   # staff screens; the kiosk's is epro_<lang>
_staff: list[object] = []


def install_staff_translators(lang: str) -> list[str]:
    """Install the staff-screen translators (nurse + app catalogues) and Qt's own ``qtbase``
    translation (standard buttons such as OK/Cancel, wizard Next/Back) for ``lang``, beside
    the kiosk translator of :func:`set_language`. Returns what was loaded (for tests/logs)."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    app = QCoreApplication.instance()
    for old in _staff:
        app.removeTranslator(old)
    _staff.clear()
    if lang == "en":
        return []
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    _ensure_compiled(lang)
    loaded = []
    for name in STAFF_CATALOGUES:
        tr = QTranslator(app)
        if tr.load(str(TRANSLATION_DIR / f"{name}_{lang}.qm")):
            app.installTranslator(tr)
            _staff.append(tr)
            loaded.append(name)
        else:
            log.warning("no compiled %s translation for %s", name, lang)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    tr = QTranslator(app)
    if tr.load(f"qtbase_{lang}", qt_dir):
        app.installTranslator(tr)
        _staff.append(tr)
        loaded.append("qtbase")
    else:
        log.warning("Qt's own qtbase translation for %s not found in %s", lang, qt_dir)
    return loaded
