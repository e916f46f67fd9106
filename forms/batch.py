"""``epro score --instrument rand36|csc INPUT.csv [-o OUTPUT.csv]``: score a CSV of answers.

Generic over instruments through :func:`scorers` (instrument id -> scoring module, from the
instrument registry's ``batch_module``). A scoring module
exposes ``BATCH_INPUT_COLUMNS`` (item columns), ``BATCH_OUTPUT_COLUMNS`` (``"id"`` first),
``VALID_CODES`` (``{item column or item number: frozenset of codes}``) and
``score_batch_row(codes: dict[str, int | None]) -> dict[str, object]``; it may also offer the
column-wise fast path: ``BATCH_COLUMNS_MODULE`` names a module whose ``score_columns(columns,
n_rows)`` scores whole columns (``forms.sf36`` does).

Input rules (sf36.md 0.5, symptoms.md 3):

* UTF-8 text (a BOM is accepted), comma-separated, a header row. Header names are matched after
  trimming spaces, case-insensitively. ``id`` is required, and at least one item column; item
  columns that are absent count as not answered (named once on stderr); other columns are ignored.
* An empty cell (or only spaces) = not answered. A code is an integer; spaces around it are
  stripped, and an integral decimal such as ``2.0`` (what a spreadsheet writes for a column with
  gaps) is the code 2. Anything else -- out of range, ``2.5``, ``NA``, ``x`` -- is an invalid
  code: the row is still scored with that item missing; stderr summarises them per column (how
  many, then the first examples as ``row <id> (line <n>): <column> <value>``).
* Rows shorter than the header are padded with empty cells; blank lines are skipped.

The file is read and scored in chunks (``forms.csv_stream.CHUNK_ROWS`` rows): memory stays
flat whatever its size.

Output: UTF-8, ``\\n`` line ends, a header ``BATCH_OUTPUT_COLUMNS``, one row per input row in the
same order; floats in full ``repr`` precision, empty = not computable. With ``-o`` the file is
written atomically (temporary file, then rename), so a failure never leaves half a file.

A malformed file (missing, empty, binary, not UTF-8, not CSV, no ``id`` or no item column) raises
:class:`forms.errors.UserError`: one line on stderr, exit status 2.
"""
from __future__ import annotations

import argparse
import csv
import importlib
import re
import sys
from types import ModuleType
from itertools import islice
from typing import Callable, Iterable, Sequence, TextIO

from forms.csv_stream import (BadCells, Chunk, iter_chunks, open_input, open_output,
                              read_header)
from forms.errors import UserError
from forms.instrument_defs import InstrumentEntry
from forms.registry import registry

# An integral decimal such as "2.0" (what pandas/Excel write for a column with gaps) is the
# precode 2; "2.5" is not a precode.
_INTEGER = re.compile(r"[+-]?[0-9]+(?:\.0+)?")


def scorers() -> dict[str, str]:
    """instrument id -> batch scoring module, for every registered instrument that has one."""
    return {e.id: e.batch_module for e in registry() if e.batch_module}


class DataScorer:
    """The batch hooks of an instrument scored as data (``forms.itemscore``): item columns are
    its item ids, output columns its score keys (and ``alert`` when it has alert rules)."""

    def __init__(self, entry: InstrumentEntry) -> None:
        inst = entry.instrument()
        self.__name__ = f"{entry.id} (data scoring)"
        self.entry = entry
        self.VALID_CODES = {it.id: frozenset(inst.options_for(it).codes) for it in inst.items}
        self.BATCH_INPUT_COLUMNS = inst.item_ids
        self.BATCH_OUTPUT_COLUMNS = ("id",) + tuple(d.key for d in entry.scores)

    def score_batch_row(self, codes: dict[str, int | None]) -> dict[str, object]:
        return {k: v for values in self.entry.score(codes).values() for k, v in values.items()}


def scorer_for(instrument_id: str) -> ModuleType:
    """The scoring module of an instrument (imported on first use); an instrument scored as
    data gets a :class:`DataScorer` with the same hooks."""
    available = scorers()
    entry = registry().find(instrument_id)
    if entry is not None and instrument_id not in available and entry.scorer is not None:
        return DataScorer(entry)  # type: ignore[return-value]
    if instrument_id not in available:
        raise UserError(f"no batch scorer for instrument '{instrument_id}' "
                        f"(available: {', '.join(sorted(available))})")
    try:
        return importlib.import_module(available[instrument_id])
    except ModuleNotFoundError as exc:
        if exc.name == available[instrument_id]:
            raise UserError(f"scoring for '{instrument_id}' is not installed "
                            f"({available[instrument_id]} is missing)") from None
        raise


