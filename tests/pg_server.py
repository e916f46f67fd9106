"""A throw-away PostgreSQL server for the tests (initdb into a temp dir, free loopback port).

Found binaries: PATH or /usr/lib/postgresql/*/bin. As root, initdb/pg_ctl run as the
``postgres`` OS user (initdb refuses root). Without binaries the tests skip, except with
CI=true where a missing server is a failure.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest


def find_pg_bin() -> Path | None:
    for name in ("initdb",):
        found = shutil.which(name)
        if found and shutil.which("pg_ctl"):
            return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> list[str]:
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise RuntimeError("running as root but runuser is missing")
        return ["runuser", "-u", "postgres", "--"]
    return []


def missing_server(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a fresh server's ``postgres`` database (superuser ``epro``, trust auth)."""
    bindir = find_pg_bin()
    if bindir is None:
        missing_server("PostgreSQL server binaries (initdb, pg_ctl) not found")
    prefix = _as_server_user()
    base = Path(tempfile.mkdtemp(prefix="epro-pg-", dir="/tmp"))
    if prefix:
        shutil.chown(base, user="postgres", group="postgres")
    data, log = base / "data", base / "server.log"
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C"}
    try:
        subprocess.run(prefix + [str(bindir / "initdb"), "-D", str(data), "-U", "epro",
                                 "--auth=trust", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True, env=env, timeout=120)
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                                 "-t", "60", "-o",
                                 f"-p {port} -c listen_addresses=127.0.0.1 "
                                 f"-c unix_socket_directories={base} -c fsync=off "
                                 "-c max_connections=100", "start"],
                       check=True, capture_output=True, env=env, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        out = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {out.decode(errors='replace')[-500:]}")
    try:
        yield f"postgresql+psycopg://epro@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "-w", "stop"], capture_output=True, env=env, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
