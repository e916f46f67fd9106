"""Times on screen: local time with its UTC offset (one formatter: ``reports.timefmt``)."""
from __future__ import annotations

from reports.timefmt import local_time_text

__all__ = ["local_time_text"]
