"""A commendation batch through the year: quotas, nominations, checklists, approval."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk_league.data.models import Honour, Nomination
from desk_league.domain.codes import NominationStatus
from desk_league.errors import Conflict, ValidationError
from desk_league.services import commendations
from desk_league.services.commendations import CommendationInput, NominationInput
from desk_league.services.honours import HonourInput, create_honour
from desk_league.services.settings import set_setting

from ._office import Office, make_office


@pytest.fixture
def office(db) -> Office:
    return make_office(db)


@pytest.fixture
def batch_id(db) -> int:
    with db.transaction() as session:
        return commendations.create_commendation(
            session,
            CommendationInput(
                title="2025年度市直卫生系统共青团先进集体和先进个人",
                year=2025,
                decided_on=date(2026, 4, 28),
                reference_date=date(2026, 5, 4),
                document_number="卫团发〔2026〕3号",
            ),
        ).id


def nominate(db, batch_id, type_id, **fields) -> int:
    with db.transaction() as session:
        return commendations.nominate(
            session, batch_id, NominationInput(honour_type_id=type_id, **fields)
        ).id


def test_a_new_batch_takes_the_office_as_granting_body(db, batch_id):
    with db.reading() as session:
        batch = commendations.commendation_input(session, batch_id)

    assert batch.granting_body == "市卫生健康委团委"


def test_branch_cannot_nominate_past_its_quota(db, office, batch_id):
    member = office.types["优秀共青团员"]
    with db.transaction() as session:
        commendations.set_quota(session, batch_id, member, 1, office.branch_a)
    nominate(db, batch_id, member, person_id=office.young, nominated_by_id=office.branch_a)

    with pytest.raises(Conflict, match="名额为 1 名，已推荐 1 名"):
        nominate(db, batch_id, member, person_id=office.old, nominated_by_id=office.branch_a)
    # another branch has no quota of its own: it may nominate
    nominate(db, batch_id, member, person_id=office.new_member, nominated_by_id=office.branch_b)


def test_the_same_person_cannot_be_nominated_twice_for_one_honour(db, office, batch_id):
    member = office.types["优秀共青团员"]
    nominate(db, batch_id, member, person_id=office.young)

    with pytest.raises(Conflict, match="不能重复推荐"):
        nominate(db, batch_id, member, person_id=office.young)


def test_a_personal_honour_needs_a_person_and_a_collective_one_a_name(db, office, batch_id):
    with pytest.raises(ValidationError, match="个人荣誉"):
        nominate(db, batch_id, office.types["优秀共青团员"], collective_name="市人民医院急诊科")
    with pytest.raises(ValidationError, match="集体名称"):
        nominate(db, batch_id, office.types["青年文明号"], person_id=office.young)


def test_checklist_warns_about_age_league_years_and_hours(db, office, batch_id):
    member = office.types["优秀共青团员"]
    for person in (office.young, office.old, office.new_member):
        nominate(db, batch_id, member, person_id=person)
    nominate(db, batch_id, office.types["五四红旗团支部"], organisation_id=office.branch_a)

    with db.reading() as session:
        lists = {c.nominee: c for c in commendations.eligibility_checklists(session, batch_id)}

    young = lists["张晓燕"]
    assert [c.passed for c in young.checks] == [True, True, True, True, True]
    assert young.checks[3].detail == "24小时"  # pending hours and 2024's do not count
    assert young.checks[4].label == "共青团员（不含保留团籍的党员）"
    assert [c.passed for c in lists["李明"].checks] == [False, True, False, False, True]
    assert lists["王龑"].checks[1].passed is False and lists["王龑"].summary == "3项不符"
    assert lists["市人民医院内科团支部"].summary == "无条件"


def test_approval_grants_honours_with_unique_certificate_numbers(db, office, batch_id):
    member = office.types["优秀共青团员"]
    with db.transaction() as session:  # a number of that year was already issued by hand
        create_honour(
            session,
            HonourInput(
                honour_type_id=member,
                year=2025,
                person_id=office.old,
                certificate_number="2025-002",
            ),
        )
    nominate(db, batch_id, member, person_id=office.young)
    rejected = nominate(db, batch_id, member, person_id=office.new_member)
    nominate(db, batch_id, office.types["五四红旗团支部"], organisation_id=office.branch_a)
    nominate(db, batch_id, office.types["青年文明号"], collective_name="市人民医院急诊科")
    with db.transaction() as session:
        commendations.decide_nominations(session, [rejected], NominationStatus.REJECTED)

    with db.transaction() as session:
        granted = commendations.approve_commendation(session, batch_id)
        numbers = [h.certificate_number for h in granted]

    assert numbers == [
        "2025-001",
        "2025-003",
        "2025-004",
    ]  # 青年文明号, 五四红旗团支部, 优秀共青团员 by type order
    with db.reading() as session:
        honours = session.scalars(select(Honour).where(Honour.commendation_id == batch_id)).all()
        assert {h.document_number for h in honours} == {"卫团发〔2026〕3号"}
        assert {h.granted_on for h in honours} == {date(2026, 4, 28)}
        statuses = dict(session.execute(select(Nomination.id, Nomination.status)).all())
    passed, rejected_ = NominationStatus.PASSED, NominationStatus.REJECTED
    assert statuses[rejected] == rejected_
    assert sorted(statuses.values()) == sorted([rejected_, passed, passed, passed])


def test_an_approved_batch_is_closed_to_changes(db, office, batch_id):
    member = office.types["优秀共青团员"]
    nominate(db, batch_id, member, person_id=office.young)
    with db.transaction() as session:
        commendations.approve_commendation(session, batch_id)

    with pytest.raises(Conflict, match="已批准"):
        nominate(db, batch_id, member, person_id=office.old)
    with db.transaction() as session, pytest.raises(Conflict, match="已批准"):
        commendations.approve_commendation(session, batch_id)
    with db.transaction() as session, pytest.raises(Conflict, match="不能删除"):
        commendations.delete_commendation(session, batch_id)


def test_approval_is_refused_over_the_total_quota(db, office, batch_id):
    member = office.types["优秀共青团员"]
    nominate(db, batch_id, member, person_id=office.young)
    nominate(db, batch_id, member, person_id=office.old)
    with db.transaction() as session:
        commendations.set_quota(session, batch_id, member, 1)
        assert [u.over for u in commendations.quota_usage(session, batch_id)] == [True]

    with (
        db.transaction() as session,
        pytest.raises(Conflict, match="“优秀共青团员”名额 1 名，现有 2 名"),
    ):
        commendations.approve_commendation(session, batch_id)
    with db.reading() as session:
        assert session.scalar(select(Honour.id)) is None  # nothing was granted


def test_an_empty_batch_cannot_be_approved(db, batch_id):
    with db.transaction() as session, pytest.raises(ValidationError, match="还没有推荐对象"):
        commendations.approve_commendation(session, batch_id)


def test_numbers_follow_the_pattern_setting_and_skip_used_ones(db, office):
    member = office.types["优秀共青团员"]
    with db.transaction() as session:
        set_setting(session, "certificate_number_pattern", "荣〔{year}〕{seq}号")
        ids = [
            create_honour(session, HonourInput(honour_type_id=member, year=2025, person_id=p)).id
            for p in (office.young, office.old)
        ]
        create_honour(
            session,
            HonourInput(
                honour_type_id=member,
                year=2025,
                person_id=office.new_member,
                certificate_number="荣〔2025〕1号",
            ),
        )
        assert commendations.assign_certificate_numbers(session, ids) == 2
        numbers = [session.get(Honour, i).certificate_number for i in ids]

    assert numbers == ["荣〔2025〕2号", "荣〔2025〕3号"]
