"""README true by test (issue 18): every example command in README.md runs as written, in README
order, in a FRESH home folder (HOME, XDG_DATA_HOME, XDG_CONFIG_HOME in tmp; no EPRO_* variable
from this run), through a subprocess of ``main.py``; password prompts are answered on a
pseudo-terminal, as a person types them. The input files an example names (answers.csv, labs.csv,
log.csv, my_trial.json, sealed.csv, subjects.csv …) are made here; accounts the examples log in
with that no command creates (staff accounts are made in the workstation) are made through
``storage.services`` by a script in the same fresh environment. A README example without a check
below, or a check whose example left the README, fails the first test.
"""
from __future__ import annotations

import csv
import fcntl
import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
import termios
from datetime import date, timedelta
from pathlib import Path

import pytest

from storage.db import default_database_url

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# examples not run here, each with the reason
SKIPPED = {
    "make run": "opens the GUI (needs a desktop session)",
    "make test": "runs this suite",
    "python main.py --demo": "starts the desktop app",
    "python main.py --kiosk": "starts the kiosk GUI",
}
PW = {"alice": "correct-horse-battery-1", "admin": "harbour-lantern-2026", "nurse": "ward-demo-1",
      "investigator": "trial-demo-1"}
# example -> (passwords typed at its prompts, expected exit status)
CHECKS: dict[str, tuple[tuple[str, ...], int]] = {
    "python main.py instruments list --json": ((), 0),
    "python main.py score --instrument rand36 answers.csv -o scores.csv": ((), 0),
    "python main.py calc labs.csv -o liver.csv": ((), 0),
    "python main.py study validate resources/studies/nct01342250.json": ((), 0),
    "python main.py screen log.csv -o eligibility.csv": ((), 0),
    "python main.py init --protocol my_trial.json --admin admin": ((PW["admin"],) * 2, 0),
    "python main.py study show --json": ((), 0),
    "python main.py study load nct01342250-v1.1.json --user admin": ((PW["admin"],), 0),
    "python main.py allocation import sealed.csv --user admin": ((PW["admin"],), 0),
    "python main.py audit verify --expect-head 1234:9f86…": ((), 0),
    "python main.py backup /media/usb/epro-2025-03-01.db --user admin": ((PW["admin"],), 0),
    "python main.py restore /media/usb/epro-2025-03-01.db --user admin": ((PW["admin"],), 0),
    "python main.py --demo demo-data --patients 20 --seed 1": ((), 0),
    "python main.py --demo summary --subject DEMO-0001 --visit W12 -o W12.pdf --user nurse":
        ((PW["nurse"],), 0),
    "python main.py summary --date 2026-11-25 -o summaries/ --user nurse": ((PW["nurse"],), 0),
    "python main.py --demo report -o outcomes.pdf --csv outcomes/ --user investigator":
        ((PW["investigator"],), 0),
    "python main.py export --format odm -o study.xml --user investigator":
        ((PW["investigator"],), 0),
    "python main.py instruments install rand36.zh_CN.validated.json --user admin":
        ((PW["admin"],), 0),
    "python main.py import-patients subjects.csv --user nurse": ((PW["nurse"],), 0),
}


def readme_examples(text: str) -> list[str]:
    """The `example` column of the commands table (several joined by ` · `) and ```sh lines."""
    out: list[str] = []
    in_sh = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_sh = line.strip() == "```sh"
            continue
        if in_sh:
            cmd = line.split("#", 1)[0].strip()
            if cmd:
                out.append(cmd)
        elif line.startswith("| ") and line.count("|") >= 4:
            cell = line.rstrip().rstrip("|").rsplit("|", 1)[-1]
            out += [c for c in re.findall(r"`([^`]+)`", cell) if c.startswith("python main.py")]
    return out


def test_every_readme_example_has_a_check_or_a_reason():
    examples = readme_examples(README.read_text(encoding="utf-8"))
    assert len(examples) == len(set(examples))
    assert set(examples) == set(SKIPPED) | set(CHECKS), (
        f"not checked: {sorted(set(examples) - set(SKIPPED) - set(CHECKS))}; "
        f"no longer in the README: {sorted((set(SKIPPED) | set(CHECKS)) - set(examples))}")


