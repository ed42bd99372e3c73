"""Every form saves over the version it loaded: when another PC saved the same record after the
form opened, the form's save is refused (“该记录已被其他电脑修改”) and the other PC's change
stays. One row per kind of record a clerk edits, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest

from desk_league.data.models import LeagueMember, Person, PlanItem
from desk_league.errors import StaleRecord
from desk_league.services import (
    activities,
    calendar,
    commendations,
    honour_certificates,
    honours,
    info_reports,
    members,
    organisations,
    people,
    plan_editing,
    recommendations,
    service_hours,
    volunteers,
)
from tests.imports._rosters import make_id

TODAY = date(2026, 11, 26)


@dataclass
class Form:
    """How a clerk edits one kind of record: make one, load the form, change it, save it."""

    create: Any  # session -> record id
    load: Any  # (session, id) -> the form's data, with its version
    change: Any  # (data, text) -> data with a visible change
    save: Any  # (session, id, data) -> None
    read: Any  # (session, id) -> the changed value as stored


def _org(session) -> int:
    data = organisations.OrganisationInput("市人民医院团委", unit="市人民医院")
    return organisations.create_organisation(session, data).id


def _person(session) -> int:
    person = people.PersonInput(name="张晓燕", id_number=make_id(date(1998, 5, 4), 1))
    return people.create_person(session, person, TODAY).id


def _member(session) -> int:
    person = people.PersonInput(
        name="王青", id_number=make_id(date(2000, 5, 4), 3), political_status="共青团员"
    )
    return members.add_member(session, members.MemberInput(person), TODAY).id


def _volunteer(session) -> int:
    person = people.PersonInput(name="李明", id_number=make_id(date(1997, 5, 4), 2))
    data = volunteers.VolunteerInput(person=person, registered_on=date(2026, 3, 5))
    return volunteers.register_volunteer(session, data, today=TODAY).id


def _record(session) -> int:
    data = service_hours.ServiceRecordInput(_volunteer(session), date(2026, 9, 1), 2, "义诊")
    return service_hours.add_service_record(session, data).id


def _plan_item(session) -> int:
    plan = plan_editing.create_plan(session, 2026)
    return plan_editing.add_plan_item(session, plan.id, "青年文明号创建").id


def _honour_type_id(session) -> int:
    return next(t.id for t in honours.honour_types(session) if t.name == "青年文明号")


FORMS = {
    "团组织": Form(
        _org,
        organisations.organisation_form,
        lambda d, t: replace(d, note=t),
        organisations.update_organisation,
        lambda s, i: organisations.organisation_form(s, i).note,
    ),
    "人员": Form(
        _person,
        lambda s, i: people.person_input(s.get(Person, i)),
        lambda d, t: replace(d, note=t),
        lambda s, i, d: people.update_person(s, i, d, TODAY),
        lambda s, i: s.get(Person, i).note,
    ),
    "志愿者": Form(
        _volunteer,
        volunteers.volunteer_input,
        lambda d, t: replace(d, note=t),
        lambda s, i, d: volunteers.update_volunteer(s, i, d, TODAY),
        lambda s, i: volunteers.volunteer_input(s, i).note,
    ),
    "志愿服务记录": Form(
        _record,
        service_hours.service_record_input,
        lambda d, t: replace(d, content=t),
        service_hours.update_service_record,
        lambda s, i: service_hours.get_service_record(s, i).content,
    ),
    "活动": Form(
        lambda s: (
            activities.create_activity(
                s, activities.ActivityInput("卫生下乡义诊", date(2026, 9, 15))
            ).activity.id
        ),
        activities.activity_form,
        lambda d, t: replace(d, summary=t),
        activities.update_activity,
        lambda s, i: activities.activity_form(s, i).summary,
    ),
    "重要节点": Form(
        lambda s: calendar.create_key_date(s, calendar.KeyDateInput("院庆", month=6, day=1)).id,
        calendar.key_date_form,
        lambda d, t: replace(d, note=t),
        calendar.update_key_date,
        lambda s, i: calendar.key_date_form(s, i).note,
    ),
    "信息报送": Form(
        lambda s: (
            info_reports.create_info_report(
                s, info_reports.InfoReportInput("义诊简讯", date(2026, 9, 16), _org(s))
            ).id
        ),
        info_reports.info_report_form,
        lambda d, t: replace(d, note=t),
        info_reports.update_info_report,
        lambda s, i: info_reports.info_report_form(s, i).note,
    ),
    "荣誉": Form(
        lambda s: (
            honours.create_honour(
                s, honours.HonourInput(_honour_type_id(s), 2025, collective_name="急诊科")
            ).id
        ),
        honours.honour_input,
        lambda d, t: replace(d, note=t),
        honours.update_honour,
        lambda s, i: honours.honour_input(s, i).note,
    ),
    "表彰批次": Form(
        lambda s: (
            commendations.create_commendation(
                s, commendations.CommendationInput("2025年度表彰", 2025)
            ).id
        ),
        commendations.commendation_input,
        lambda d, t: replace(d, note=t),
        commendations.update_commendation,
        lambda s, i: commendations.commendation_input(s, i).note,
    ),
    "推优": Form(
        lambda s: (
            recommendations.create_recommendation(
                s,
                recommendations.RecommendationInput(
                    s.get(LeagueMember, _member(s)).person_id, _org(s), date(2026, 6, 1)
                ),
                TODAY,
            ).id
        ),
        recommendations.recommendation_form,
        lambda d, t: replace(d, note=t),
        lambda s, i, d: recommendations.update_recommendation(s, i, d, TODAY),
        lambda s, i: recommendations.recommendation_form(s, i).note,
    ),
    "团员": Form(
        _member,
        members.member_input,
        lambda d, t: replace(d, note=t),
        lambda s, i, d: members.update_member(s, i, d, TODAY),
        lambda s, i: members.member_input(s, i).note,
    ),
    "证书模板": Form(
        lambda s: (
            honour_certificates.save_template(
                s, honour_certificates.built_in_template("个人·横版")
            ).id
        ),
        honour_certificates.template_input,
        lambda d, t: replace(d, name=t),
        lambda s, i, d: honour_certificates.save_template(s, d, i),
        lambda s, i: honour_certificates.template_input(s, i).name,
    ),
    "计划事项": Form(
        _plan_item,
        lambda s, i: s.get(PlanItem, i).version,
        lambda version, t: (version, t),
        lambda s, i, d: plan_editing.update_plan_item(s, i, {"note": d[1]}, version=d[0]),
        lambda s, i: s.get(PlanItem, i).note,
    ),
}


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_form_saved_after_another_pc_saved_the_record_is_refused(db, kind):
    form = FORMS[kind]
    with db.transaction() as session:
        record_id = form.create(session)
    with db.reading() as session:  # this PC opens the form
        mine = form.load(session, record_id)
    with db.reading() as session:  # the other PC opens it too, and saves first
        theirs = form.load(session, record_id)
    with db.transaction() as session:
        form.save(session, record_id, form.change(theirs, "另一台电脑的修改"))

    with pytest.raises(StaleRecord, match="该记录.*已被其他电脑修改"), db.transaction() as session:
        form.save(session, record_id, form.change(mine, "本机的修改"))
    with db.reading() as session:
        assert form.read(session, record_id) == "另一台电脑的修改"
    with db.reading() as session:  # reloaded, the form saves
        fresh = form.load(session, record_id)
    with db.transaction() as session:
        form.save(session, record_id, form.change(fresh, "本机重新载入后的修改"))
    with db.reading() as session:
        assert form.read(session, record_id) == "本机重新载入后的修改"
