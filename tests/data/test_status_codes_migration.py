"""Migration 0004: an office database from before it, with statuses stored as Chinese words,
opens with codes (the next start upgrades it), and a downgrade gives the words back.

(The 0003 rows are written through the tables as 0003 made them: the models have moved on.
A 推优 outcome has been a stage since 0007; its words still come back on the way down.)"""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, create_engine, select, text
from sqlalchemy.orm import Session

from desk_league.data import migrate
from desk_league.data.db import open_database
from desk_league.data.models import (
    Activity,
    Honour,
    HonourReview,
    HonourType,
    Nomination,
    Organisation,
    Plan,
    PlanItem,
    Setting,
    Volunteer,
)
from desk_league.data.sqlite_files import engine_url
from tests.data._schema import written_by_todays_models

# the NOT NULL columns of a 0003 person row, as the old program filled them
PERSON_0003 = {
    "gender": "",
    "id_type": "居民身份证",
    "phone": "",
    "department": "",
    "political_status": "",
    "league_post": "",
    "note": "",
}

# what a 0003 database holds, as the old program wrote it
OLD_WORDS = {
    "organisation": ["团委", "团总支", "团支部"],
    "volunteer": ["在册", "暂停", "注销"],
    "plan_item": ["未开始", "进行中", "已完成", "已取消"],
    "activity": ["计划中", "已完成", "已取消"],
    "honour": ["推荐", "授予", "撤销"],
    "nomination": ["提名", "通过", "未通过"],
    "recommendation": ["已推荐", "列为入党积极分子", "已转入其他支部"],  # the last: typed in
}
NEW_CODES = {
    "organisation": ["council", "general", "branch"],
    "volunteer": ["active", "paused", "closed"],
    "plan_item": ["todo", "ongoing", "done", "cancelled"],
    "activity": ["planned", "done", "cancelled"],
    "honour": ["draft", "active", "void"],
    "nomination": ["nominated", "passed", "rejected"],
    "recommendation": ["recommended", "activist", "recommended"],  # 0007: the stage reached
}
# (kind, result) of 青年文明号 reviews: a sanction used to repeat its kind as its result
OLD_REVIEWS = [
    ("年审", "合格"),
    ("复核", "不合格"),
    ("警示", "警示"),
    ("降星", "降星"),
    ("升星", "升星"),
]
NEW_REVIEWS = [
    ("annual", "pass"),
    ("cycle", "fail"),
    ("warning", ""),
    ("star_down", ""),
    ("star_up", ""),
]


@pytest.fixture
def old_office(db_path):
    """A database built to 0003 holding one record per old word."""
    engine = create_engine(engine_url(db_path))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003")
    old = MetaData()
    old_person = Table("person", old, autoload_with=engine)
    old_org = Table("organisation", old, autoload_with=engine)
    old_rec = Table("league_recommendation", old, autoload_with=engine)
    old_batch = Table("commendation", old, autoload_with=engine)
    with written_by_todays_models(engine), Session(engine) as session, session.begin():
        org_ids = [
            session.execute(
                old_org.insert().values(
                    kind=kind, name=f"{kind}{i}", position=i, unit="", short_name="",
                    contact="", phone="", member_count=0, note="",
                )
            ).inserted_primary_key[0]
            for i, kind in enumerate(OLD_WORDS["organisation"])
        ]  # fmt: skip
        for i, status in enumerate(OLD_WORDS["volunteer"]):
            person_id = session.execute(
                old_person.insert().values(
                    **PERSON_0003, name=f"志愿者{i}", organisation_id=org_ids[2]
                )
            ).inserted_primary_key[0]
            session.add(Volunteer(person_id=person_id, number=f"WJ{i}", status=status))
            session.execute(
                old_rec.insert().values(
                    person_id=person_id,
                    recommended_on=date(2024, 6, 1),
                    outcome=OLD_WORDS["recommendation"][i],
                    note="",
                )
            )
        plan = Plan(year=2024, title="2024年工作计划", status="issued")
        session.add(plan)
        session.flush()
        for i, status in enumerate(OLD_WORDS["plan_item"]):
            session.add(PlanItem(plan_id=plan.id, title=f"事项{i}", position=i, status=status))
        for i, status in enumerate(OLD_WORDS["activity"]):
            session.add(Activity(title=f"活动{i}", start_date=date(2024, 5, i + 1), status=status))
        kind = HonourType(name="青年文明号", recipient_kind="collective")
        session.add(kind)
        batch_id = session.execute(
            old_batch.insert().values(
                title="2024年度表彰", year=2024, document_number="", granting_body="",
                status="draft", note="",
            )
        ).inserted_primary_key[0]  # fmt: skip
        session.flush()
        for i, status in enumerate(OLD_WORDS["honour"]):
            honour = Honour(
                honour_type_id=kind.id, year=2024, collective_name=f"集体{i}", status=status
            )
            session.add(honour)
            session.flush()
        for i, status in enumerate(OLD_WORDS["nomination"]):
            session.add(
                Nomination(
                    commendation_id=batch_id,
                    honour_type_id=kind.id,
                    collective_name=f"集体{i}",
                    status=status,
                )
            )
        for i, (review_kind, result) in enumerate(OLD_REVIEWS):
            session.add(
                HonourReview(
                    honour_id=honour.id,
                    reviewed_on=date(2024, 12, i + 1),
                    kind=review_kind,
                    result=result,
                    reason="" if result in ("合格", "不合格") else "原因",
                )
            )
        session.add(Setting(key="term_years", value={"团委": 4, "团总支": 3, "团支部": 1}))
    yield engine
    engine.dispose()