# ---- the fresh machine -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h = tmp_path_factory.mktemp("fresh-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EPRO_")}
    env.update(HOME=str(h), XDG_DATA_HOME=str(h / "data"), XDG_CONFIG_HOME=str(h / "config"),
               XDG_CACHE_HOME=str(h / "cache"), QT_QPA_PLATFORM="offscreen")
    work = h / "work"
    work.mkdir()
    _input_files(work)
    return {"dir": h, "work": work, "env": env, "heads": {}}


def _input_files(work: Path) -> None:
    protocol = json.loads((ROOT / "resources/studies/nct01342250.json").read_text("utf-8"))
    (work / "resources/studies").mkdir(parents=True)
    (work / "resources/studies/nct01342250.json").write_text(json.dumps(protocol), "utf-8")
    protocol["allocation"] = {"method": "list"}           # my own trial: a sealed list
    (work / "my_trial.json").write_text(json.dumps(protocol), "utf-8")
    protocol["version"] = "1.1"
    (work / "nct01342250-v1.1.json").write_text(json.dumps(protocol), "utf-8")
    arms = [a["id"] for a in protocol["arms"]]
    (work / "sealed.csv").write_text(
        "seq,arm\n" + "".join(f"{i},{arms[i % len(arms)]}\n" for i in range(1, 31)), "utf-8")
    (work / "answers.csv").write_text(
        "id," + ",".join(f"q{i}" for i in range(1, 37)) + "\nP1," + ",".join(["1"] * 36) + "\n",
        "utf-8")
    (work / "labs.csv").write_text(
        "id,bilirubin,albumin,albumin_unit,inr,creatinine,sodium,ascites,encephalopathy\n"
        "P1,2.5,30,g/L,1.5,1.0,135,slight,none\n", "utf-8")
    today = date.today()
    excl = [c["id"] for c in protocol["eligibility"]["exclusion"]]
    screening = {"screening_date": today - timedelta(days=2),
                 "birth_date": date(today.year - 55, 6, 1),
                 "consent_date": today - timedelta(days=3), "decompensated": "yes",
                 "life_expectancy_over_2_months": "yes", "hbv": "yes", "antiviral": "yes"}
    with open(work / "log.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", *screening, "child_pugh", "meld", *excl])
        w.writerow(["S1", *screening.values(), 9, 14, *["no"] * len(excl)])
    subject = {"subject_id": "SH01-001", "initials": "ZW", "sex": "F", "day1_date": today,
               **screening, "ascites": "slight", "encephalopathy": "none",
               "decompensation_kinds": "ascites", "bilirubin": "2.5", "albumin": "30",
               "albumin_unit": "g/L", "inr": "1.5", "creatinine": "1.0", "sodium": "135",
               **{e: "no" for e in excl}}
    with open(work / "subjects.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(subject)
        w.writerow(subject.values())
    zh = json.loads((ROOT / "resources/instruments/rand36.zh_CN.json").read_text("utf-8"))
    zh.update(text_version="zh_CN-site-validated-1", status="validated", validated=True)
    (work / "rand36.zh_CN.validated.json").write_text(json.dumps(zh, ensure_ascii=False), "utf-8")


def run(home: dict, argv: list[str], passwords: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """``python main.py ARGV`` with a controlling pseudo-terminal that types ``passwords`` at the
    prompts (getpass reads /dev/tty) as they appear."""
    master, slave = pty.openpty()

    def ctty() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *argv], cwd=home["work"],
                            env=home["env"], stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=ctty, pass_fds=(slave,))
    os.close(slave)
    typed, seen = list(passwords), b""
    try:
        while typed and proc.poll() is None:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(master, 1024)
                except OSError:
                    break
                if seen.rstrip().endswith(b":"):
                    os.write(master, typed.pop(0).encode() + b"\n")
                    seen = b""
        out, err = proc.communicate(timeout=300)
    finally:
        os.close(master)
    return proc.returncode, out.decode(), err.decode()


