"""Streaming CSV for the batch commands (``score``, ``calc``): input read in chunks of
``CHUNK_ROWS`` rows, so memory stays flat whatever the file size (issue 13 item 7, issue 16),
output written atomically, and bad cells summarised per column (a count and the first
``EXAMPLES`` examples) instead of one line per cell.

Chunks: lines without quote characters are split directly (several times faster than the csv
module for such files); from the first chunk that holds a quote (or a bare CR) on, the rest of
the file goes through ``csv.reader`` in strict mode (a quoted field may span lines).
"""
from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import Iterator, TextIO

from forms.errors import UserError

CHUNK_ROWS = 4096
EXAMPLES = 5


@contextmanager
def open_input(path: str) -> Iterator[TextIO]:
    """``path`` (``-`` = stdin) as UTF-8 text (BOM accepted), newlines kept for ``csv``."""
    if path == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
        try:
            yield stream
        finally:
            stream.detach()
        return
    try:
        f = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with f:
        yield f


@contextmanager
def open_output(output: str | None) -> Iterator[TextIO]:
    """stdout (UTF-8), or a temporary file renamed onto ``output`` only when the block ends
    without an error (a failure never leaves half a file)."""
    if output in (None, "-"):
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:                        # a replaced stdout (tests): already text
            yield sys.stdout
            return
        sys.stdout.flush()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    target = Path(output)
    if not target.parent.is_dir():
        raise UserError(f"{output}: folder {target.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())               # on disk before it takes the target's name
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise UserError(f"{output}: cannot write ({exc.strerror or exc})") from None
        raise


class Chunk:
    """Up to ``CHUNK_ROWS`` data rows (lists of cells) and their line numbers in the file."""

    __slots__ = ("rows", "lines")

    def __init__(self, rows: list[list[str]], lines: list[int]) -> None:
        self.rows = rows
        self.lines = lines


def bad_byte_line(path: str) -> int | None:
    """The line (from 1) of the file's first byte that is not UTF-8. Text is decoded in blocks,
    so the line a reader had reached when decoding failed is not where the byte is: this is a
    second, binary pass, made only after a decode error. None for standard input (``-``), an
    unreadable file or a file without a bad byte."""
    if path == "-":
        return None
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                try:
                    raw.decode("utf-8")      # a UTF-8 sequence never holds a newline byte
                except UnicodeDecodeError:
                    return number
    except OSError:
        return None
    return None


def bad_text(path: str, line: int, exc: Exception) -> UserError:
    """The message for a file that failed to read: ``line`` is the line the csv module stopped
    at (for a bad byte: the last line read before the bad block, said only when the file
    cannot be read again to find the byte's own line)."""
    if isinstance(exc, UnicodeDecodeError):
        where = bad_byte_line(path)
        if where is not None:
            return UserError(f"{path}: not UTF-8 text (a bad byte on line {where}); save the "
                             "file as CSV UTF-8")
        return UserError(f"{path}: not UTF-8 text (a bad byte after line {line}); save the "
                         "file as CSV UTF-8")
    return UserError(f"{path}: not a valid CSV file (line {line}: {exc})")


def read_header(f: TextIO, path: str) -> tuple[list[str], int]:
    """The first non-blank row and its line number (UserError for an empty or binary file)."""
    line_no = 0
    try:
        for line in f:
            line_no += 1
            if "\x00" in line:
                raise UserError(f"{path}: not a CSV text file (binary content)")
            if not line.replace(",", "").strip():
                continue
            if '"' in line or "\r" in line.rstrip("\r\n"):
                reader = csv.reader(chain([line], f), strict=True)
                header = next(reader)
                return header, line_no + reader.line_num - 1
            return line.rstrip("\r\n").split(","), line_no
    except (UnicodeDecodeError, csv.Error) as exc:
        raise bad_text(path, line_no, exc) from None
    raise UserError(f"{path}: empty file (a header row with an 'id' column is required)")


def iter_chunks(f: TextIO, path: str, first_line: int,
                chunk_rows: int | None = None) -> Iterator[Chunk]:
    """The data rows after the header (line ``first_line``) in chunks; blank lines skipped."""
    size = chunk_rows or CHUNK_ROWS
    line_no = first_line                 # last line read so far
    reader = None
    try:
        while reader is None:
            lines = list(islice(f, size))
            if not lines:
                return
            text = "".join(lines)
            if "\x00" in text:
                raise UserError(f"{path}: not a CSV text file (binary content)")
            if '"' in text or "\r" in text.replace("\r\n", ""):
                reader = csv.reader(chain(lines, f), strict=True)
                break
            rows, numbers = [], []
            limit = csv.field_size_limit()           # the csv module's limit, on both paths
            for i, line in enumerate(text.replace("\r\n", "\n").split("\n")[:len(lines)]):
                if line:
                    cells = line.split(",")
                    if len(line) > limit and max(map(len, cells)) > limit:
                        line_no += i + 1
                        raise csv.Error(f"field larger than field limit ({limit})")
                    rows.append(cells)
                    numbers.append(line_no + 1 + i)
            line_no += len(lines)
            if rows:
                yield Chunk(rows, numbers)
        base = line_no
        while True:
            rows, numbers = [], []
            for row in islice(reader, size):
                if row:
                    rows.append(row)
                    numbers.append(base + reader.line_num)
            if not rows:
                return
            yield Chunk(rows, numbers)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise bad_text(path, line_no + (reader.line_num if reader else 0), exc) from None


class BadCells:
    """Problems found in cells, summarised per column: how many, and the first examples."""

    def __init__(self, examples: int | None = None) -> None:
        self.examples = EXAMPLES if examples is None else examples
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        self.first: dict[str, list[str]] = {}
        self.what: dict[str, str] = {}

    def note(self, message: str) -> None:
        """A message about the file as a whole (printed once)."""
        if message not in self.notes:
            self.notes.append(message)

    def add(self, column: str, example: str, what: str = "") -> None:
        """One bad cell of ``column``; ``what`` says what happens to such cells."""
        n = self.counts.get(column, 0)
        self.counts[column] = n + 1
        if n < self.examples:
            self.first.setdefault(column, []).append(example)
        if what:
            self.what.setdefault(column, what)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def lines(self) -> list[str]:
        out = list(self.notes)
        for column, n in self.counts.items():
            what = f" {self.what[column]}" if column in self.what else ""
            out.append(f"{column}: {n} invalid value{'s' if n != 1 else ''}{what}")
            out.extend(f"  {e}" for e in self.first.get(column, ()))
            if n > len(self.first.get(column, ())):
                out.append(f"  … and {n - len(self.first.get(column, ()))} more in {column}")
        return out

    def flush(self, stream: TextIO) -> None:
        for line in self.lines():
            print(f"epro: {line}", file=stream)


__all__ = ["CHUNK_ROWS", "EXAMPLES", "BadCells", "Chunk", "iter_chunks", "open_input",
           "open_output", "read_header"]
