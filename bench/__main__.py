"""Run every benchmark module ``bench/bench_*.py`` and write ``bench/results.json``.

Each module has ``run() -> list[dict]`` returning records
``{"name", "value", "unit", "baseline", "baseline_value", "ratio", ...}``; the baseline is
measured in the same run. ``python -m bench NAME...`` runs only the modules named.
"""
from __future__ import annotations

import importlib
import json
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def record(name: str, value: float, unit: str, baseline: str | None = None,
           baseline_value: float | None = None, **extra: object) -> dict:
    ratio = (value / baseline_value) if baseline_value else None
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": baseline,
            "baseline_value": None if baseline_value is None else round(baseline_value, 4),
            "ratio": None if ratio is None else round(ratio, 3), **extra}


def main(argv: list[str]) -> int:
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        modules = [m for m in modules if any(a in m for a in argv)]
    results: list[dict] = []
    if RESULTS.exists() and argv:  # partial run: keep the other cases
        results = [r for r in json.loads(RESULTS.read_text()) if not any(
            r.get("module") == m for m in modules)]
    failed = 0
    for m in modules:
        print(f"== {m}", flush=True)
        try:
            recs = importlib.import_module(f"bench.{m}").run()
        except Exception:  # a failing case must not hide the others
            traceback.print_exc()
            failed += 1
            continue
        results.extend({**r, "module": m} for r in recs)
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
