"""Run every benchmark module ``bench/bench_*.py`` and write ``bench/results.json``.

Each module has ``run() -> list[dict]`` returning records
``{"name", "value", "unit", "baseline", "baseline_value", "ratio", ...}``; the baseline is
measured in the same run (``bench/measure.py``: interleaved, CPU beside wall).
``python -m bench NAME...`` runs only the modules named; ``python -m bench --quick`` (``make
bench-quick``, ≤ 3 min) runs every module at a small size into ``bench/results-quick.json``.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = "--quick" in sys.argv[1:]
if QUICK:                       # before any bench module reads it (bench/measure.py)
    os.environ["EPRO_BENCH_QUICK"] = "1"
RESULTS = HERE / ("results-quick.json" if QUICK else "results.json")


def record(name: str, value: float, unit: str, baseline: str | None = None,
           baseline_value: float | None = None, **extra: object) -> dict:
    ratio = (value / baseline_value) if baseline_value else None
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": baseline,
            "baseline_value": None if baseline_value is None else round(baseline_value, 4),
            "ratio": None if ratio is None else round(ratio, 3), **extra}


def _bench_site_key() -> None:
    """The benchmarks' databases are throw-away: their audit trail is keyed with a key of their
    own (``bench/_work/audit.key``), never the site's."""
    if os.environ.get("EPRO_AUDIT_KEY_FILE"):
        return
    os.environ["EPRO_AUDIT_KEY_FILE"] = str(HERE / "_work" / "audit.key")
    from storage.audit_key import ensure_key
    ensure_key()


def main(argv: list[str]) -> int:
    argv = [a for a in argv if a != "--quick"]
    _bench_site_key()
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        modules = [m for m in modules if any(a in m for a in argv)]
    results: list[dict] = []
    if RESULTS.exists() and argv:  # partial run: keep the other cases
        results = [r for r in json.loads(RESULTS.read_text()) if not any(
            r.get("module") == m for m in modules)]
    failed = 0
    started = time.perf_counter()
    for m in modules:
        print(f"== {m}", flush=True)
        t0 = time.perf_counter()
        try:
            recs = importlib.import_module(f"bench.{m}").run()
        except Exception:  # a failing case must not hide the others
            traceback.print_exc()
            failed += 1
            continue
        took = round(time.perf_counter() - t0, 1)
        print(f"   {m}: {took} s", flush=True)
        results.extend({**r, "module": m, "module_s": took} for r in recs)
    print(f"\nall modules: {time.perf_counter() - started:.0f} s", flush=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    w = max((len(r["name"]) for r in results), default=4)
    print(f"\n{'name':<{w}}  {'value':>12} {'unit':<6} {'baseline_value':>14}  {'ratio':>7}  baseline")
    for r in results:
        bv = "" if r["baseline_value"] is None else f"{r['baseline_value']:.4g}"
        ra = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"{r['name']:<{w}}  {r['value']:>12.4g} {r['unit']:<6} {bv:>14}  {ra:>7}  "
              f"{r['baseline'] or ''}")
    print(f"\nwrote {RESULTS.relative_to(HERE.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
