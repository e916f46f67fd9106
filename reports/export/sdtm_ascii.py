"""Which text values of the SDTM package are not ASCII (FDA Study Data Technical Conformance
Guide: character values in SAS transport v5 files should be ASCII).

The package is written as the data are (UTF-8: staff text typed in Chinese, a patient's answer
labels with typographic characters); this check never changes a value. It lists, per dataset and
variable, how many values hold a character outside ASCII and the first row (1-based) holding
one, in ``non_ascii.csv`` beside the datasets, and ``epro export`` prints the same list, so the
data manager translates or transliterates that text before a submission.
Stdlib only (the CLI imports it).
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable, Sequence

NON_ASCII = "non_ascii.csv"
COLUMNS = ("DATASET", "VARIABLE", "VALUES", "FIRST_ROW")


def is_ascii(value: Any) -> bool:
    return not isinstance(value, str) or value.isascii()


def non_ascii(name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
              ) -> list[tuple[str, str, int, int]]:
    """(dataset, variable, number of non-ASCII values, first such row) of one dataset, in
    variable order; variables whose values are all ASCII are left out."""
    out = []
    for i, var in enumerate(columns):
        hits = [n for n, r in enumerate(rows, 1) if not is_ascii(r[i])]
        if hits:
            out.append((name, var, len(hits), hits[0]))
    return out


def summary_lines(found: Iterable[Sequence[Any]]) -> list[str]:
    """What the console prints: one line per dataset variable (none when all is ASCII)."""
    found = list(found)
    if not found:
        return []
    head = (f"warning: {len(found)} SDTM variable(s) hold text that is not ASCII (FDA expects "
            f"ASCII in XPT files; written unchanged, listed in {NON_ASCII}):")
    return [head] + [f"  {ds}.{var}: {int(n)} value(s), first in row {int(first)}"
                     for ds, var, n, first in found]


def read_report(folder: Path) -> list[tuple[str, str, int, int]]:
    """The rows of ``non_ascii.csv`` in ``folder`` (none when the file is missing)."""
    path = folder / NON_ASCII
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(r["DATASET"], r["VARIABLE"], int(r["VALUES"]), int(r["FIRST_ROW"]))
                for r in csv.DictReader(fh)]