def valid_codes_by_column(module: ModuleType) -> dict[str, frozenset[int]]:
    """``VALID_CODES`` keyed by input column (item numbers ``n`` become ``q<n>``)."""
    out = {}
    for key, codes in module.VALID_CODES.items():
        out[key if isinstance(key, str) else f"q{key}"] = frozenset(codes)
    missing = [c for c in module.BATCH_INPUT_COLUMNS if c not in out]
    if missing:
        raise RuntimeError(f"{module.__name__}: VALID_CODES lacks {missing}")
    return {c: out[c] for c in module.BATCH_INPUT_COLUMNS}


def parse_code(text: str, valid: frozenset[int]) -> int | None:
    """Precode of one cell: None for empty; ValueError for anything not a valid integer code."""
    s = text.strip()
    if not s:
        return None
    if not _INTEGER.fullmatch(s):
        raise ValueError("not an integer code")
    code = int(s.split(".")[0])
    if code not in valid:
        raise ValueError("out of range")
    return code


def _describe(valid: frozenset[int]) -> str:
    codes = sorted(valid)
    if codes == list(range(codes[0], codes[-1] + 1)) and len(codes) > 2:
        return f"{codes[0]}-{codes[-1]}"
    return ", ".join(map(str, codes))


class Table:
    """A parsed CSV: header, one sequence of cells per header column, row count, line numbers."""

    def __init__(self, header: list[str], columns: list[Sequence[str]], n_rows: int,
                 line_of: Callable[[int], int]) -> None:
        self.header = header
        self.columns = columns
        self.n_rows = n_rows
        self.line_of = line_of


def _columns_of(rows: list[list[str]], width: int) -> list[Sequence[str]]:
    """Transpose rows; short rows are padded with empty cells, extra cells are dropped."""
    if not rows:
        return [()] * width
    if min(map(len, rows)) < width:
        rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
    return list(zip(*rows))[:width]


def _table(header: list[str], chunk: Chunk) -> Table:
    return Table(header, _columns_of(chunk.rows, len(header)), len(chunk.rows),
                 chunk.lines.__getitem__)


def read_csv(path: str) -> Table:
    """Parse the whole of ``path`` (``-`` = stdin) into one table (small files, tests); the
    ``score`` command streams instead (:func:`score_file`). UserError when not a CSV file."""
    with open_input(path) as f:
        header, line = read_header(f, path)
        rows: list[list[str]] = []
        lines: list[int] = []
        for chunk in iter_chunks(f, path, line):
            rows += chunk.rows
            lines += chunk.lines
    return _table(header, Chunk(rows, lines))


def _column_index(header: Sequence[str], path: str) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise UserError(f"{path}: duplicate column(s) {', '.join(dupes)} in the header")
    return {n: i for i, n in enumerate(names) if n}


def _quote(cell: str) -> str:
    """Minimal CSV quoting (as ``csv.QUOTE_MINIMAL``) of a text cell such as an id."""
    if _NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


class Scored:
    """Result of :func:`score_table`: an output header and rows, written by :meth:`write`."""

    def __init__(self, header: list[str], rows: Iterable[Sequence[str]], plain_text: bool) -> None:
        self.header = header
        self.rows = rows
        self.plain_text = plain_text  # cells need no quoting except the first (id)

    def write(self, out: TextIO) -> None:
        out.write(",".join(self.header) + "\n")          # plain identifiers
        self.write_rows(out)

    def write_rows(self, out: TextIO) -> None:
        if not self.plain_text:
            csv.writer(out, lineterminator="\n").writerows(self.rows)
            return
        lines = map(",".join, self.rows)
        # in chunks: one 30 MB string (and its encoded copy) costs more than it saves
        while chunk := list(islice(lines, 8192)):
            chunk.append("")              # the last line's "\n"
            out.write("\n".join(chunk))


