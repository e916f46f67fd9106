"""Declarative base with a constraint naming convention (stable names for migrations)."""
from __future__ import annotations

from sqlalchemy import JSON, MetaData
from sqlalchemy.orm import DeclarativeBase

from storage.types import UtcDateTime
from datetime import datetime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime, dict: JSON, list: JSON}

    #: audited models list the columns kept out of the per-field audit trail
    __audit_exclude__: frozenset[str] = frozenset({"id", "version_id"})
    __audited__: bool = True


def in_list(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK that ``column`` is one of fixed, code-defined values."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"
