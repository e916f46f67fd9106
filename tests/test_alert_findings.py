"""forms.alerts: structured warning signs, the same rules that set the stored alert level."""
from __future__ import annotations

from forms import alerts, csc
from forms.registry import registry


def _csc(**codes: int) -> dict[str, int | None]:
    base: dict[str, int | None] = {i: 0 for i in csc.SCORED_ITEMS}
    base.update({i: 0 for i in csc.ALERT_ITEMS})
    base.update(codes)
    return base


def test_csc_findings_are_what_sets_the_level():
    now = _csc(A3=csc.YES, A5=csc.NOT_SURE, C2=3)
    prev = _csc(C2=1)
    found = csc.alert_findings(now, prev)
    assert [(f.severity, f.reason, f.item_id) for f in found] == [
        ("red", alerts.WARNING_SIGN_YES, "A3"), ("amber", alerts.WARNING_SIGN_UNSURE, "A5"),
        ("amber", alerts.CORE_WORSENED, "C2")]
    assert found[2].params == {"previous": 1, "now": 3}
    level = csc.alert_level(now, prev)
    assert level.level == "red"
    assert level.reasons == ("A3=yes", "A5=not_sure", "C2+2_vs_previous")


def test_registry_entry_gives_findings_for_scored_instruments():
    entry = registry().get(csc.INSTRUMENT_ID)
    found = entry.alert_findings(_csc(A1=csc.YES))
    assert [f.code for f in found] == ["A1=yes"]
    assert found[0].params == {"code": csc.YES}
    assert entry.alert_findings(_csc()) == ()