class _Plan:
    """What the header says: column positions, the item columns present, their valid codes."""

    def __init__(self, module: ModuleType, header: Sequence[str], path: str,
                 report: BadCells) -> None:
        index = _column_index(header, path)
        if "id" not in index:
            hint = " (is it separated by ';'? use ',')" if ";" in "".join(header) else ""
            raise UserError(f"{path}: no 'id' column in the header{hint}")
        valid = valid_codes_by_column(module)
        present = [c for c in valid if c.lower() in index]
        if not present:
            raise UserError(f"{path}: no item columns ({module.BATCH_INPUT_COLUMNS[0]} … "
                            f"{module.BATCH_INPUT_COLUMNS[-1]}) in the header")
        absent = [c for c in valid if c.lower() not in index]
        if absent:
            report.note(f"{path}: column(s) {', '.join(absent)} absent: "
                        "scored as not answered in every row")
        self.index, self.valid, self.present = index, valid, present
        self.header = list(module.BATCH_OUTPUT_COLUMNS)


def fast_path(module: ModuleType) -> Callable | None:
    """The scoring module's column-wise fast path, if it names one."""
    name = getattr(module, "BATCH_COLUMNS_MODULE", None)
    return importlib.import_module(name).score_columns if name else None


def score_table(module: ModuleType, table: Table, report: BadCells, path: str = "input",
                plan: _Plan | None = None) -> Scored:
    """Validate and score a parsed CSV, or one chunk of it (bad cells go to ``report``)."""
    plan = plan or _Plan(module, table.header, path, report)
    cols, n, line_of = table.columns, table.n_rows, table.line_of
    index, valid, present = plan.index, plan.valid, plan.present
    ids = cols[index["id"]]
    out_header = plan.header
    fast = fast_path(module)
    if fast is not None:
        quoted = ids if not any(map(_NEEDS_QUOTES.search, ids)) else list(map(_quote, ids))
        try:  # optimistic: clean files need no separate validation pass
            return Scored(out_header, zip(quoted, *fast({c: cols[index[c.lower()]]
                                                         for c in present}, n)), True)
        except KeyError:
            pass  # some cell is not a plain valid code: validate, report, score again
    columns: dict[str, Sequence[str]] = {}
    for c in present:
        j = index[c.lower()]
        cells = cols[j]
        codes = valid[c]
        canonical = {""} | {str(k) for k in codes}
        if canonical.issuperset(cells):
            columns[c] = cells
            continue
        cleaned: list[str] = []
        for r, cell in enumerate(cells):
            if cell in canonical:
                cleaned.append(cell)
                continue
            try:
                code = parse_code(cell, codes)
            except ValueError as exc:
                code = None
                report.add(c, f"row {ids[r]!r} (line {line_of(r)}): {c} {cell!r}: "
                              f"invalid code ({exc})",
                           f"(valid: {_describe(codes)}, or empty), scored as not answered")
            cleaned.append("" if code is None else str(code))
        columns[c] = cleaned
    if fast is not None:
        return Scored(out_header, zip(quoted, *fast(columns, n)), plain_text=True)
    return Scored(out_header, _score_rows(module, ids, columns, n), plain_text=False)


def score_file(module: ModuleType, path: str, out: TextIO, report: BadCells,
               chunk_rows: int | None = None) -> int:
    """Score ``path`` chunk by chunk into ``out`` (flat memory); returns the number of rows."""
    n = 0
    with open_input(path) as f:
        header, line = read_header(f, path)
        plan = _Plan(module, header, path, report)
        for chunk in iter_chunks(f, path, line, chunk_rows):
            if not n:              # the header goes out with the first chunk read cleanly
                out.write(",".join(plan.header) + "\n")
            score_table(module, _table(header, chunk), report, path, plan).write_rows(out)
            n += len(chunk.rows)
        if not n:
            out.write(",".join(plan.header) + "\n")
    return n


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _score_rows(module: ModuleType, ids: Sequence[str], columns: dict[str, Sequence[str]],
                n: int) -> Iterable[list[str]]:
    names = list(module.BATCH_INPUT_COLUMNS)
    outputs = list(module.BATCH_OUTPUT_COLUMNS)[1:]
    blank = ("",) * n
    cols = [columns.get(c, blank) for c in names]
    for r in range(n):
        codes = {c: (int(col[r]) if col[r] else None) for c, col in zip(names, cols)}
        result = module.score_batch_row(codes)
        yield [ids[r], *(_fmt(result.get(k)) for k in outputs)]


def cmd_score(args: argparse.Namespace) -> int:
    """Handler of ``epro score``: exit 0 when the file was scored (bad cells are summarised)."""
    module = scorer_for(args.instrument)
    report = BadCells()
    with open_output(getattr(args, "output", None)) as out:
        score_file(module, args.input, out, report)
    report.flush(sys.stderr)                # a refused file: only its one-line error
    return 0
