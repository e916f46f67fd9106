"""Deterministic made-up rows for tests, the benchmark and screenshots (no real people)."""
from __future__ import annotations

import random
from datetime import date, timedelta

from ui.nurse.patient_table import PatientListRow

_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "欧阳", "司马", "Smith", "O'Brien")
_GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "艳")
_PINYIN = {"王": "W", "李": "L", "张": "Z", "刘": "L", "陈": "C", "杨": "Y", "黄": "H", "赵": "Z",
           "欧阳": "OY", "司马": "SM", "Smith": "S", "O'Brien": "O"}
_VISITS = ("W1", "W2", "W4", "W8", "W12", "W24", "W36", "W48")
_STATUS = ("not_yet_due", "due", "overdue", "not_yet_due", None)


def sample_patient_rows(n: int, seed: int = 7, today: date = date(2025, 3, 10)) -> list[PatientListRow]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        sur = rnd.choice(_SURNAMES)
        given = rnd.choice(_GIVEN)
        name = f"{sur} {given}" if sur.isascii() else sur + given
        has_scores = rnd.random() > 0.15
        rows.append(PatientListRow(
            patient_id=i + 1,
            subject_id=f"SH01-{i + 1:05d}",
            initials=_PINYIN[sur] + "X",
            arm=rnd.choice(("UC-MSC", "Control")),
            full_name=name,
            next_visit=rnd.choice(_VISITS),
            next_visit_date=(today + timedelta(days=rnd.randint(-30, 60))).isoformat(),
            window_status=rnd.choice(_STATUS),
            last_pcs=round(rnd.uniform(20, 60), 1) if has_scores else None,
            last_mcs=round(rnd.uniform(20, 60), 1) if has_scores else None,
            last_rss=float(rnd.randint(0, 16)) if rnd.random() > 0.2 else None,
            alert=rnd.choice((None, None, None, None, "amber", "red")),
        ))
    return rows


VISIT_CODES = ("baseline", "W1", "W2", "W4", "W8", "W12", "W24", "W36", "W48")


def sample_trend_points(n: int = 9, seed: int = 11):
    """One made-up patient improving slowly over ``n`` visits (some values missing)."""
    from forms.sf36 import SCALES
    from ui.nurse.view_data import TrendPoint

    rnd = random.Random(seed)
    pts = []
    for i in range(n):
        v: dict[str, float | None] = {f"sf36_{s}_t": 32 + 1.5 * i + rnd.uniform(-4, 4) for s in SCALES}
        v["sf36_pcs"] = 33 + 1.4 * i + rnd.uniform(-2, 2)
        v["sf36_mcs"] = 40 + 0.8 * i + rnd.uniform(-2, 2)
        core = [max(0, min(4, 3 - i // 3 + rnd.randint(-1, 1))) for _ in range(4)]
        v.update({f"C{k + 1}": float(c) for k, c in enumerate(core)})
        v["rss"] = float(sum(core))
        v["tsb"] = 60 - 4.5 * i + rnd.uniform(-3, 3)
        v["child_pugh"] = float(max(5, 10 - i // 2))
        v["meld"] = float(max(8, 19 - i))
        if i == 3:
            v["sf36_pcs"] = v["sf36_mcs"] = None   # SF-36 not done at this visit
        pts.append(TrendPoint(VISIT_CODES[i] if i < len(VISIT_CODES) else f"V{i}", v))
    return pts
