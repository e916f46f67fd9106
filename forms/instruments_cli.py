"""``epro instruments list [--json]``: what the instrument registry holds."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from forms.instrument import BASE_LANGUAGE
from forms.registry import registry


def describe() -> list[dict[str, Any]]:
    """One row per registered instrument: id, version, item count, languages, scores."""
    return [{"id": e.id, "version": e.version, "items": e.n_items,
             "languages": list(e.languages), "title": e.title.get(BASE_LANGUAGE, e.id),
             "algorithms": [{"id": a.id, "version": a.version} for a in e.algorithms],
             "scores": [{"key": s.key, "name": s.name, "algorithm": s.algorithm,
                         "label": dict(s.labels) or {BASE_LANGUAGE: s.label}, "type": s.type,
                         "min": s.minimum, "max": s.maximum, "unit": s.unit,
                         "higher_is_better": s.higher_is_better, "mid": s.mid}
                        for s in e.scores],
             "folder": str(e.directory)}
            for e in registry()]


def cmd_list(args: argparse.Namespace) -> int:
    rows = describe()
    if getattr(args, "json", False):
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = [f"{'id':<12} {'version':<8} {'items':>5}  {'languages':<12} scores"]
    for r in rows:
        out.append(f"{r['id']:<12} {r['version']:<8} {r['items']:>5}  "
                   f"{','.join(r['languages']):<12} "
                   f"{', '.join(s['name'] for s in r['scores']) or '-'}")
    print("\n".join(out))
    return 0
