"""Handler of ``epro study validate FILE``: check a protocol file, list every problem."""
from __future__ import annotations

import argparse
import sys

from forms.protocol import ProtocolError, load_protocol
from forms.registry import registry


def installed_instrument_ids() -> frozenset[str]:
    """Ids of the instruments the app can give (the instrument registry)."""
    return frozenset(registry().ids())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 with one summary line, or 2 with every problem as ``path: message`` on stderr."""
    try:
        p = load_protocol(args.file, installed_instrument_ids())
    except ProtocolError as exc:
        n = len(exc.errors)
        print(f"epro: error: {args.file}: invalid protocol, {n} problem{'s' if n != 1 else ''}:",
              file=sys.stderr)
        for e in exc.errors:
            print(f"  {e}", file=sys.stderr)
        return 2
    print(f"{args.file}: valid protocol {p.protocol_id} ({p.registry_id}) version {p.version}: "
          f"{_count(len(p.arms), 'arm')}, {_count(len(p.visits), 'visit')} "
          f"({len(p.scheduled_visits())} scheduled), {_count(len(p.instruments), 'instrument')}, "
          f"{len(p.inclusion)} inclusion and {len(p.exclusion)} exclusion "
          f"criteri{'on' if len(p.exclusion) == 1 else 'a'}; sha256 {p.sha256}")
    return 0
