"""Handlers of the database-side study commands: ``study show``, ``study load``,
``allocation import`` (registered in forms/protocol_cli.py and storage/cli.py)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from storage.cli_login import login
from storage.commands import url_from_args
from storage.db import open_database


def _human(show: dict) -> str:
    lines = [f"protocol {show['protocol_id']} ({show['registry_id']}), version {show['version']}",
             f"sha256 {show['sha256']}", "arms:"]
    lines += [f"  {a['id']}: {a['label'].get('en', '')} / {a['label'].get('zh_CN', '')}"
              for a in show["arms"]]
    lines.append("visits:")
    for v in show["visits"]:
        day = "any" if v["day"] is None else str(v["day"])
        window = "" if v["window"] is None else f" window {v['window'][0]}…{v['window'][1]}"
        battery = ", ".join(v["battery"]) or "—"
        lines.append(f"  {v['id']:<4} {v['kind']:<18} day {day}{window}; patient: {battery}")
    lines.append("inclusion: " + ", ".join(show["eligibility"]["inclusion"]))
    lines.append("exclusion: " + ", ".join(show["eligibility"]["exclusion"]))
    lines.append("instruments: " + ", ".join(
        i if isinstance(i, str) else str(i.get("id", i)) for i in show["instruments"]))
    return "\n".join(lines)


def cmd_study_show(args: argparse.Namespace) -> int:
    from storage.services.study import study_show
    db = open_database(url_from_args(args), create=False)
    try:
        show = study_show(db)
    finally:
        db.dispose()
    if getattr(args, "json", False):
        print(json.dumps(show, ensure_ascii=False, indent=2))
    else:
        print(_human(show))
    return 0


def cmd_study_load(args: argparse.Namespace) -> int:
    from storage.services.study import load_protocol_version
    db = open_database(url_from_args(args), create=False)
    try:
        actor = login(db, args)
        r = load_protocol_version(db, actor, Path(args.file))
    finally:
        db.dispose()
    if r.changed:
        print(f"protocol version {r.version} loaded (sha256 {r.sha256}); recorded in the audit "
              "trail. Patients enrolled from now on follow it.")
    else:
        print(f"unchanged: the database already runs this file (version {r.version}, sha256 "
              f"{r.sha256})")
    return 0


def cmd_allocation_import(args: argparse.Namespace) -> int:
    from storage.services.allocation import import_allocation_list
    db = open_database(url_from_args(args), create=False)
    try:
        actor = login(db, args)
        n = import_allocation_list(db, actor, Path(args.file))
    finally:
        db.dispose()
    print(f"allocation list imported: {n} sealed slots (recorded in the audit trail)")
    return 0