def _stored(engine) -> dict:
    with Session(engine) as session:
        return {
            "organisation": list(session.scalars(select(Organisation.kind).order_by("id"))),
            "volunteer": list(session.scalars(select(Volunteer.status).order_by("id"))),
            "plan_item": list(session.scalars(select(PlanItem.status).order_by("id"))),
            "activity": list(session.scalars(select(Activity.status).order_by("id"))),
            "honour": list(session.scalars(select(Honour.status).order_by("id"))),
            "nomination": list(session.scalars(select(Nomination.status).order_by("id"))),
            "recommendation": list(
                session.scalars(
                    text(f"SELECT {_outcome(engine)} FROM league_recommendation ORDER BY id")
                )
            ),
            "reviews": [
                tuple(row)
                for row in session.execute(
                    select(HonourReview.kind, HonourReview.result).order_by("id")
                )
            ],
            "term_years": session.get(Setting, "term_years").value,
        }


def _outcome(engine) -> str:
    """The column a 推优 record keeps how far it came in: a stage from 0007 on."""
    columns = Table("league_recommendation", MetaData(), autoload_with=engine).c
    return "stage" if "stage" in columns else "outcome"


def test_an_old_database_opens_with_codes_where_it_had_words(old_office, db_path):
    open_database(db_path).close()  # the next start: a backup, then the upgrade

    stored = _stored(old_office)
    assert {key: stored[key] for key in NEW_CODES} == NEW_CODES
    assert stored["reviews"] == NEW_REVIEWS
    assert stored["term_years"] == {"council": 4, "general": 3, "branch": 1}
    assert migrate.current_revision(old_office) == migrate.head_revision()
    with old_office.connect() as conn:
        notes = conn.execute(text("SELECT note FROM league_recommendation ORDER BY id")).scalars()
        assert [n for n in notes if n][-1] == "原结果：已转入其他支部"  # kept, not lost


def test_downgrading_gives_the_words_back(old_office, db_path):
    open_database(db_path).close()
    with old_office.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0003")

    stored = _stored(old_office)
    assert {key: stored[key] for key in OLD_WORDS} == OLD_WORDS
    assert stored["reviews"] == OLD_REVIEWS
    assert stored["term_years"] == {"团委": 4, "团总支": 3, "团支部": 1}


def test_the_upgraded_office_keeps_its_term_lengths(old_office, db_path):
    from desk_league.domain.league import term_rule_label
    from desk_league.services.organisations import term_years_setting

    database = open_database(db_path)
    with database.reading() as session:
        years = term_years_setting(session)
    database.close()
    assert {term_rule_label(kind): n for kind, n in years.items()} == {
        "团委": 4,
        "团总支": 3,
        "团支部": 1,  # as the office chose before the 团章's ranges were checked
        "学生团支部": 1,
    }
