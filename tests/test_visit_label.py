"""forms.schedule.visit_label: how a visit is named to a person (protocol label, per language)."""
from __future__ import annotations

from pathlib import Path

from forms.protocol import load_protocol
from forms.schedule import visit_definition, visit_label

PROTOCOL = load_protocol(Path(__file__).resolve().parents[1] / "resources" / "studies"
                         / "nct01342250.json")


def test_scheduled_visit_is_named_by_its_protocol_label_in_each_language():
    assert visit_label(PROTOCOL, "W12", "en") == "Week 12"
    assert visit_label(PROTOCOL, "W12", "zh_CN") == "第12周"
    assert visit_label(PROTOCOL, "ET", "zh_CN") == "提前终止"


def test_unscheduled_visit_carries_its_number():
    assert visit_label(PROTOCOL, "UNS2", "en") == "Unscheduled visit 2"
    assert visit_label(PROTOCOL, "UNS1", "zh_CN") == "计划外访视 1"


def test_unknown_language_falls_back_to_english_and_unknown_code_to_the_code():
    assert visit_label(PROTOCOL, "W4", "fr") == "Week 4"
    assert visit_label(PROTOCOL, "W99", "en") == "W99"
    assert visit_label(None, "W12", "en") == "W12"


def test_visit_definition_resolves_numbered_unscheduled_visits_to_the_protocol_entry():
    assert visit_definition(PROTOCOL, "UNS3").kind == "unscheduled"
    assert visit_definition(PROTOCOL, "UNS3").battery == PROTOCOL.visit("UNS").battery
    assert visit_definition(PROTOCOL, "W12").id == "W12"
    assert visit_definition(PROTOCOL, "W99") is None
