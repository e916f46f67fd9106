"""``epro screen IN.csv [-o OUT.csv] [--protocol FILE]``: a screening log in batch (protocol.md §3)

Every row is evaluated with :func:`forms.screening.evaluate` -- the same evaluation the enrol
dialog previews and storage stores -- against the bundled NCT01342250 protocol or ``--protocol``.

Input: UTF-8 CSV (a BOM is accepted) with a header row; names are matched after trimming spaces,
case-insensitively; ``id`` is required. Columns (any order, an empty cell = not known)::

    id, screening_date, birth_date, consent_date   (YYYY-MM-DD)
    decompensated, life_expectancy_over_2_months, hbv, antiviral   (yes | no)
    child_pugh (5-15), meld (6-40)                 (whole numbers, computed by the app)
    <exclusion id> ... one per exclusion of the protocol   (yes = the exclusion applies)

An absent column counts as not known in every row and other columns are ignored (both named once
on stderr). A short row is padded with empty cells; blank lines are skipped.

Output: ``id, result, unmet, undetermined`` -- ids joined by ``;`` in protocol order -- one row per
input row, in order. A malformed row (a bad date, yes/no or score, a birth date after the
screening date, more cells than the header) is named on stderr with its row id, line and column;
it is not judged: ``result`` is ``undetermined``, ``unmet`` empty and ``undetermined`` names the
criteria that read the malformed cells (all of them for a row with extra cells). Exit status 0.

Rows are read, evaluated and written one at a time (flat memory). With ``-o`` the output is written
to a temporary file and renamed at the end, so an input that turns out unreadable half-way (not
UTF-8, broken quoting) leaves no half file: that, a missing file or a header without ``id`` is one
line on stderr and exit status 2.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from datetime import date
from typing import Any, TextIO

from forms.csv_stream import bad_text, open_input, open_output
from forms.errors import UserError
from forms.protocol import DEFAULT_PROTOCOL_PATH, Protocol, load_protocol
from forms.screening import (UNDETERMINED, ScreeningInputs, criterion_inputs, evaluate)
from forms.screening_rules import (BOOL_INPUTS, DATE_INPUTS, EXCLUSION_PREFIX, SCORE_INPUTS,
                                   SCORE_RANGES)

OUTPUT_COLUMNS = ("id", "result", "unmet", "undetermined")
FIXED_COLUMNS = ("id", *DATE_INPUTS, "decompensated", *SCORE_INPUTS,
                 "life_expectancy_over_2_months", "hbv", "antiviral")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"[+-]?[0-9]+")
_YES_NO = {"yes": True, "no": False}


def input_columns(protocol: Protocol) -> dict[str, str]:
    """CSV column (lower case) -> screening input name, for ``protocol``."""
    cols = {c: c for c in FIXED_COLUMNS if c != "id"}
    cols.update({c.id.lower(): EXCLUSION_PREFIX + c.id for c in protocol.exclusion})
    return cols


class BadCell(ValueError):
    pass


def parse_cell(name: str, text: str) -> Any:
    """One cell's value for input ``name``: None when empty; :class:`BadCell` when malformed."""
    s = text.strip()
    if not s:
        return None
    if name in DATE_INPUTS:
        try:
            if not _DATE.fullmatch(s):
                raise ValueError
            return date.fromisoformat(s)
        except ValueError:
            raise BadCell(f"{s!r} is not a date YYYY-MM-DD") from None
    if name in SCORE_INPUTS:
        lo, hi = SCORE_RANGES[name]
        if not _INT.fullmatch(s) or not lo <= int(s) <= hi:
            raise BadCell(f"{s!r} is not a whole number {lo}-{hi}")
        return int(s)
    if name in BOOL_INPUTS or name.startswith(EXCLUSION_PREFIX):
        if s.lower() not in _YES_NO:
            raise BadCell(f"{s!r} is not yes or no")
        return _YES_NO[s.lower()]
    raise KeyError(name)


