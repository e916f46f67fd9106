"""SAS transport (XPORT) version 5 files of the SDTM datasets, written with ``pyreadstat``.

pyreadstat (ReadStat, maintained; FDA-style v5 with ``file_format_version=5``) writes a pandas
DataFrame: numeric variables as 8-byte numbers, character variables with the length of their
longest value in bytes (at least 1, at most 200: longer values are refused -- ``sdtm_outcomes``
moves staff text past 200 bytes into SUPP-- first, ``sdtm_trial`` a TS value into TSVAL1...,
and ``sdtm_package`` stops with a message on any other before writing a file), the dataset
name and label, labels. Names
<= 8 and labels <= 40 characters are guaranteed by ``sdtm_meta`` (checked again here: pyreadstat
would refuse them). Character missing = blank, numeric missing = ``.``.

Heavy imports (pandas, pyreadstat): this module is imported only by the ``sdtm`` export itself
(``reports.export.commands`` loads it when that format runs), never by the screens or the kiosk.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import pyreadstat

from reports.export.sdtm_meta import MAX_CHAR_BYTES, Dataset, Var


def _char(v: Any) -> str:
    return "" if v is None else str(v)


def _num(v: Any) -> float:
    if v is None or v == "":
        return math.nan
    return float(v)


def frame(ds: Dataset, rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """The rows as a DataFrame of the dataset's variables: float64 or text columns."""
    cols: dict[str, Any] = {}
    for i, v in enumerate(ds.vars):
        if v.numeric:
            cols[v.name] = pd.Series([_num(r[i]) for r in rows], dtype="float64")
        else:
            cols[v.name] = pd.Series([_char(r[i]) for r in rows], dtype=object)
    return pd.DataFrame(cols, columns=list(ds.columns))


def too_long(ds: Dataset, rows: Sequence[Sequence[Any]]) -> tuple[Var, Sequence[Any]] | None:
    """The first (variable, row) whose text is past the v5 limit of 200 bytes, else None."""
    for i, v in enumerate(ds.vars):
        if v.numeric:
            continue
        row = next((r for r in rows if len(_char(r[i]).encode("utf-8")) > MAX_CHAR_BYTES), None)
        if row is not None:
            return v, row
    return None


def write_xpt(path: Path, ds: Dataset, rows: Sequence[Sequence[Any]]) -> None:
    bad = [v.name for v in ds.vars if len(v.name) > 8 or len(v.label) > 40]
    if bad or len(ds.name) > 8 or len(ds.label) > 40:
        raise ValueError(f"{ds.name}: name or label too long for XPT v5: {bad}")
    hit = too_long(ds, rows)     # longer staff text goes to SUPP-- first (sdtm_package checks)
    if hit is not None:
        raise ValueError(f"{ds.name}.{hit[0].name}: a value longer than {MAX_CHAR_BYTES} bytes")
    pyreadstat.write_xport(frame(ds, rows), str(path), file_label=ds.label,
                           column_labels=[v.label for v in ds.vars], table_name=ds.name,
                           file_format_version=5)


def read_xpt(path: Path) -> tuple[pd.DataFrame, Any]:
    """(data, metadata) of a transport file (tests and checks)."""
    return pyreadstat.read_xport(str(path), encoding="utf-8")
