"""Forked child processes writing answers through the services (kill -9 and concurrency tests).

The parent disposes its engines before forking; each child opens its own engine, as separate
kiosk processes would; each job is an administration and the patient actor handed the kiosk for
it (``storage_fixtures.at_kiosk``). Lines on the pipe: ``T adm item code`` before a call, ``A …`` after it
returned (acknowledged = committed), ``E message`` on an unexpected error.
"""
from __future__ import annotations

import os
import random
import signal
import traceback

from storage import services as sv
from storage.actors import Actor
from storage.db import open_database


def child_write_answers(url: str, jobs: list[tuple[int, Actor]], items: list[tuple[str, tuple]],
                        wfd: int, seed: int, count: int | None) -> None:
    """Runs in the child: record random answers until killed (or ``count`` done), then _exit."""
    code = 0
    try:
        db = open_database(url, migrate=False)
        os.write(wfd, b"R\n")                       # ready: kills now land inside writes
        rng = random.Random(seed)
        n = 0
        while count is None or n < count:
            adm, patient = rng.choice(jobs)
            item, codes = rng.choice(items)
            value = rng.choice(codes)
            os.write(wfd, f"T {adm} {item} {value}\n".encode())
            sv.record_answer(db, patient, adm, item, value)
            os.write(wfd, f"A {adm} {item} {value}\n".encode())
            n += 1
        db.dispose()
    except BaseException as exc:  # noqa: BLE001
        msg = "".join(traceback.format_exception_only(type(exc), exc)).strip().replace("\n", " ")
        os.write(wfd, f"E {msg}\n".encode())
        code = 1
    finally:
        os._exit(code)


def fork_writer(url: str, jobs, items, seed: int, count: int | None = None):  # noqa: ANN001, ANN201
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        child_write_answers(url, jobs, items, wfd, seed, count)
    os.close(wfd)
    return pid, rfd


def wait_ready(rfd: int) -> None:
    got = b""
    while len(got) < 2:
        block = os.read(rfd, 2 - len(got))
        if not block:
            return                                    # child died before ready: read_all shows E
        got += block
    assert got == b"R\n", got


def read_lines(rfd: int, done) -> list[str]:  # noqa: ANN001
    """The child's lines, read a byte at a time (nothing beyond the last line is consumed)
    until ``done(lines)`` or the child ended."""
    lines: list[str] = []
    line = b""
    while not done(lines):
        byte = os.read(rfd, 1)
        if not byte:
            break
        if byte == b"\n":
            lines.append(line.decode())
            line = b""
        else:
            line += byte
    return lines


def wait_acks(rfd: int, n: int) -> list[str]:
    """Read the child's lines until ``n`` acknowledged writes (``A …``) arrived, or it ended:
    a kill after them lands after real writes however slow the machine is."""
    return read_lines(rfd, lambda lines: sum(x.startswith("A ") for x in lines) >= n)


def read_all(rfd: int) -> list[str]:
    chunks = []
    while True:
        block = os.read(rfd, 65536)
        if not block:
            break
        chunks.append(block)
    os.close(rfd)
    return [x for x in b"".join(chunks).decode().splitlines() if x != "R"]


def kill_at(pid: int, rfd: int, lines: int) -> list[str]:
    """Read ``lines`` more lines of the child, then SIGKILL it at once: after a ``T`` the kill
    lands in that write (before or during its commit), after an ``A`` between two writes --
    placed by the child's progress, not by a clock, whatever the machine's load."""
    got = read_lines(rfd, lambda seen: len(seen) >= lines)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return got