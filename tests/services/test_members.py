"""The member register: one person in several roles, the ages of the 团章, 书记 from the posts,
推优 with its stages, and the counts per organisation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from desk_league.data.models import LeagueMember, LeaguePost, Organisation, Person, Volunteer
from desk_league.domain.codes import (
    LeaguePostKind,
    MemberStatus,
    OrgKind,
    PoliticalStatus,
    RecommendationStage,
)
from desk_league.errors import Conflict, ValidationError
from desk_league.services import members, recommendations
from desk_league.services.listing import ListQuery
from desk_league.services.members import MemberInput, PostInput
from desk_league.services.organisations import (
    OrganisationInput,
    create_organisation,
    organisation_form,
    organisation_register_rows,
    update_organisation,
)
from desk_league.services.people import PersonInput
from desk_league.services.recommendations import RecommendationInput
from desk_league.services.volunteers import VolunteerInput, register_volunteer
from tests.imports._rosters import make_id as ident

TODAY = date(2026, 11, 26)
LEAGUE = PoliticalStatus.LEAGUE_MEMBER


def _branch(session, name: str = "市人民医院内科团支部") -> int:
    return create_organisation(session, OrganisationInput(name, kind=OrgKind.BRANCH)).id


def _member(
    session,
    name: str,
    birth: date,
    org_id: int,
    *,
    political: str = LEAGUE,
    posts: list[PostInput] | None = None,
    seq: int = 1,
) -> int:
    person = PersonInput(
        name=name,
        id_number=ident(birth, seq),
        organisation_id=org_id,
        political_status=political,
        league_joined_on=date(birth.year + 15, 5, 4),
    )
    return members.add_member(session, MemberInput(person, posts=posts or []), TODAY).id


def _person_id(session, member_id: int) -> int:
    return session.get(LeagueMember, member_id).person_id


def test_a_volunteer_registered_as_a_member_is_one_person_with_both_roles(db):
    with db.transaction() as session:
        branch = _branch(session)
        person = PersonInput(
            name="王小明", id_number=ident(date(2000, 1, 1), 7), phone="13912345678"
        )
        register_volunteer(session, VolunteerInput(person=person), TODAY)
        again = PersonInput(
            name="王小明",
            id_number=ident(date(2000, 1, 1), 7),
            organisation_id=branch,
            political_status="团员",  # the word offices write reads as 共青团员
            league_joined_on=date(2015, 5, 4),
            phone="13912345678",
        )
        members.add_member(session, MemberInput(again, number="T001"), TODAY)
        with pytest.raises(Conflict, match="已在团员名册中"):
            members.add_member(session, MemberInput(again), TODAY)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1
        row = next(members.members_listing(TODAY).iter_rows(session, ListQuery()))
    assert row["volunteer"].startswith("WJ") and row["political"] == "共青团员"


def test_joining_before_14_is_refused_on_the_form(db):
    with db.transaction() as session:
        branch = _branch(session)
        person = PersonInput(
            name="小明",
            id_number=ident(date(2010, 5, 4), 1),
            organisation_id=branch,
            league_joined_on=date(2024, 5, 3),
        )
        with pytest.raises(ValidationError, match="入团须年满14周岁") as error:
            members.add_member(session, MemberInput(person), TODAY)
    assert error.value.field == "入团日期"


def test_members_reaching_28_are_listed_and_post_holders_keep_their_membership(db):
    with db.transaction() as session:
        branch = _branch(session)
        aged = _member(session, "刚满二十八", date(1998, 11, 26), branch, seq=1)
        _member(session, "年底满", date(1998, 12, 30), branch, seq=2)
        _member(session, "二十五岁", date(2001, 1, 1), branch, seq=3)
        secretary = PostInput(branch, LeaguePostKind.SECRETARY, date(2024, 1, 1))
        kept = _member(session, "团支书", date(1996, 3, 1), branch, posts=[secretary], seq=4)
    listing = members.members_listing(TODAY)
    query = ListQuery(filters={"status": MemberStatus.ACTIVE, "age_out": 2026})
    with db.reading() as session:
        notes = {r["name"]: r["age_warning"] for r in listing.iter_rows(session, query)}
        counts_before = members.member_counts(session)[branch]
    assert notes == {
        "刚满二十八": "已满28周岁，应办理离团",
        "年底满": "今年满28周岁",
        "团支书": "已满28周岁（任团内职务，保留团籍）",
    }

    with db.transaction() as session:
        result = members.record_leaving(session, [aged, kept], TODAY, today=TODAY)
    assert result.left == ["刚满二十八"]
    assert result.kept == ["团支书：现任团内职务，按团章保留团籍"]
    with db.reading() as session:
        assert members.member_counts(session)[branch] == counts_before - 1
        gone = session.get(LeagueMember, aged)
        assert (gone.status, gone.left_on) == (MemberStatus.AGED_OUT, TODAY)  # history kept
        everyone = listing.count(session, ListQuery())  # the 全部 filter still shows them
    assert everyone == 4


def test_the_secretary_chosen_on_the_organisation_form_holds_the_post(db):
    with db.transaction() as session:
        branch = _branch(session)
        first = _member(session, "甲", date(2000, 1, 1), branch, seq=1)
        second = _member(session, "乙", date(2001, 1, 1), branch, seq=2)
        first_person, second_person = _person_id(session, first), _person_id(session, second)
    for person, day in ((first_person, date(2025, 1, 1)), (second_person, TODAY)):
        with db.transaction() as session:  # the form opened, a 书记 chosen, saved
            data = organisation_form(session, branch)
            data.secretary_id = person
            update_organisation(session, branch, data, day)
    with db.reading() as session:
        posts = session.execute(
            select(LeaguePost.person_id, LeaguePost.started_on, LeaguePost.ended_on).order_by(
                LeaguePost.id
            )
        ).all()
        secretary = session.get(Organisation, branch).secretary_id
    assert posts == [
        (first_person, date(2025, 1, 1), TODAY),
        (second_person, TODAY, None),
    ]
    assert secretary == second_person


def test_a_post_added_on_the_member_form_makes_the_secretary_and_ending_it_clears_it(db):
    with db.transaction() as session:
        branch = _branch(session)
        post = PostInput(branch, "团支部书记", date(2025, 3, 1))  # an alias of 书记
        member_id = _member(session, "丙", date(2000, 1, 1), branch, posts=[post])
        assert session.get(Organisation, branch).secretary_id == _person_id(session, member_id)
        data = members.member_input(session, member_id)
        data.posts[0].ended_on = date(2026, 3, 1)
        members.update_member(session, member_id, data, TODAY)
        assert session.get(Organisation, branch).secretary_id is None


def test_a_secretary_must_be_a_member_on_the_register(db):
    with db.transaction() as session:
        branch = _branch(session)
        outsider = register_volunteer(
            session, VolunteerInput(person=PersonInput(name="丁", organisation_id=branch)), TODAY
        ).person_id
        data = organisation_form(session, branch)
        data.secretary_id = outsider
        with pytest.raises(ValidationError, match="团员名册"):
            update_organisation(session, branch, data, TODAY)


def test_deleting_a_member_keeps_the_person_and_their_volunteer_role(db):
    with db.transaction() as session:
        branch = _branch(session)
        member_id = _member(session, "戊", date(2000, 1, 1), branch)
        person = session.get(LeagueMember, member_id).person
        register_volunteer(
            session,
            VolunteerInput(person=PersonInput(name="戊", id_number=person.id_number)),
            TODAY,
        )
        members.delete_member(session, member_id, TODAY)
    with db.reading() as session:
        assert members.member_counts(session) == {}
        assert session.scalar(select(func.count()).select_from(Volunteer)) == 1
        assert session.get(Person, person.id).deleted_at is None


def test_member_counts_per_organisation_come_from_the_register(db):
    with db.transaction() as session:
        a, b = _branch(session, "甲团支部"), _branch(session, "乙团支部")
        for n in range(3):
            _member(session, f"甲{n}", date(2000, 1, 1 + n), a, seq=n)
        _member(session, "乙0", date(2001, 2, 2), b)
        rows = {r["name"]: r["member_count"] for r in organisation_register_rows(session, TODAY)}
    assert rows == {"甲团支部": 3, "乙团支部": 1}


# --- 推优 ---------------------------------------------------------------------------------------


def test_recommendation_refuses_a_party_member_and_a_17_year_old_naming_why(db):
    with db.transaction() as session:
        branch = _branch(session)
        party = _person_id(
            session,
            _member(session, "党员甲", date(1999, 1, 1), branch, political="中共党员", seq=1),
        )
        young = _person_id(session, _member(session, "小乙", date(2009, 6, 1), branch, seq=2))
        for person_id, reason in [
            (party, "党员甲不能推优：政治面貌为“中共党员”，推优对象须为共青团员。"),
            (young, "小乙不能推优：2026-11-26时17周岁，未满18周岁。"),
        ]:
            with pytest.raises(ValidationError) as error:
                recommendations.create_recommendation(
                    session, RecommendationInput(person_id, branch, TODAY), TODAY
                )
            assert str(error.value.reason) == reason and error.value.field == "姓名"


def test_the_stages_follow_in_order_and_the_political_status_follows_them(db):
    with db.transaction() as session:
        branch = _branch(session)
        person = _person_id(session, _member(session, "李青", date(2000, 4, 1), branch))
        data = RecommendationInput(person, branch, date(2025, 3, 1))
        rec = recommendations.create_recommendation(session, data, TODAY)
        data.candidate_on = date(2025, 2, 1)  # before the 推优 itself
        with pytest.raises(ValidationError, match="早于推优日期"):
            recommendations.update_recommendation(session, rec.id, data, TODAY)
        data.activist_on, data.candidate_on = date(2025, 5, 1), date(2026, 3, 1)
        data.probationary_on = date(2026, 9, 1)
        recommendations.update_recommendation(session, rec.id, data, TODAY)
        with pytest.raises(Conflict, match="已于 2025-03-01 推优"):
            recommendations.create_recommendation(
                session, RecommendationInput(person, branch, date(2026, 1, 1)), TODAY
            )
    with db.reading() as session:
        rec = session.get(type(rec), rec.id)
        assert rec.stage == RecommendationStage.PROBATIONARY
        assert session.get(Person, person).political_status == PoliticalStatus.PROBATIONARY
        row = next(recommendations.RECOMMENDATIONS.iter_rows(session, ListQuery(), labelled=True))
    assert (row["name"], row["stage"]) == ("李青", "预备党员")


def test_the_recommendation_register_exports_every_stage(db, tmp_path):
    from openpyxl import load_workbook

    with db.transaction() as session:
        branch = _branch(session)
        person = _person_id(session, _member(session, "李青", date(2000, 4, 1), branch))
        recommendations.create_recommendation(
            session,
            RecommendationInput(person, branch, date(2026, 3, 1), activist_on=date(2026, 9, 1)),
            TODAY,
        )
        path = recommendations.export_recommendation_register(
            session, tmp_path / "推优.xlsx", year=2026, today=TODAY
        )
    sheet = load_workbook(path).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "2026年度推优入党推荐对象名册"
    header = next(row for row in values if row[0] == "序号")
    data = values[values.index(header) + 1]
    assert data[header.index("姓名")] == "李青"
    assert data[header.index("当前阶段")] == "入党积极分子"
