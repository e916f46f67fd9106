"""``epro instruments install FILE`` and ``instruments list --json`` through main()."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import main
from forms.instrument import INSTRUMENT_DIR
from storage import services as sv
from storage.db import open_database
from storage_fixtures import PASSWORDS, sqlite_template  # noqa: F401


def _env(sqlite_template: Path, tmp_path: Path) -> tuple[str, Path]:  # noqa: F811
    shutil.copyfile(sqlite_template, tmp_path / "e.db")
    for role in ("admin", "nurse"):
        (tmp_path / f"{role}.pw").write_text(PASSWORDS[role] + "\n", encoding="utf-8")
    return f"sqlite:///{tmp_path / 'e.db'}", tmp_path


def _install(url: str, d: Path, path: Path, user: str = "admin") -> int:
    return main.main(["--database", url, "instruments", "install", str(path), "--user", user,
                      "--password-file", str(d / f"{user}.pw")])


def _site_file(d: Path, **change: object) -> Path:
    doc = json.loads((INSTRUMENT_DIR / "rand36.zh_CN.json").read_text(encoding="utf-8"))
    doc.update(status="validated", validated=True, text_version="site-licensed-1")
    doc.update(change)
    path = d / "rand36_zh.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_install_stores_the_file_and_prints_its_hash(sqlite_template, tmp_path, capsys):  # noqa: F811
    url, d = _env(sqlite_template, tmp_path)
    path = _site_file(d)
    assert _install(url, d, path) == 0
    out = capsys.readouterr().out
    assert "installed rand36 1.0 zh_CN text site-licensed-1 (validated)" in out
    db = open_database(url)
    try:
        [row] = sv.installed_translations(db)
        assert row.source == str(path.resolve()) and row.sha256 in out
        assert sv.shown_instrument(db, "rand36").text_version("zh_CN").version_id == \
            "site-licensed-1"
    finally:
        db.dispose()
    assert _install(url, d, path) == 0
    assert "unchanged" in capsys.readouterr().out


def test_malformed_file_is_refused_naming_the_line(sqlite_template, tmp_path, capsys):  # noqa: F811
    url, d = _env(sqlite_template, tmp_path)
    path = _site_file(d)
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, t in enumerate(lines) if t.strip().startswith('"q7"'))
    lines[n] = lines[n].rstrip(",")                    # a missing comma
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _install(url, d, path) == 2
    err = capsys.readouterr().err
    assert f"line {n + 2}, column" in err and "Traceback" not in err
    path = _site_file(d, response_sets={"limited": {"1": "是", "2": "否"}})
    assert _install(url, d, path) == 2
    err = capsys.readouterr().err
    assert "response_sets.limited.3: missing" in err and "response_sets.yes_no: missing" in err
    assert _install(url, d, _site_file(d), user="nurse") == 2
    assert "may not" in capsys.readouterr().err
    db = open_database(url)
    try:
        assert sv.installed_translations(db) == []
    finally:
        db.dispose()


def test_instruments_list_json_shows_rand36_in_english_and_chinese(capsys):
    assert main.main(["instruments", "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["rand36"]["languages"] == ["en", "zh_CN"]
    assert rows["csc"]["languages"] == ["en", "zh_CN"]
