"""``--at INSTANT``: run the selected tests with the clock moved to INSTANT (time-machine).

Proves a test does not depend on the day or hour it happens to run (issue 18)::

    TZ=Pacific/Kiritimati .venv/bin/python -m pytest -q tests/test_summary_loader.py \
        --at 2040-01-01T23:30

INSTANT is ISO 8601; without an offset it is LOCAL wall-clock time in the process's ``TZ`` (so
``--at 2040-01-01T23:30`` under ``TZ=America/Los_Angeles`` is half an hour before a local
midnight, when the UTC date is already the next day). The clock keeps ticking from there
(timeouts and Qt timers still work); ``time.monotonic`` is not moved. Travel starts before any
fixture (the SQLite template databases are made in the travelled time) and ends with the session.
``EPRO_TEST_AT`` in the environment does the same as the option (``make test-clock`` uses it).
"""
from __future__ import annotations

import os
from datetime import datetime

import pytest
import time_machine

_TRAVEL: list[time_machine.travel] = []


def parse_instant(text: str) -> datetime:
    """ISO 8601 instant; naive = local wall-clock time (the process's TZ), returned aware."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.astimezone()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--at", metavar="INSTANT", default=os.environ.get("EPRO_TEST_AT") or None,
                     help="run the tests with the clock moved to INSTANT (ISO 8601; naive = "
                          "local time in TZ), ticking from there")


def pytest_configure(config: pytest.Config) -> None:
    at = config.getoption("--at", default=None)
    if not at:
        return
    travel = time_machine.travel(parse_instant(at), tick=True)
    travel.start()
    _TRAVEL.append(travel)


def pytest_report_header(config: pytest.Config) -> str | None:
    at = config.getoption("--at", default=None)
    if not at:
        return None
    return (f"clock moved to {parse_instant(at).isoformat()} "
            f"(TZ={os.environ.get('TZ', '<unset>')}, now {datetime.now().astimezone().isoformat()})")


def pytest_unconfigure(config: pytest.Config) -> None:
    while _TRAVEL:
        _TRAVEL.pop().stop()
