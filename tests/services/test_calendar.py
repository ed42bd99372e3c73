"""Key dates through the year: lunar festivals land right, reminders come in time, gaps are flagged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk_league.data.models import KeyDate, Plan, PlanItem
from desk_league.errors import ValidationError
from desk_league.services.activities import ActivityInput, create_activity
from desk_league.services.calendar import (
    KeyDateInput,
    calendar_year_rows,
    create_key_date,
    key_dates_of_year,
    month_calendar,
    nodes_without_activity,
    upcoming,
)

# Published in the State Council holiday notices and printed calendars (not from lunar_python).
PUBLISHED = {
    2024: {"春节": "2024-02-10", "重阳节（老年节）": "2024-10-11"},
    2025: {"春节": "2025-01-29", "重阳节（老年节）": "2025-10-29"},
    2026: {"春节": "2026-02-17", "重阳节（老年节）": "2026-10-18"},
    2027: {"春节": "2027-02-06", "重阳节（老年节）": "2027-10-08"},
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_seeded_lunar_festivals_resolve_to_the_published_days(db, year):
    with db.reading() as session:
        rows = {row["name"]: row for row in calendar_year_rows(session, year)}
    for name, expected in PUBLISHED[year].items():
        assert rows[name]["date"] == expected
        assert rows[name]["calendar"] == "lunar"
    assert rows["重阳节（老年节）"]["rule"] == "农历九月初九"
    assert rows["五四青年节"] == {
        "name": "五四青年节",
        "date": f"{year}-05-04",
        "calendar": "solar",
        "rule": "公历5月4日",
        "remind_days": 30,
    }


def test_the_year_lists_all_eight_seeded_nodes_in_date_order(db):
    with db.reading() as session:
        nodes = key_dates_of_year(session, 2026)
    assert len(nodes) == 8
    assert [n.on for n in nodes] == sorted(n.on for n in nodes)
    assert nodes[0].name == "春节"


def test_a_key_date_needs_a_name_and_a_real_day(db):
    with db.transaction() as session:
        with pytest.raises(ValidationError) as error:
            create_key_date(session, KeyDateInput("", "solar", 5, 4))
        assert error.value.field == "节点名称"
        with pytest.raises(ValidationError, match="公历没有2月30日"):
            create_key_date(session, KeyDateInput("错误", "solar", 2, 30))
        with pytest.raises(ValidationError, match="初一到三十"):
            create_key_date(session, KeyDateInput("错误", "lunar", 8, 31))
        mid_autumn = create_key_date(session, KeyDateInput("中秋节", "lunar", 8, 15, remind_days=7))
        assert mid_autumn.id


def test_a_node_inside_its_own_reminder_window_is_listed_even_beyond_the_chosen_days(db):
    with db.reading() as session:
        items = upcoming(session, date(2026, 2, 1), days=7)
    spring = [i for i in items if i.name == "春节"]
    assert spring and spring[0].remind and spring[0].days_left == 16
    assert spring[0].flag == "尚未安排活动"


def test_a_node_with_an_activity_is_not_flagged(db):
    with db.transaction() as session:
        may_fourth = session.scalar(select(KeyDate).where(KeyDate.name == "五四青年节"))
        create_activity(
            session, ActivityInput("五四表彰大会", date(2026, 5, 4), key_date_id=may_fourth.id)
        )
    with db.reading() as session:
        items = upcoming(session, date(2026, 4, 20), days=30)
    node = next(i for i in items if i.name == "五四青年节")
    assert node.remind and node.flag == ""
    assert any(i.kind == "activity" and i.name == "五四表彰大会" for i in items)


def _plan_task_for(session, key_date_name: str) -> PlanItem:
    key_date = session.scalar(select(KeyDate).where(KeyDate.name == key_date_name))
    plan = Plan(year=2026, title="2026年工作计划")
    session.add(plan)
    session.flush()
    task = PlanItem(
        plan_id=plan.id,
        kind="task",
        title="九九老人节期间开展志愿者服务老年人活动",
        key_date_id=key_date.id,
    )
    session.add(task)
    session.flush()
    return task


def test_a_node_the_plan_counts_on_without_an_activity_is_flagged_until_one_is_recorded(db):
    with db.transaction() as session:
        task = _plan_task_for(session, "重阳节（老年节）")
        task_id = task.id
    with db.reading() as session:
        flags = nodes_without_activity(session, 2026)
        october = month_calendar(session, 2026, 10)
    assert [(f.name, f.on) for f in flags] == [("重阳节（老年节）", date(2026, 10, 18))]
    assert "尚无活动" in flags[0].reason
    assert october[date(2026, 10, 18)].flags
    with db.transaction() as session:
        create_activity(
            session,
            ActivityInput(
                "重阳节敬老志愿服务",
                date(2026, 10, 17),
                category="志愿服务",
                plan_item_ids=[task_id],
            ),
        )
    with db.reading() as session:
        assert nodes_without_activity(session, 2026) == []


def test_a_multi_day_activity_shows_on_every_day_of_the_month(db):
    with db.transaction() as session:
        create_activity(
            session,
            ActivityInput(
                "跨月培训", date(2026, 6, 29), end_date=date(2026, 7, 2), category="培训"
            ),
        )
    with db.reading() as session:
        july = month_calendar(session, 2026, 7)
        june = month_calendar(session, 2026, 6)
    assert [d for d, day in july.items() if day.activities] == [date(2026, 7, 1), date(2026, 7, 2)]
    assert date(2026, 6, 29) in june and date(2026, 6, 30) in june
    assert july[date(2026, 7, 1)].key_dates[0].name == "建党节"
