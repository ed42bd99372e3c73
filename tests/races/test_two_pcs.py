"""Two PCs on one database, acting at the same moment: two processes meet at a barrier, then
save. On PostgreSQL, and on SQLite with the single-instance lock bypassed (two programs that do
not see each other's lock): nothing is lost, no rule is broken, the one who comes second is told
in Chinese — never a raw database error."""

from __future__ import annotations

import hashlib
import multiprocessing
from datetime import date

import pytest
from sqlalchemy import func, select

from desk_league.data import migrate
from desk_league.data.db import open_database
from desk_league.data.models import (
    HonourType,
    KeyDate,
    Nomination,
    Person,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import ServiceStatus
from desk_league.services.commendations import (
    CommendationInput,
    NominationInput,
    create_commendation,
    nominate,
)
from desk_league.services.people import PersonInput
from desk_league.services.reference import HONOUR_TYPES, KEY_DATES, seed_reference_data
from desk_league.services.service_hours import ServiceRecordInput, add_service_record
from desk_league.services.volunteers import VolunteerInput, register_volunteer
from tests.imports._rosters import make_id
from tests.races import _pcs

TODAY = _pcs.TODAY
RACE_TIMEOUT = 180


@pytest.fixture(params=["sqlite", "postgresql"])
def place(request, tmp_path) -> dict:
    """Where both PCs find the database: a file, or a server database of the test's own."""
    if request.param == "postgresql":
        return {"url": request.getfixturevalue("pg_url")}
    return {"path": tmp_path / "office.db"}


def _open(place: dict):
    if "url" in place:
        return open_database(url=place["url"], lock=False, backup=False)
    return open_database(place["path"], lock=False, backup=False)


@pytest.fixture
def office(place) -> dict:
    """One volunteer with a pending 4-hour record, a draft batch, two more batches of one
    nominee each (for certificate numbers)."""
    db = _open(place)
    try:
        with db.transaction() as session:
            seed_reference_data(session)
            person = PersonInput(name="张晓燕", id_number=make_id(date(2001, 3, 1), 1))
            volunteer = register_volunteer(
                session, VolunteerInput(person=person, team="健康教育"), today=TODAY
            )
            record = add_service_record(
                session, ServiceRecordInput(volunteer.id, date(2026, 9, 1), 4, "义诊")
            )
            outstanding = session.scalar(
                select(HonourType).where(HonourType.name == "优秀共青团员")
            )
            batches = [
                create_commendation(session, CommendationInput(f"2026年度表彰（{n}）", 2026))
                for n in range(3)
            ]
            for batch in batches[1:]:
                nominate(
                    session,
                    batch.id,
                    NominationInput(outstanding.id, person_id=volunteer.person_id),
                )
            return {
                **place,
                "volunteer_id": volunteer.id,
                "person_id": volunteer.person_id,
                "record_id": record.id,
                "honour_type_id": outstanding.id,
                "batch_id": batches[0].id,
                "second_batch": batches[1].id,
                "third_batch": batches[2].id,
            }
    finally:
        db.close()


def race(where: dict, a: tuple, b: tuple) -> dict[str, tuple]:
    """Run step ``a`` on PC A and ``b`` on PC B, released together; their outcomes."""
    spawn = multiprocessing.get_context("spawn")  # as on Windows: a fresh program each
    barrier, results = spawn.Barrier(2), spawn.Queue()
    pcs = [
        spawn.Process(target=_pcs.run, args=(step, where, barrier, results, who, argument))
        for who, (step, argument) in (("A", a), ("B", b))
    ]
    for pc in pcs:
        pc.start()
    try:
        outcomes = dict(results.get(timeout=RACE_TIMEOUT) for _ in pcs)
    finally:
        for pc in pcs:
            pc.join(timeout=30)
            if pc.is_alive():
                pc.kill()
    crashed = {who: o for who, o in outcomes.items() if o[0] == "crashed"}
    assert not crashed, crashed
    return outcomes


def _one_each(outcomes: dict[str, tuple]) -> tuple[str, tuple]:
    """(the winner, the loser's outcome) when exactly one PC saved."""
    saved = [who for who, o in outcomes.items() if o[0] == "ok"]
    assert len(saved) == 1, outcomes
    (loser,) = set(outcomes) - set(saved)
    return saved[0], outcomes[loser]


def test_two_pcs_saving_one_volunteer_keep_the_first_and_refuse_the_second(office):
    outcomes = race(
        office,
        ("edit_volunteer", {"phone": "13900001111"}),
        ("edit_volunteer", {"team": "卫生应急"}),
    )

    winner, refused = _one_each(outcomes)
    assert (
        refused[1] == "StaleRecord" and "该记录" in refused[2] and "已被其他电脑修改" in refused[2]
    )
    db = _open(office)
    with db.reading() as session:
        volunteer = session.get(Volunteer, office["volunteer_id"])
        phone, team = volunteer.person.phone, volunteer.team
    db.close()
    if winner == "A":
        assert (phone, team) == ("13900001111", "健康教育")
    else:
        assert (phone, team) == ("", "卫生应急")


def test_voiding_and_approving_one_record_at_once_ends_voided_and_the_loser_is_told(office):
    outcomes = race(office, ("approve_record", None), ("void_record", None))

    assert outcomes["B"] == ("ok", ServiceStatus.VOID)
    if outcomes["A"][0] != "ok":  # the void came first
        assert outcomes["A"][1] == "Conflict" and "已作废（重复录入）" in outcomes["A"][2]
    db = _open(office)
    with db.reading() as session:
        record = session.get(ServiceRecord, office["record_id"])
        assert (record.status, record.void_reason) == (ServiceStatus.VOID, "重复录入")
        counted = session.scalar(
            select(func.coalesce(func.sum(ServiceRecord.hours), 0)).where(
                ServiceRecord.status == ServiceStatus.APPROVED
            )
        )
    db.close()
    assert counted == 0


def test_the_same_person_nominated_on_two_pcs_at_once_is_nominated_once(office):
    outcomes = race(office, ("nominate", None), ("nominate", None))

    _winner, refused = _one_each(outcomes)
    assert refused[1] == "Conflict" and "不能重复推荐" in refused[2]
    db = _open(office)
    with db.transaction() as session:
        live = session.scalar(
            select(func.count(Nomination.id)).where(
                Nomination.commendation_id == office["batch_id"], Nomination.deleted_at.is_(None)
            )
        )
        from desk_league.services.commendations import approve_commendation

        honours = approve_commendation(session, office["batch_id"])
    db.close()
    assert live == 1 and len(honours) == 1


def test_two_pcs_adding_sixteen_hours_for_one_day_keep_the_daily_cap(office):
    outcomes = race(office, ("add_hours", 16), ("add_hours", 16))

    _winner, refused = _one_each(outcomes)
    assert refused[1] == "ValidationError" and "超过每天 24 小时" in refused[2]
    db = _open(office)
    with db.reading() as session:
        day = session.scalar(
            select(func.sum(ServiceRecord.hours)).where(
                ServiceRecord.volunteer_id == office["volunteer_id"],
                ServiceRecord.served_on == date(2026, 10, 1),
            )
        )
    db.close()
    assert day == 16


def test_volunteer_numbers_drawn_on_two_pcs_at_once_never_repeat_and_never_fail(office):
    outcomes = race(office, ("register_volunteers", 10), ("register_volunteers", 50))

    assert outcomes["A"][0] == outcomes["B"][0] == "ok", outcomes
    numbers = outcomes["A"][1] + outcomes["B"][1]
    db = _open(office)
    with db.reading() as session:
        stored = list(session.scalars(select(Volunteer.number)))
    db.close()
    assert len(set(numbers)) == 10 and len(set(stored)) == len(stored) == 11


def test_certificate_numbers_of_two_batches_approved_at_once_never_repeat(office):
    outcomes = race(office, ("approve_batch", "second_batch"), ("approve_batch", "third_batch"))

    assert outcomes["A"][0] == outcomes["B"][0] == "ok", outcomes
    numbers = outcomes["A"][1] + outcomes["B"][1]
    assert len(numbers) == 2 and len(set(numbers)) == 2 and all(numbers)


def test_two_first_starts_on_an_empty_database_both_succeed(place):
    outcomes = race(place, ("first_start", None), ("first_start", None))

    assert outcomes == {"A": ("ok", "started"), "B": ("ok", "started")}
    db = _open(place)
    with db.reading() as session:
        types = session.scalar(select(func.count(HonourType.id)))
        dates = session.scalar(select(func.count(KeyDate.id)))
        people = session.scalar(select(func.count(Person.id)))
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    db.close()
    assert (types, dates, people) == (len(HONOUR_TYPES), len(KEY_DATES), 0)


def _state(place: dict) -> tuple:
    """Everything a replacement would change: the file's bytes and the folder's files, or
    the server database's rows."""
    if "path" in place:
        folder = place["path"].parent
        files = sorted(p.name for p in folder.rglob("*"))
        return files, hashlib.sha256(place["path"].read_bytes()).hexdigest()
    db = _open(place)
    with db.reading() as session:
        rows = (
            sorted(session.scalars(select(Person.name))),
            sorted(session.scalars(select(Volunteer.number))),
        )
    db.close()
    return rows


def test_demo_replace_changes_nothing_while_another_program_has_the_database_open(office, capsys):
    from desk_league.cli import main

    spawn = multiprocessing.get_context("spawn")
    ready, done = spawn.Event(), spawn.Event()
    other = spawn.Process(target=_pcs.hold_open, args=(office, ready, done))
    other.start()
    try:
        assert ready.wait(RACE_TIMEOUT)
        before = _state(office)
        where = ["--url", office["url"]] if "url" in office else ["--db", str(office["path"])]
        assert main(["demo", *where, "--replace"]) == 1
        err = capsys.readouterr().err
        assert "数据库正被" in err or "其他电脑上的团委工作台正在使用" in err
        assert _state(office) == before
    finally:
        done.set()
        other.join(timeout=60)
