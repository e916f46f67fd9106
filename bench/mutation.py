"""``make mutation``: mutation testing (mutmut 3) of the modules whose rules must be pinned by their
own tests (issue 18): ``forms/``, the audit verifier, authentication and the CSV safety module.

Each target is mutated against ITS OWN test files only (TARGETS below; a ``forms/`` module
without an entry uses ``tests/test_<stem>*.py``), in a throw-away copy of the working tree (the
checkout is never changed; other people may be running tests in it). Results go to
``bench/mutation.json``: per file the mutants killed, survived, without a covering test, timed
out, and the names of the survivors (``mutmut show NAME`` in the copy prints a diff). Each
survivor must be killed by a new test or listed in ``EXPLAINED``
(``bench/mutation_explained.py``) with the reason it is equivalent.

    .venv/bin/python -m bench.mutation                       # every target (long: ~1 h)
    .venv/bin/python -m bench.mutation reports/export/csvsafe.py forms/calculators.py
    .venv/bin/python -m bench.mutation --keep --max-children 2 forms/liver.py

``--max-children N`` runs N mutants at once (default: the CPUs this process may use).
``--keep`` leaves the copy in ``bench/_work/<module>/`` (git-ignored) to inspect survivors:
``cd bench/_work/forms_liver && ../../../.venv/bin/mutmut show NAME``; after adding tests,
``--survivors`` re-checks only that copy's survivors against the current tests.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.mutation_explained import EXPLAINED   # survivor name -> why it is equivalent

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "mutation.json"
KEEP = ROOT / "bench" / "_work"
GUARDS = ["tests/test_mutation_guards.py"]
# PostgreSQL twins of the SQLite tests would start a throwaway server in every mutant's run
PYTEST_ARGS = ["-p", "no:cacheprovider", "-x", "-q", "-m", "not postgres", "-k", "not postgresql"]
TARGETS: dict[str, list[str]] = {
    "reports/export/csvsafe.py": ["tests/test_export_csvsafe.py", *GUARDS],
    "forms/calculators.py": ["tests/test_calculators.py", "tests/test_calculators_boundaries.py",
                             "tests/test_calculators_age.py", "tests/test_calculators_inputs.py",
                             *GUARDS],
    "forms/labs.py": ["tests/test_labs.py", "tests/test_calculators.py",
                      "tests/test_calculators_inputs.py"],
    "forms/alerts.py": ["tests/test_alerts.py", "tests/test_alert_findings.py"],
    "forms/schedule.py": ["tests/test_schedule.py", "tests/test_schedule_rules.py",
                          "tests/test_visit_label.py"],
    "storage/audit_verify.py": ["tests/test_storage_audit_v2.py", "tests/test_storage_audit.py",
                                "tests/test_storage_audit_anchor.py",
                                "tests/test_storage_audit_verify_rules.py", *GUARDS],
    "storage/services/auth.py": ["tests/test_storage_accounts.py",
                                 "tests/test_storage_auth_sessions.py",
                                 "tests/test_storage_kiosk_pin.py",
                                 "tests/test_storage_auth_rules.py",
                                 "tests/test_storage_auth_change_password.py", *GUARDS],
    "forms/protocol_check.py": ["tests/test_protocol_check.py", "tests/test_protocol_validation.py",
                                "tests/test_protocol_file.py"],
    "forms/registry.py": ["tests/test_registry.py", "tests/test_instruments_contract.py",
                          "tests/test_item_short_labels.py", "tests/test_instrument_ids.py"],
    # not the storage/kiosk tests of test_instrument*.py (they load instruments but test screens)
    "forms/instrument.py": ["tests/test_instrument_parse.py", "tests/test_instruments_contract.py",
                            "tests/test_item_short_labels.py", "tests/test_registry.py"],
    "forms/translation.py": ["tests/test_translation_check.py", "tests/test_rand36_chinese.py"],
    # small catalogues written per test (the shipped catalogue's scan takes ~8 s per run)
    "forms/messages.py": ["tests/test_messages_translate.py"],
    "forms/instruments_cli.py": ["tests/test_study_commands.py",
                                 "tests/test_instruments_contract.py"],
    "forms/cli.py": ["tests/test_cli_forms_commands.py"],   # argparse only (not the login tests)
    # not the 200 000-row memory measurements of test_batch_streaming.py (subprocesses)
    "forms/batch.py": ["tests/test_batch_score.py", "tests/test_batch_score_cli.py"],
    "forms/screen_batch.py": ["tests/test_screen_batch.py", "tests/test_screening_cli.py"],
}
# mutmut 3 exit codes of a mutant's test run
STATUS = {0: "survived", 1: "killed", 3: "killed", 33: "no_tests", 34: "skipped",
          35: "suspicious", 36: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          -24: "timeout", 37: "caught_by_type_check"}


def default_targets() -> dict[str, list[str]]:
    targets = dict(TARGETS)
    for path in sorted((ROOT / "forms").glob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in targets or path.name == "__init__.py":
            continue
        tests = sorted(str(t.relative_to(ROOT)) for t in (ROOT / "tests").glob(f"test_{path.stem}*.py"))
        if tests:
            targets[rel] = tests
    return targets


def _copy_tree(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name.decode())


def _config(source: str, tests: list[str]) -> str:
    quoted = lambda xs: "[" + ", ".join(json.dumps(x) for x in xs) + "]"  # noqa: E731
    also = ["tests", "resources", "forms", "storage", "reports", "ui", "main.py", "bench"]
    return ("\n[tool.mutmut]\n"
            f"source_paths = {quoted([source])}\n"
            f"pytest_add_cli_args_test_selection = {quoted(tests)}\n"
            f"pytest_add_cli_args = {quoted(PYTEST_ARGS)}\n"
            f"also_copy = {quoted(also)}\n")


def _work_dir(source: str, keep: bool):  # noqa: ANN202
    if not keep:
        return tempfile.TemporaryDirectory(prefix="epro-mutation-")
    work = KEEP / source.removesuffix(".py").replace("/", "_")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return contextlib.nullcontext(str(work))


def _mutmut(work: Path, children: int, names: list[str] = ()) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    mutmut = Path(sys.executable).with_name("mutmut")
    return subprocess.run([str(mutmut), "run", "--max-children", str(children), *names],
                          cwd=work, env=env, capture_output=True, text=True)


def _codes(work: Path, source: str) -> dict[str, int | None] | None:
    meta_path = work / "mutants" / (source + ".meta")
    if not meta_path.exists():
        return None
    return json.loads(meta_path.read_text(encoding="utf-8"))["exit_code_by_key"]


def _result(tests: list[str], codes: dict[str, int | None], seconds: float) -> dict:
    counts = Counter(STATUS.get(c, f"exit_{c}") if c is not None else "not_run"
                     for c in codes.values())
    survivors = sorted(k for k, c in codes.items() if c == 0)
    checked = counts["killed"] + counts["survived"] + counts["timeout"]
    return {"tests": tests, "mutants": len(codes), **dict(sorted(counts.items())),
            "score": (round((counts["killed"] + counts["timeout"]) / checked, 3) if checked
                      else None),
            "survivors": [{"name": s, "reason": EXPLAINED.get(s, "UNEXPLAINED")}
                          for s in survivors],
            "seconds": round(seconds, 1)}


def run_target(source: str, tests: list[str], *, children: int, keep: bool = False) -> dict:
    with _work_dir(source, keep) as tmp:
        work = Path(tmp)
        _copy_tree(work)
        (work / "pyproject.toml").write_text(
            (work / "pyproject.toml").read_text(encoding="utf-8") + _config(source, tests),
            encoding="utf-8")
        t0 = time.monotonic()
        proc = _mutmut(work, children)
        codes = _codes(work, source)
        if codes is None:
            return {"tests": tests, "error": (proc.stdout + proc.stderr)[-2000:]}
    return _result(tests, codes, time.monotonic() - t0)


def rerun_survivors(source: str, tests: list[str], *, children: int) -> dict:
    """Re-check only the survivors of a ``--keep`` run against the checkout's CURRENT tests (after
    adding tests for them): the copy's tests are refreshed, the killed mutants stay killed (the
    code is unchanged; a changed module needs a full run)."""
    work = KEEP / source.removesuffix(".py").replace("/", "_")
    codes = _codes(work, source)
    if codes is None:
        return {"tests": tests, "error": f"no kept run in {work}: run with --keep first"}
    if (ROOT / source).read_bytes() != (work / source).read_bytes():
        return {"tests": tests, "error": f"{source} changed since the kept run: run it again"}
    for dest in (work / "tests", work / "mutants" / "tests"):
        shutil.copytree(ROOT / "tests", dest, dirs_exist_ok=True)
    t0 = time.monotonic()
    survivors = sorted(k for k, c in codes.items() if c == 0)
    proc = _mutmut(work, children, survivors) if survivors else None
    codes = _codes(work, source)
    if codes is None:
        return {"tests": tests, "error": (proc.stdout + proc.stderr)[-2000:]}
    return _result(tests, codes, time.monotonic() - t0)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _save(source: str, result: dict) -> dict:
    """Merge one module's result into ``bench/mutation.json`` under a lock: two engineers may
    mutate different modules at once, and neither may drop the other's results."""
    with open(OUT.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        results = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        results[source] = result
        tmp = OUT.with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, OUT)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mutation")
    parser.add_argument("modules", nargs="*", help="targets to mutate (default: all)")
    parser.add_argument("--max-children", type=int, default=_cpus())
    parser.add_argument("--keep", action="store_true", help="keep the copy in bench/_work/")
    parser.add_argument("--survivors", action="store_true",
                        help="re-check only the survivors of the last --keep run")
    args = parser.parse_args(argv)
    targets = default_targets()
    chosen = {t: targets[t] for t in args.modules} if args.modules else targets
    results = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    for source, tests in chosen.items():
        print(f"mutating {source} against {', '.join(tests)} …", flush=True)
        results[source] = (rerun_survivors(source, tests, children=args.max_children)
                           if args.survivors else
                           run_target(source, tests, children=args.max_children, keep=args.keep))
        r = results[source]
        results = _save(source, r)
        print(f"  {r.get('killed', 0)} killed, {r.get('survived', 0)} survived, "
              f"{r.get('no_tests', 0)} without a covering test, score {r.get('score')}"
              if "error" not in r else f"  error: {r['error'][-300:]}", flush=True)
    unexplained = sum(s["reason"] == "UNEXPLAINED" for r in results.values()
                      for s in r.get("survivors", []))
    print(f"{unexplained} unexplained survivor(s); details in {OUT.relative_to(ROOT)}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
