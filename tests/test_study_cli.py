"""`init --protocol`, `study show [--json]`, `study load`, `allocation import` through main()."""
from __future__ import annotations

import json

import main
from forms.protocol import DEFAULT_PROTOCOL_PATH


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    rc = main.main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_study_show_json_on_a_fresh_demo_database(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run(capsys, "--database", url, "demo-data", "--patients", "2")[0] == 0
    rc, out, _ = run(capsys, "--database", url, "study", "show", "--json")
    assert rc == 0
    show = json.loads(out)
    assert set(show) >= {"protocol_id", "registry_id", "version", "sha256", "arms", "visits",
                         "eligibility", "instruments"}
    assert len(show["arms"]) == 3 and all(set(a["label"]) == {"en", "zh_CN"}
                                          for a in show["arms"])
    visits = {v["id"]: v for v in show["visits"]}
    assert visits["W52"]["day"] == 365 and visits["W52"]["window"] == [351, 379]
    assert {"ET", "UNS"} <= set(visits) and "W48" not in visits
    assert sorted(k for k, v in visits.items() if "rand36" in v["battery"]) == sorted(
        ["BL", "W4", "W12", "W24", "W36", "W52", "ET", "UNS"])
    assert len(show["eligibility"]["inclusion"]) == 5
    assert len(show["eligibility"]["exclusion"]) == 9
    rc, human, _ = run(capsys, "--database", url, "study", "show")
    assert rc == 0 and show["sha256"] in human and "W52" in human


def test_init_with_a_protocol_file_then_load_a_changed_version(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    pw = tmp_path / "pw.txt"
    pw.write_text("admin-pass-123\n", encoding="utf-8")
    rc, out, _ = run(capsys, "--database", url, "init", "--protocol", str(DEFAULT_PROTOCOL_PATH),
                     "--admin", "boss", "--password-file", str(pw))
    assert rc == 0 and "set up from protocol version 1.0" in out
    rc, out, _ = run(capsys, "--database", url, "init")
    assert rc == 0 and "runs protocol version 1.0" in out            # left as it is
    rc, out, _ = run(capsys, "--database", url, "study", "load", str(DEFAULT_PROTOCOL_PATH),
                     "--user", "boss", "--password-file", str(pw))
    assert rc == 0 and out.startswith("unchanged")
    data = json.loads(DEFAULT_PROTOCOL_PATH.read_text(encoding="utf-8"))
    data["version"] = "1.1"
    changed = tmp_path / "v11.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rc, out, _ = run(capsys, "--database", url, "study", "load", str(changed),
                     "--user", "boss", "--password-file", str(pw))
    assert rc == 0 and "protocol version 1.1 loaded" in out
    assert json.loads(run(capsys, "--database", url, "study", "show", "--json")[1])[
        "version"] == "1.1"
    rc, out, _ = run(capsys, "--database", url, "init", "--protocol", str(DEFAULT_PROTOCOL_PATH))
    assert rc == 0 and "runs protocol version 1.1" in out and "epro study load" in out
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    rc, _, err = run(capsys, "--database", url, "study", "load", str(bad), "--user", "boss",
                     "--password-file", str(pw))
    assert rc == 2 and "invalid protocol" in err and "Traceback" not in err
    rc, _, err = run(capsys, "--database", url, "allocation", "import", str(bad), "--user",
                     "boss", "--password-file", str(pw))
    assert rc == 2 and "not by an imported list" in err
