"""PatientSummary: a DERIVED cache for the nurse patient list (one row per patient).

Not clinical data and not audited: every value is recomputed from the audited tables (visit,
administration, score) by ``storage.patient_summary`` in the same transaction as the change,
and ``rebuild_patient_summary`` rebuilds the whole table from scratch at any time.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Double, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class PatientSummary(Base):
    __tablename__ = "patient_summary"
    __audited__ = False                      # derived cache, see module docstring
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), primary_key=True,
                                            autoincrement=False)
    # first visit (by sequence) that is planned or in progress; NULL when none is left
    next_visit_id: Mapped[int | None]
    next_visit_code: Mapped[str | None] = mapped_column(String(32))
    next_visit_target_day: Mapped[int | None]
    next_visit_date: Mapped[date | None]         # planned (target) date
    next_visit_earliest: Mapped[date | None]     # window, inclusive
    next_visit_latest: Mapped[date | None]
    next_visit_actual: Mapped[date | None]
    # latest submitted SF-36 (sf36v1 PCS/MCS) and CSC (RSS, alert), by visit order
    last_pcs: Mapped[float | None] = mapped_column(Double)
    last_mcs: Mapped[float | None] = mapped_column(Double)
    last_rss: Mapped[float | None] = mapped_column(Double)
    alert: Mapped[str] = mapped_column(String(8), default="")
