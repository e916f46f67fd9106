"""``--format sdtm``: values past the 200 bytes a SAS transport (v5) value holds.

TS (SDTMIG: "Text over 200 characters can be added to additional columns TSVAL1-TSVALn"): a
protocol whose English title is about 450 bytes (not all ASCII) exports TSVAL, TSVAL1 and TSVAL2,
in the XPT, the CSV and define.xml; the bundled protocol's TS has no TSVAL1. Any other value past
200 bytes that no continuation carries (protocol text such as an arm's label in DM.ARM) stops the
export with a message, before a file is written -- never a traceback. On real SQLite databases (the
template copies of ``storage_fixtures``).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import odmlib
import pytest
import xmlschema

import main

from forms import protocol_check
from forms.errors import UserError
from forms.protocol import ProtocolError
from reports.export.commands import run_export
from reports.export.define_xml import item_oid
from reports.export.sdtm_outcomes import split_text
from reports.export.sdtm_package import DEFINE
from sdtm_package_fixtures import NS, read_csv, read_xpt
from storage import services as sv
from storage_fixtures import (PASSWORDS, enrol, sqlite_db, sqlite_template,  # noqa: F401
                              staff)

BUNDLED = Path(__file__).parents[1] / "resources" / "studies" / "nct01342250.json"
#: an English title of 442 bytes (three Chinese words: 3 bytes a character)
LONG_TITLE = ("Phase I/II Study of the Safety and Efficacy of Autologous Bone Marrow Mononuclear "
              "Cell Transplantation via the Hepatic Artery in Patients with Decompensated Liver "
              "Cirrhosis (肝硬化) of Viral or Alcoholic Origin, with Twelve Months of Follow-up of "
              "Liver Function, Child-Pugh and MELD Scores, Health-related Quality of Life "
              "(SF-36/RAND-36) and Cirrhosis Symptoms (症状) Reported by the Patients Themselves, "
              "in Three Dose Groups (剂量组)")


def _export(db, out: Path) -> Path:  # noqa: ANN001
    run_export(db, staff(db, "investigator"), "sdtm", out)
    return out


def _cli_export(db, tmp_path: Path, out: Path) -> int:  # noqa: ANN001
    """``epro export --format sdtm`` as a user runs it (main.main)."""
    pw = tmp_path / "pw"
    pw.write_text(PASSWORDS["investigator"] + "\n", encoding="utf-8")
    return main.main(["--database", db.url, "export", "--user", "investigator",
                      "--password-file", str(pw), "--format", "sdtm", "-o", str(out)])


@pytest.fixture
def long_title(sqlite_db, tmp_path):  # noqa: F811
    """The exported package of a study whose protocol (the bundled one, a new version) has a
    442-byte English title."""
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["study"]["title"]["en"] = LONG_TITLE
    data["version"] = f"{data['version']}-long-title"
    path = tmp_path / "long_title.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert sv.load_protocol_version(sqlite_db, staff(sqlite_db, "admin"), path).changed
    assert _cli_export(sqlite_db, tmp_path, tmp_path / "sdtm") == 0     # was a traceback
    return tmp_path / "sdtm"


def test_a_title_past_200_bytes_continues_in_tsval1_and_tsval2(long_title):
    assert len(LONG_TITLE.encode("utf-8")) == 442
    rows = read_csv(long_title / "ts.csv")
    assert list(rows[0])[5:8] == ["TSVAL", "TSVAL1", "TSVAL2"]     # right after TSVAL
    title = next(r for r in rows if r["TSPARMCD"] == "TITLE")
    pieces = [title["TSVAL"], title["TSVAL1"], title["TSVAL2"]]
    assert "".join(pieces) == LONG_TITLE                             # nothing lost
    assert all(0 < len(p.encode("utf-8")) <= 200 for p in pieces)
    assert pieces[1].startswith(" ") and pieces[2].startswith(" ")  # cut at a word boundary
    others = [r for r in rows if r["TSPARMCD"] != "TITLE"]
    assert others and all(r["TSVAL1"] == r["TSVAL2"] == "" for r in others)
    assert {r["TSPARMCD"]: r["TSVAL"] for r in others}["TPHASE"] == "PHASE I/II TRIAL"


def test_the_continued_title_reads_back_from_the_xpt_with_its_labels(long_title):
    data, meta = read_xpt(long_title / "ts.xpt")
    assert list(data.columns)[5:8] == ["TSVAL", "TSVAL1", "TSVAL2"]
    labels = meta.column_names_to_labels
    assert (labels["TSVAL1"], labels["TSVAL2"]) == ("Parameter Value 1", "Parameter Value 2")
    (title,) = data[data["TSPARMCD"] == "TITLE"].to_dict("records")
    assert title["TSVAL"] + title["TSVAL1"] + title["TSVAL2"] == LONG_TITLE


def test_define_xml_describes_tsval1_and_tsval2(long_title):
    root = ET.parse(long_title / DEFINE).getroot()
    (group,) = [g for g in root.iter(f"{{{NS['odm']}}}ItemGroupDef") if g.get("Name") == "TS"]
    refs = [r.get("ItemOID") for r in group.iter(f"{{{NS['odm']}}}ItemRef")]
    assert refs[5:8] == [item_oid("TS", v) for v in ("TSVAL", "TSVAL1", "TSVAL2")]
    items = {i.get("OID"): i for i in root.iter(f"{{{NS['odm']}}}ItemDef")}
    for n in (1, 2):
        it = items[item_oid("TS", f"TSVAL{n}")]
        assert it.find("odm:Description/odm:TranslatedText", NS).text == f"Parameter Value {n}"
        assert 0 < int(it.get("Length")) <= 200
    xsd = Path(odmlib.__file__).resolve().parent / "schemas" / "define" / "2.0" / "define2-0-0.xsd"
    assert list(xmlschema.XMLSchema10(str(xsd)).iter_errors(str(long_title / DEFINE))) == []


def test_the_bundled_protocols_ts_has_no_continuation_column(sqlite_db, tmp_path):  # noqa: F811
    out = _export(sqlite_db, tmp_path / "sdtm")
    assert "TSVAL1" not in read_csv(out / "ts.csv")[0]
    assert "TSVAL1" not in read_xpt(out / "ts.xpt")[0].columns
    assert item_oid("TS", "TSVAL1") not in (out / DEFINE).read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [
    "word " * 100,                                       # spaces: cut before one
    "a  b" * 80,                                         # a run of two spaces stays whole
    "肝" * 150,                                          # 450 bytes, no space: between characters
    "x" * 199 + "\U0001F600" + "y" * 50,                 # a 4-byte character at the limit
    "short title"])
def test_split_text_keeps_every_byte_and_no_piece_ends_in_a_space(text):
    pieces = split_text(text)
    assert "".join(pieces) == text
    assert all(0 < len(p.encode("utf-8")) <= 200 for p in pieces)
    assert not any(p.endswith(" ") for p in pieces[:-1])     # SAS drops trailing blanks


def test_any_other_value_past_200_bytes_stops_the_export_with_a_message(sqlite_db,  # noqa: F811
                                                                         tmp_path, capsys,
                                                                         monkeypatch):
    """Protocol text SDTM gives no continuation (DM.ARM, an arm's label) past 200 bytes: a file
    is refused when it is loaded (``forms.protocol_check``); one a database took before that
    rule still stops the export with a message."""
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    for arm in data["arms"]:
        arm["label"]["en"] = f"{arm['id']} dose: " + "conventional therapy plus infusion " * 7
    data["version"] = f"{data['version']}-long-arms"
    path = tmp_path / "long_arms.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProtocolError) as refused:
        sv.load_protocol_version(sqlite_db, staff(sqlite_db, "admin"), path)
    assert [e.split(":")[0] for e in refused.value.errors] == [
        "arms[0].label.en", "arms[1].label.en", "arms[2].label.en"]
    assert "255 bytes: the SDTM export holds at most 200 bytes" in refused.value.errors[0]
    monkeypatch.setattr(protocol_check, "EXPORT_VALUE_BYTES", 10_000)    # before the rule
    sv.load_protocol_version(sqlite_db, staff(sqlite_db, "admin"), path)
    monkeypatch.undo()
    assert len(sv.current_protocol(sqlite_db).arms[0].label["en"]) > 200   # opens as stored
    enrol(sqlite_db, "S-LONG")
    out = tmp_path / "sdtm"
    with pytest.raises(UserError) as err:
        _export(sqlite_db, out)
    msg = str(err.value)
    assert "Description of Planned Arm" in msg and "S-LONG" in msg and "\n" not in msg
    assert "200 bytes" in msg
    assert not out.exists()                                    # nothing half written
    assert _cli_export(sqlite_db, tmp_path, out) == 2          # epro: error, no traceback
    assert capsys.readouterr().err.strip() == f"epro: error: {msg}"
