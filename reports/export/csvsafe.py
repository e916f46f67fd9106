"""CSV output for spreadsheet users: UTF-8 with BOM and OWASP formula-injection defanging.

Excel, WPS and LibreOffice evaluate a cell whose text starts with ``=``, ``+``, ``-``, ``@``, tab
or carriage return as a formula (OWASP "CSV Injection"). Free-text cells that start so are
prefixed with a single quote, which the spreadsheet shows as text. Values that are genuine numbers
(``-3.5``, ``+2``, ``1e-3``) are left alone: they are data, not formulas, and a quote would turn
them into text and break analysis. Python ints/floats are written as numbers; ``None`` as an
empty cell; booleans as 1/0.
"""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a plain decimal number, optionally signed, optionally with an exponent; nothing else
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_plain_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text))


_FORMULA_CHARS = frozenset(FORMULA_START)


def defang(text: str) -> str:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula (numbers stay as is)."""
    if text and text[0] in _FORMULA_CHARS and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value: Any) -> str:
    """One CSV cell: numbers as numbers (full precision), None empty, text defanged."""
    t = type(value)
    if t is str:
        return "'" + value if (value and value[0] in _FORMULA_CHARS
                               and not _NUMBER.fullmatch(value)) else value
    if value is None:
        return ""
    if t is int:
        return str(value)
    if t is bool:
        return "1" if value else "0"
    if t is float:
        if math.isnan(value) or math.isinf(value):
            return ""
        return repr(value)  # shortest repr that round-trips: full precision
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return cell(float(value))
    return defang(str(value))


class CsvOut:
    """A CSV file written row by row (streaming), with a BOM, CRLF line ends and defanged cells."""

    def __init__(self, path: Path | str, header: Sequence[str],
                 raw_columns: Sequence[str] = ()) -> None:
        """``raw_columns``: columns whose text the app generates from a fixed vocabulary and
        that must stay exact (e.g. SDTM ``QSEVLINT`` = ``-P7D``); they are not defanged."""
        self.path = Path(path)
        self._raw = frozenset(i for i, h in enumerate(header) if h in set(raw_columns))
        # the BOM written by hand: "utf-8-sig" would run a Python-level encoder on every row
        self._fh: IO[str] = open(self.path, "w", encoding="utf-8", newline="")
        self._fh.write("\ufeff")
        self._w = csv.writer(self._fh)
        self._w.writerow([defang(h) for h in header])
        self.rows = 0

    def write(self, values: Iterable[Any]) -> None:
        if self._raw:
            self._w.writerow([("" if v is None else str(v)) if i in self._raw and
                              isinstance(v, str) else cell(v) for i, v in enumerate(values)])
        else:
            self._w.writerow([cell(v) for v in values])
        self.rows += 1

    def write_trusted(self, values: Sequence[Any]) -> None:
        """Fast path for hot loops: the caller guarantees every text value is already defanged
        (or comes from a vocabulary that cannot start with a formula character) and that no
        value is a bool or a non-finite float; ints, floats (repr = full precision) and None
        (empty) are written by the csv module itself."""
        self._w.writerow(values)
        self.rows += 1

    def write_text(self, text: str, rows: int) -> None:
        """Append ``rows`` rows already rendered as CSV text (each ending in CRLF, quoted as
        ``csv.writer`` quotes and defanged like :meth:`write_trusted`): hot loops that render
        their constant parts once (see :func:`render_fields`)."""
        self._fh.write(text)
        self.rows += rows

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "CsvOut":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PLAIN_TYPES = frozenset({str, int, type(None)})
_NEEDS_QUOTES = re.compile(r'[,"\r\n\x00]')  # quoted by csv.writer (NUL: left to csv itself)


def render_fields(values: Sequence[Any]) -> str:
    """``values`` as ``csv.writer`` (default dialect) writes them, without the line end: a
    piece of a row to join with ``,`` to other pieces. Nothing is defanged here."""
    if len(values) == 1 and values[0] in (None, ""):
        return ""          # csv.writer writes a lone empty field as "" ; inside a row it is empty
    if all(map(_PLAIN_TYPES.__contains__, map(type, values))):
        texts = ["" if v is None else v if type(v) is str else str(v) for v in values]
        if not any(map(_NEEDS_QUOTES.search, texts)):
            return ",".join(texts)   # what csv.writer writes for unquoted str/int/None
    buf = io.StringIO()
    csv.writer(buf).writerow(values)
    return buf.getvalue()[:-2]


def write_csv(path: Path | str, header: Sequence[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write a whole CSV (BOM, defanged); returns the number of data rows."""
    with CsvOut(path, header) as out:
        for r in rows:
            out.write(r)
        return out.rows
