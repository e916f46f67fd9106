"""Shared test set-up: headless Qt, repository paths, the spec data files, GUI-thread-only gc.

The spec data the tests need (published score vectors, item bank, CSC spec, MELD examples) are
copies in ``tests/fixtures/spec/``: the suite reads nothing outside the repository.
"""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the audit chain's site key lives outside the database (storage/audit_key.py): one throwaway key
# per test run, never the user's own config folder (subprocesses inherit it)
if "EPRO_AUDIT_KEY_FILE" not in os.environ:
    _KEY_DIR = tempfile.mkdtemp(prefix="epro-key-")
    os.environ["EPRO_AUDIT_KEY_FILE"] = str(Path(_KEY_DIR) / "audit.key")
    atexit.register(shutil.rmtree, _KEY_DIR, ignore_errors=True)   # not one folder per run left
ROOT = Path(__file__).resolve().parent.parent
SPEC = Path(__file__).resolve().parent / "fixtures" / "spec"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import reports.fonts  # noqa: E402
from ui.widgets.gui_gc import collect_due, install_gui_gc  # noqa: E402

# ``--at INSTANT`` / EPRO_TEST_AT: run the tests at another instant (tests/timetravel.py, issue 18)
pytest_plugins = ("timetravel",)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--screenshots", action="store_true",
                     help="run the screenshot tests (writes screenshots/)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    markexpr = config.getoption("-m") or ""
    skip_shots = pytest.mark.skip(reason="screenshots: run `make screenshots`")
    skip_slow = pytest.mark.skip(reason="slow: run `make test-slow`")
    for item in items:
        if "screenshots" in item.keywords and not config.getoption("--screenshots"):
            item.add_marker(skip_shots)
        if "slow" in item.keywords and "slow" not in markexpr:
            item.add_marker(skip_slow)


# Skips that are by design (`make test-slow`, `make screenshots`). Any other skip means the
# machine lacked something a test needs (PostgreSQL binaries, a font…): it is printed loudly at
# the end of every run, and with CI=true it fails the run (issue 18: "the environment decides").
ALLOWED_SKIP_PREFIXES = ("slow:", "screenshots:")


def _unexpected_skips(config: pytest.Config) -> list[str]:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return []
    reasons = []
    for rep in reporter.stats.get("skipped", []):
        longrepr = rep.longrepr
        reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        if not reason.startswith(ALLOWED_SKIP_PREFIXES):
            reasons.append(f"{rep.nodeid}: {reason}")
    return reasons


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = _unexpected_skips(config)
    if skipped:
        terminalreporter.section("TESTS THAT DID NOT RUN ON THIS MACHINE", sep="!", red=True)
        for line in skipped[:20]:
            terminalreporter.line(line, red=True)
        terminalreporter.line(f"{len(skipped)} test(s) skipped for a missing tool or service"
                              + (": CI=true, so the run FAILS" if _in_ci() else
                                 " (install what they name, e.g. `bash .ci/run` does)"),
                              red=True, bold=True)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _in_ci() and exitstatus == 0 and _unexpected_skips(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def qapp(qapp):  # noqa: F811 (extends pytest-qt's qapp)
    """pytest-qt's QApplication, with cyclic gc moved to the GUI thread as the app does it
    (``ui/widgets/gui_gc.py``): a collection on a worker thread may free a Qt wrapper there."""
    install_gui_gc()
    return qapp


@pytest.fixture(autouse=True)
def _gui_thread_gc():
    """Tests without an event loop still collect (on this, the GUI, thread) between tests."""
    yield
    collect_due()


@pytest.fixture(scope="session", autouse=True)
def _pdfs_use_only_the_bundled_fonts():
    """No PDF test passes because of the machine's fonts: the system font search is empty, so
    every PDF is printed with resources/fonts/ (tests of the fallback pass their own lists)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reports.fonts, "CJK_SYSTEM_CANDIDATES", ())
        mp.setattr(reports.fonts, "LATIN_SYSTEM_CANDIDATES", ())
        yield


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    return SPEC