def _create_staff(home: dict) -> None:
    """nurse and investigator in the study database (staff accounts come from the workstation's
    administrator screen; there is no command for them)."""
    script = (
        "import sys; from storage.services import open_database, create_user, authenticate\n"
        "db = open_database(create=False)\n"
        "admin = authenticate(db, 'admin', sys.argv[1])\n"
        "for name, role, pw in (('nurse', 'nurse', sys.argv[2]),"
        " ('investigator', 'investigator', sys.argv[3])):\n"
        "    create_user(db, admin, username=name, full_name=name.title(), role=role,"
        " password=pw)\n")
    r = subprocess.run([sys.executable, "-c", script, PW["admin"], PW["nurse"], PW["investigator"]],
                       cwd=ROOT, env=home["env"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def _argv(home: dict, example: str) -> list[str]:
    argv = shlex.split(example)[2:]                        # drop "python main.py"
    usb = home["dir"] / "usb"
    usb.mkdir(exist_ok=True)
    argv = [a.replace("/media/usb/", f"{usb}/") for a in argv]
    if "--expect-head" in argv:                            # the README shows a placeholder head
        argv[argv.index("--expect-head") + 1] = home["heads"]["verify"]
    return argv


@pytest.mark.parametrize("example", list(CHECKS))
def test_readme_example_runs_on_a_fresh_machine(home, example):
    passwords, status = CHECKS[example]
    if example.startswith("python main.py audit verify"):
        rc, out, err = run(home, ["audit", "verify"])
        assert rc == 0, err
        home["heads"]["verify"] = re.search(r"\b(\d+:[0-9a-f]{64})\b", out + err).group(1)
    if example.startswith("python main.py summary --date"):   # first login of a nurse there
        _create_staff(home)
    rc, out, err = run(home, _argv(home, example), passwords)
    assert rc == status, f"{example}\nstdout: {out[-800:]}\nstderr: {err[-1500:]}"
    work = home["work"]
    outputs = {"score": "scores.csv", "calc": "liver.csv", "screen": "eligibility.csv",
               "export": "study.xml", "--demo summary": "W12.pdf",
               "--demo report": "outcomes.pdf"}
    for key, name in outputs.items():
        if example.startswith(f"python main.py {key}"):
            assert (work / name).stat().st_size > 0, name


# ---- what the README must document -------------------------------------------------------------

def _configuration_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Configuration")
    return text[start:text.index("\n## ", start + 5)]


def test_every_environment_variable_the_code_reads_is_in_the_configuration_table():
    read: set[str] = set()
    for folder in ("forms", "storage", "reports", "ui", "resources"):
        for path in (ROOT / folder).rglob("*.py"):
            read |= set(re.findall(r"[\"'](EPRO_[A-Z0-9_]+)[\"']", path.read_text("utf-8")))
    read |= set(re.findall(r"[\"'](EPRO_[A-Z0-9_]+)[\"']", (ROOT / "main.py").read_text("utf-8")))
    assert {"EPRO_DATABASE_URL", "EPRO_LANG", "EPRO_AUDIT_KEY_FILE"} <= read   # the scan works
    section = _configuration_section()
    assert sorted(v for v in read if f"`{v}" not in section) == []


def test_the_default_data_folder_is_the_documented_one(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert "`$XDG_DATA_HOME/epro-desk/`" in _configuration_section()
    if sys.platform.startswith("linux"):
        assert default_database_url() == f"sqlite:///{tmp_path}/epro-desk/epro.db"
        assert default_database_url(demo=True) == f"sqlite:///{tmp_path}/epro-desk/epro-demo.db"


def test_the_csc_columns_of_score_are_the_documented_ones(home):
    documented = re.search(r"for `csc`: `([^`]+)`", README.read_text(encoding="utf-8")).group(1)
    (home["work"] / "csc.csv").write_text("id,C1\nP1,1\n", "utf-8")
    rc, out, err = run(home, ["score", "--instrument", "csc", "csc.csv"])
    assert rc == 0, err
    assert out.splitlines()[0].split(",") == [c.strip() for c in documented.split(",")]