def _inputs_of(values: dict[str, Any]) -> ScreeningInputs:
    excl = {k[len(EXCLUSION_PREFIX):]: v for k, v in values.items()
            if k.startswith(EXCLUSION_PREFIX)}
    return ScreeningInputs(**{k: v for k, v in values.items()
                              if not k.startswith(EXCLUSION_PREFIX)}, exclusions=excl)


class Screener:
    """Evaluates rows of one CSV header against a protocol; problems go to ``err``."""

    def __init__(self, protocol: Protocol, header: list[str], source: str, err: TextIO) -> None:
        self.protocol, self.err = protocol, err
        names = [h.strip().lower() for h in header]
        dupes = sorted({n for n in names if n and names.count(n) > 1})
        if dupes:
            raise UserError(f"{source}: duplicate column(s) {', '.join(dupes)} in the header")
        if "id" not in names:
            hint = " (is it separated by ';'? use ',')" if ";" in "".join(header) else ""
            raise UserError(f"{source}: no 'id' column in the header{hint}")
        wanted = input_columns(protocol)
        self.width = len(names)
        self.id_col = names.index("id")
        self.cols = [(j, n, wanted[n]) for j, n in enumerate(names) if n in wanted]
        ignored = [header[j].strip() for j, n in enumerate(names) if n not in wanted
                   and n != "id" and n]
        absent = [c for c in wanted if c not in names]
        if absent:
            print(f"epro: {source}: column(s) {', '.join(absent)} absent: not known in every row",
                  file=err)
        if ignored:
            print(f"epro: {source}: column(s) {', '.join(ignored)} ignored (not inputs of "
                  f"{protocol.protocol_id})", file=err)

    def row(self, cells: list[str], line: int) -> list[str]:
        """The output row of one input row."""
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        rid = cells[self.id_col]
        where = f"row {rid!r} (line {line})"
        bad: set[str] = set()
        values: dict[str, Any] = {}
        for j, col, name in self.cols:
            try:
                values[name] = parse_cell(name, cells[j])
            except BadCell as exc:
                print(f"epro: {where}: column {col}: {exc}; the row is undetermined",
                      file=self.err)
                bad.add(name)
        if len(cells) > self.width:
            print(f"epro: {where}: column {self.width + 1}: {len(cells)} values but the header "
                  f"has {self.width} columns; the row is undetermined", file=self.err)
            return [rid, UNDETERMINED, "", ";".join(c.id for c in self.protocol.criteria)]
        birth, screening = values.get("birth_date"), values.get("screening_date")
        if birth is not None and screening is not None and birth > screening:
            print(f"epro: {where}: column birth_date: {birth.isoformat()} is after the "
                  f"screening date {screening.isoformat()}; the row is undetermined",
                  file=self.err)
            bad.add("birth_date")
        if bad:
            hit = [c.id for c in self.protocol.criteria if bad & set(criterion_inputs(c))]
            return [rid, UNDETERMINED, "", ";".join(hit)]
        res = evaluate(self.protocol, _inputs_of(values))
        return [rid, res.result, ";".join(res.unmet), ";".join(res.undetermined)]


def screen_file(protocol: Protocol, path: str, out: TextIO, err: TextIO) -> int:
    """Evaluate the CSV at ``path`` row by row into ``out``; returns the number of rows."""
    n = 0
    with open_input(path) as f:
        reader = csv.reader(f, strict=True)
        try:
            header = next((r for r in reader if any(c.strip() for c in r)), None)
            if header is None:
                raise UserError(f"{path}: empty file (a header row with an 'id' column is "
                                "required)")
            screener = Screener(protocol, header, path, err)
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(OUTPUT_COLUMNS)
            for cells in reader:
                if any(c.strip() for c in cells):
                    writer.writerow(screener.row(cells, reader.line_num))
                    n += 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise bad_text(path, reader.line_num, exc) from None
    return n


def cmd_screen(args: argparse.Namespace) -> int:
    """Handler of ``epro screen``: exit 0 when the log was evaluated (bad rows are reported)."""
    protocol = load_protocol(args.protocol or DEFAULT_PROTOCOL_PATH)
    with open_output(getattr(args, "output", None)) as out:
        screen_file(protocol, args.input, out, sys.stderr)
    return 0
