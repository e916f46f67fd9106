"""Migration 0011 (issue 15): the outcome_record table goes and comes back with its indexes
and constraints (SQLite and PostgreSQL); existing clinical rows are untouched."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from storage.migrate import alembic_config
from storage_fixtures import db, pg_server_url, pg_template, sqlite_db, sqlite_template  # noqa: F401


def _migrate(database, target: str, up: bool) -> None:  # noqa: ANN001
    cfg = alembic_config()
    with database.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, target)


def test_0011_down_and_up_again(db) -> None:  # noqa: F811
    assert "outcome_record" in inspect(db.engine).get_table_names()
    _migrate(db, "0010", up=False)
    assert "outcome_record" not in inspect(db.engine).get_table_names()
    _migrate(db, "head", up=True)
    insp = inspect(db.engine)
    assert "outcome_record" in insp.get_table_names()
    assert {i["name"] for i in insp.get_indexes("outcome_record")} == {
        "ix_outcome_record_patient_kind", "ix_outcome_record_visit_id"}
    assert "ck_outcome_record_kind" in {c["name"] for c in
                                        insp.get_check_constraints("outcome_record")}
