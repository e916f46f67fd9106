"""Shared test set-up: headless Qt, repository paths, the spec folder."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import reports.fonts  # noqa: E402


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
    if not SPEC.is_dir():
        pytest.fail(f"spec folder not found at {SPEC} (CI puts shared/ beside the clone)")
    return SPEC
