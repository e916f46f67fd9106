"""``main.py summary`` (the visit summary from the command line) on the demo database of
``test_summary_loader`` (split from it: that file passed 400 lines)."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pdf_text import one
from pypdf import PdfReader
from test_summary_loader import (ROOT, SCALE_LABELS, after, db, db_path,  # noqa: F401 (fixtures)
                                 pdf_lines, stored)

from reports.summary_loader import load_visits_on
from storage import services as sv


# ------------------------------------------------------------------ CLI
def run_cli(*args: str, login: bool = True) -> subprocess.CompletedProcess:
    """``main.py`` ARGS, logged in as the demo nurse (``summary`` needs a staff account)."""
    if login:
        pw = Path(tempfile.mkdtemp()) / "pw"
        pw.write_text("ward-demo-1\n", encoding="utf-8")
        args = (*args, "--user", "nurse", "--password-file", str(pw))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_cli_single_visit(db_path, tmp_path, db):
    out = tmp_path / "one.pdf"
    r = run_cli("--database", f"sqlite:///{db_path}", "summary", "--subject", "DEMO-0001",
                "--visit", "W12", "-o", str(out))
    assert r.returncode == 0, r.stderr
    lines = pdf_lines(out.read_bytes())
    now_r = stored(db, "DEMO-0001", "W12", "rand36-1.0")
    assert after(lines, SCALE_LABELS["PF"], 1) == [one(now_r["rand_pf"])]
    # to a folder: the default name is subject + visit, never the name
    r = run_cli("--database", f"sqlite:///{db_path}", "--lang", "zh_CN", "summary", "--subject",
                "DEMO-0001", "--visit", "W12", "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "DEMO-0001_W12.pdf").is_file()


def test_cli_day_batch(db_path, tmp_path, db):
    w12 = next(v for v in sv.patient_visits(db, sv.find_patient(db, "DEMO-0001").id)
               if v.code == "W12")
    expected = load_visits_on(db, w12.actual_date)
    r = run_cli("--database", f"sqlite:///{db_path}", "summary", "--date",
                w12.actual_date.isoformat(), "-o", str(tmp_path / "day"))
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in (tmp_path / "day").iterdir())
    assert files == sorted(f"{s}_{c}.pdf" for s, c in expected)
    for f in (tmp_path / "day").iterdir():
        assert 1 <= len(PdfReader(f).pages) <= 3


@pytest.mark.parametrize("args, message", [
    (("--subject", "NOPE-9", "--visit", "W12", "-o", "x.pdf"), "No subject 'NOPE-9'"),
    (("--subject", "DEMO-0001", "--visit", "W99", "-o", "x.pdf"), "no visit 'W99'"),
    (("--date", "2026-13-45", "-o", "d"), "--date must be a date"),
    (("--subject", "DEMO-0001"), "--subject needs --visit"),
    ((), "Give either"),
])
def test_cli_bad_input_exits_2_with_one_line(db_path, tmp_path, args, message):
    out = str(tmp_path / "x.pdf")
    r = run_cli("--database", f"sqlite:///{db_path}", "summary",
                *(out if a == "x.pdf" else str(tmp_path / a) if a == "d" else a for a in args))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.pdf").exists()
