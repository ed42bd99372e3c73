"""What each of two PCs does in a race (run in a process of its own, see test_two_pcs.py).

Each step opens the database as a PC would (on SQLite with the single-instance lock bypassed,
so both programs really write the same file), reads what its form shows, waits at the barrier
for the other PC, then saves. It reports ("ok", value) or ("refused", error type, message).

Every write waits a moment after what it read (``PAUSE`` before each flush with changes), so
the two PCs' reads and writes interleave every time: a rule that is not protected breaks on
each run, not once in a while.
"""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy.orm import Session

from desk_league.data.db import open_database
from desk_league.errors import DeskLeagueError

TODAY = date(2026, 11, 26)
BARRIER_TIMEOUT = 60
PAUSE = 0.3


def _slow_writes() -> None:
    flush = Session.flush

    def flush_after_a_pause(self: Session, *args, **kwargs) -> None:
        if self.new or self.dirty or self.deleted:
            time.sleep(PAUSE)
        flush(self, *args, **kwargs)

    Session.flush = flush_after_a_pause  # type: ignore[method-assign]


def run(step: str, where: dict, barrier, results, who: str, argument=None) -> None:
    _slow_writes()
    try:
        outcome = ("ok", STEPS[step](where, barrier, argument))
    except DeskLeagueError as exc:
        outcome = ("refused", type(exc).__name__, str(exc))
    except BaseException as exc:  # noqa: BLE001 - the test shows what went wrong in the child
        outcome = ("crashed", type(exc).__name__, repr(exc))
        barrier.abort()  # the other PC must not wait for this one
    results.put((who, outcome))


def _open(where: dict):
    if "url" in where:
        return open_database(url=where["url"], backup=False)
    return open_database(where["path"], lock=False, backup=False)


def _meet(barrier) -> None:
    barrier.wait(BARRIER_TIMEOUT)


def edit_volunteer(where: dict, barrier, change: dict) -> str:
    """Open the volunteer's form, change one thing, save."""
    from desk_league.services import volunteers

    db = _open(where)
    try:
        with db.reading() as session:
            form = volunteers.volunteer_input(session, where["volunteer_id"])
        for key, value in change.items():
            target = form.person if hasattr(form.person, key) else form
            setattr(target, key, value)
        _meet(barrier)
        with db.transaction() as session:
            volunteers.update_volunteer(session, where["volunteer_id"], form, TODAY)
        return "saved"
    finally:
        db.close()


def approve_record(where: dict, barrier, _argument) -> int:
    from desk_league.services.service_hours import approve_service_records

    db = _open(where)
    try:
        _meet(barrier)
        with db.transaction() as session:
            return approve_service_records(session, [where["record_id"]], "审核人")
    finally:
        db.close()


def void_record(where: dict, barrier, _argument) -> str:
    from desk_league.services.service_hours import void_service_record

    db = _open(where)
    try:
        _meet(barrier)
        with db.transaction() as session:
            return void_service_record(session, where["record_id"], "重复录入").status
    finally:
        db.close()


def nominate(where: dict, barrier, _argument) -> int:
    from desk_league.services.commendations import NominationInput
    from desk_league.services.commendations import nominate as nominate_person

    db = _open(where)
    try:
        _meet(barrier)
        with db.transaction() as session:
            data = NominationInput(where["honour_type_id"], person_id=where["person_id"])
            return nominate_person(session, where["batch_id"], data).id
    finally:
        db.close()


def add_hours(where: dict, barrier, hours: float) -> int:
    from desk_league.services.service_hours import ServiceRecordInput, add_service_record

    db = _open(where)
    try:
        _meet(barrier)
        with db.transaction() as session:
            data = ServiceRecordInput(where["volunteer_id"], date(2026, 10, 1), hours, "义诊")
            return add_service_record(session, data).id
    finally:
        db.close()


def register_volunteers(where: dict, barrier, first: int) -> list[str]:
    """Register five new volunteers, numbered by the office's pattern, one save each."""
    from desk_league.services.people import PersonInput
    from desk_league.services.volunteers import VolunteerInput, register_volunteer
    from tests.imports._rosters import make_id

    db = _open(where)
    try:
        _meet(barrier)
        numbers = []
        for n in range(first, first + 5):
            with db.transaction() as session:
                person = PersonInput(name=f"志愿者{n}", id_number=make_id(date(1998, 5, 4), n))
                data = VolunteerInput(person=person, registered_on=date(2026, 3, 5))
                numbers.append(register_volunteer(session, data, today=TODAY).number)
        return numbers
    finally:
        db.close()


def approve_batch(where: dict, barrier, batch_key: str) -> list[str]:
    from desk_league.services.commendations import approve_commendation

    db = _open(where)
    try:
        _meet(barrier)
        with db.transaction() as session:
            honours = approve_commendation(session, where[batch_key])
            return [h.certificate_number or "" for h in honours]
    finally:
        db.close()


def first_start(where: dict, barrier, _argument) -> str:
    """The program's own start on a database that does not exist yet (or is empty)."""
    from desk_league.data.paths import default_db_path
    from desk_league.services.startup import open_office_database

    _meet(barrier)
    path = where.get("path") or default_db_path()
    if "url" in where:
        db = open_office_database(path, where["url"])
    else:  # the lock bypassed, as with two programs that do not see each other's lock
        from desk_league.services.reference import seed_reference_data

        db = open_database(path, lock=False, backup=False)
        with db.transaction() as session:
            seed_reference_data(session)
    db.close()
    return "started"


def hold_open(where: dict, ready, done) -> None:
    """The program running on another PC (or in another window): the database open, as the
    window opens it (the single-instance lock, or the server's in-use lock), until ``done``."""
    if "url" in where:
        db = open_database(url=where["url"], backup=False)
    else:
        db = open_database(where["path"], backup=False)
    try:
        ready.set()
        done.wait(BARRIER_TIMEOUT)
    finally:
        db.close()


STEPS = {
    "edit_volunteer": edit_volunteer,
    "approve_record": approve_record,
    "void_record": void_record,
    "nominate": nominate,
    "add_hours": add_hours,
    "register_volunteers": register_volunteers,
    "approve_batch": approve_batch,
    "first_start": first_start,
}
