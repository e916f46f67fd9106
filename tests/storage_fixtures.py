"""Fixtures for the storage tests: a migrated database per test on SQLite and PostgreSQL.

The schema (plus a study and three staff accounts) is built once per session as a template;
each test gets a copy (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL).
"""
from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from pg_server import pg_server_url  # noqa: F401  (session fixture)
from storage import demo
from storage import services as sv
from storage.actors import Actor
from storage.clock import use_clock
from storage.auth_sessions import system_actor
from storage.db import Database, open_database
from storage.auth_sessions import token_digest
from storage.models import AuthSession, User

# (the password policy refuses a password that contains the user name: forms/passwords.py)
PASSWORDS = {"nurse": "ward-rounds-17", "investigator": "trial-signer-42",
             "admin": "site-keys-88"}


def _fill_template(db: Database) -> None:
    system = system_actor()
    sv.create_study(db, system)                # the default protocol file (NCT01342250)
    for role, pw in PASSWORDS.items():
        sv.create_user(db, system, username=role, full_name=f"{role.title()} Person", role=role,
                       password=pw)
        _remember(db, role, "WS-1", sv.authenticate(db, role, pw, station_id="WS-1"))
    # the nurse at the test kiosk, who hands it over to patients (``at_kiosk``)
    _remember(db, "nurse", "K-1", sv.authenticate(db, "nurse", PASSWORDS["nurse"],
                                                  station_id="K-1"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    db = open_database(f"sqlite:///{path}")
    _fill_template(db)
    db.dispose()
    return path


_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_template(pg_server_url: str) -> str:  # noqa: F811
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql("CREATE DATABASE epro_template")
    admin.dispose()
    url = make_url(pg_server_url).set(database="epro_template").render_as_string(False)
    db = open_database(url)
    _fill_template(db)
    db.dispose()
    return pg_server_url


def new_pg_database(server_url: str) -> str:
    name = f"t_{next(_counter)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE epro_template")
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(False)


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "epro.db"
    shutil.copyfile(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_db")
        return
    server = request.getfixturevalue("pg_template")
    database = open_database(new_pg_database(server))
    yield database
    database.dispose()


# every template's logins (newest first): a module importing ``sqlite_template`` gets its own
# session template, and kiosk/summary tests fill other databases, so one process holds several
_LOGINS: dict[tuple[str, str, str], list[Actor]] = {}


def _remember(db: Database, role: str, station: str, actor: Actor) -> None:
    _LOGINS.setdefault((db.dialect, role, station), []).insert(0, actor)


def staff(db: Database, role: str, station: str = "WS-1") -> Actor:
    """A logged-in staff actor at ``station`` (a real session, ``storage.auth_sessions``; a
    session is bound to its station). The template's logins are made once and copied with
    the database (whichever template this database was copied from, so that no test's audit
    trail gets a login row that depends on which tests ran before); a database without them
    logs in."""
    by_digest = {token_digest(a.session_token): a
                 for a in _LOGINS.get((db.dialect, role, station), []) if a.session_token}
    if by_digest:
        with db.session() as s:
            live = set(s.execute(select(AuthSession.token_sha256, AuthSession.user_id).where(
                AuthSession.token_sha256.in_(list(by_digest)),
                AuthSession.ended_at.is_(None))).tuples())
        for digest, actor in by_digest.items():          # newest first
            if (digest, actor.user_id) in live:
                return actor
    actor = sv.authenticate(db, role, PASSWORDS[role], station_id=station)
    _remember(db, role, station, actor)
    return actor


def at_kiosk(db: Database, visit_id: int, station: str = "K-1") -> Actor:
    """The patient of ``visit_id`` at kiosk ``station``: a hand-over by the nurse logged in
    there (``storage.services.hand_over_kiosk``), the only way a patient acts."""
    return sv.hand_over_kiosk(db, staff(db, "nurse", station), visit_id)


@dataclass
class Visit1:
    patient_id: int
    visit_id: int
    visits: list


def eligible_screening(db: Database, day1: date, **changes) -> sv.RawScreening:  # noqa: ANN003
    """Raw screening inputs that meet every criterion of the study's stored protocol
    (``storage.demo.eligible_screening``: Child-Pugh 8, MELD 14, exclusion ids read from the
    protocol); ``changes`` replace single inputs afterwards."""
    return replace(demo.eligible_screening(sv.current_protocol(db), day1), **changes)


def enrol(db: Database, subject: str = "S-001", full_name: str | None = None,
          day1: date | None = None) -> Visit1:
    """Enrol an eligible patient (arm from the allocation list); ``visit_id`` = first visit."""
    day1 = day1 or date.today()
    pid = sv.enrol_patient(db, staff(db, "nurse"), subject_id=subject, initials="AB", sex="F",
                           day1_date=day1, screening=eligible_screening(db, day1),
                           full_name=full_name)
    visits = sv.patient_visits(db, pid)
    return Visit1(pid, visits[0].id, visits)


def answer_all(db: Database, actor: Actor, adm_id: int, code_for=None) -> None:  # noqa: ANN001
    from forms.instrument import load_instrument
    state = sv.administration_state(db, adm_id)
    inst = load_instrument(state.instrument_id)
    codes: dict[str, int] = {}
    for item in inst.items:
        if not inst.is_applicable(item, codes, {"visit": state.visit_code,
                                                "visit_kind": state.visit_kind}):
            continue
        options = inst.options_for(item).codes
        code = code_for(item.id, options) if code_for else options[0]
        sv.record_answer(db, actor, adm_id, item.id, code)
        codes[item.id] = code


def storage_day(day: date):  # noqa: ANN201
    """Storage's clock held at ``day``'s local noon (a context manager): for a module whose
    ``TODAY`` is taken at import (its parameters need it), so that a run crossing local midnight
    does not make that TODAY yesterday for storage."""
    noon = datetime.combine(day, time(12)).astimezone().astimezone(timezone.utc)
    return use_clock(lambda: noon)



def account_made_outside(con, copy_of: str = "nurse",  # noqa: ANN001
                         username: str = "intruder") -> int:
    """Insert (raw ``sqlite3`` connection ``con``) a copy of account ``copy_of`` named
    ``username`` behind the application's back; commit; return its id."""
    cols = [r[1] for r in con.execute("PRAGMA table_info(user_account)") if r[1] != "id"]
    picked = ", ".join(f"'{username}'" if c == "username" else c for c in cols)
    con.execute(f"INSERT INTO user_account ({', '.join(cols)}) SELECT {picked} "  # noqa: S608
                "FROM user_account WHERE username = ?", (copy_of,))
    con.commit()
    return con.execute("SELECT id FROM user_account WHERE username = ?", (username,)).fetchone()[0]
