"""What the 总览 tells the clerk each morning, checked against the demo office's records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desk_league.data.models import (
    Honour,
    HonourReview,
    HonourType,
    Organisation,
    PlanItem,
    ServiceRecord,
)
from desk_league.domain.codes import (
    HonourStatus,
    PlanItemKind,
    PlanItemStatus,
    ReviewKind,
    ReviewResult,
)
from desk_league.services import overview

DEMO_TODAY = date(2026, 11, 26)


def test_overdue_tasks_are_open_tasks_past_their_due_date(demo_db):
    with demo_db.reading() as session:
        items = overview.overdue_tasks(session, DEMO_TODAY)
        expected = {
            t.id
            for t in session.scalars(select(PlanItem))
            if t.kind == PlanItemKind.TASK
            and t.due_date
            and t.due_date < DEMO_TODAY
            and t.status in (PlanItemStatus.TODO, PlanItemStatus.ONGOING)
        }
    assert {i.ref.id for i in items} == expected and expected
    assert all(i.ref.kind == "plan_item" and "已逾期" in i.note for i in items)
    assert [i.on for i in items] == sorted(i.on for i in items)


def test_branches_due_for_election_include_overdue_and_undated_ones(demo_db):
    with demo_db.transaction() as session:
        fresh = session.scalar(select(Organisation).where(Organisation.name == "市口腔医院团支部"))
        fresh.term_start, fresh.term_years = date(2026, 6, 1), 2
        late = session.scalar(select(Organisation).where(Organisation.name == "市急救中心团支部"))
        late.term_start, late.term_years = date(2024, 1, 10), 2
        undated = session.scalar(
            select(Organisation).where(Organisation.name == "市眼科医院团支部")
        )
        undated.term_start = None
    with demo_db.reading() as session:
        due = {i.title: i for i in overview.terms_due(session, DEMO_TODAY)}
    assert "市口腔医院团支部" not in due
    assert "已超期10个月" in due["市急救中心团支部"].note and due["市急救中心团支部"].urgent
    assert due["市眼科医院团支部"].note == "未填写换届时间"
    assert due["市急救中心团支部"].ref.kind == "organisation"


def _civilisation(
    session, name: str, reviewed_on: date | None, status: str = HonourStatus.ACTIVE
) -> None:
    kind = session.scalar(select(HonourType).where(HonourType.name == "青年文明号"))
    honour = Honour(
        honour_type=kind,
        title="青年文明号",
        level="市级",
        year=2022,
        collective_name=name,
        granted_on=date(2022, 5, 4),
        status=status,
    )
    session.add(honour)
    session.flush()
    if reviewed_on:
        session.add(
            HonourReview(
                honour_id=honour.id,
                reviewed_on=reviewed_on,
                kind=ReviewKind.ANNUAL,
                result=ReviewResult.PASS,
            )
        )


def test_civilisation_reviews_on_the_overview_are_the_honours_tabs_reminders(demo_db):
    from desk_league.services.honours import review_reminders

    with demo_db.transaction() as session:
        _civilisation(session, "市口腔医院门诊部", date(2024, 12, 1))  # not reviewed in 2026
        _civilisation(session, "市传染病医院感染科", None, status=HonourStatus.VOID)
    with demo_db.reading() as session:
        shown = overview.honour_reviews_due(session, DEMO_TODAY)
        expected = review_reminders(session, DEMO_TODAY)
    assert [(r.title, r.on, r.note) for r in shown] == [(e.name, e.due, e.text) for e in expected]
    titles = {r.title for r in shown}
    assert "市口腔医院门诊部" in titles
    assert "市传染病医院感染科" not in titles  # revoked
    assert all(r.ref.kind == "honour" for r in shown)


def test_pending_service_records_are_counted_per_unit(demo_db):
    with demo_db.reading() as session:
        lines = overview.pending_service_records(session)
        pending = sum(1 for r in session.scalars(select(ServiceRecord)) if r.status == "pending")
    assert sum(int(line.note.split(" ")[0]) for line in lines) == pending > 0


def test_upcoming_lists_key_dates_and_planned_activities_in_date_order(demo_db):
    with demo_db.reading() as session:
        items = overview.upcoming(session, DEMO_TODAY)
    assert [(i.on, i.ref.kind) for i in items] == [
        (date(2026, 12, 5), "key_date"),
        (date(2026, 12, 5), "activity"),
    ]
    assert items[0].title == "国际志愿者日" and items[0].note == "还有 9 天"


def test_year_counts_agree_with_the_annual_statistics(demo_db):
    from desk_league.services.statistics import annual_statistics

    with demo_db.reading() as session:
        counts = overview.year_counts(session, DEMO_TODAY)
        summary = {
            r["item"]: r["value"] for r in annual_statistics(session, 2026, DEMO_TODAY).summary()
        }
        charts = overview.chart_data(session, 2026)
    assert (
        counts["已开展活动"]
        == summary["开展活动（次）"]
        == sum(charts.activities_by_category.values())
    )
    assert counts["志愿服务时长"] == summary["经审核的服务时长（小时）"]
    assert (
        sum(charts.hours_by_month) == sum(charts.hours_by_unit.values()) == counts["志愿服务时长"]
    )
    honours = counts["本级表彰"] + counts["获得上级荣誉"]
    assert honours == sum(charts.honours_by_level.values()) == 40
    assert counts["本级表彰"] == 40  # the committee's own 五四 batch: not an honour it received
    assert counts["逾期计划事项"] == 4


def test_one_reading_of_the_volunteers_gives_the_figures_charts_and_reminders_alike(demo_db):
    """The 总览 reads the volunteers' hours once a refresh and hands them round: what each part
    shows is what it would have read itself, this year and a past one."""
    with demo_db.reading() as session:
        now = overview.volunteers_of_year(session, 2026, DEMO_TODAY)
        last = overview.volunteers_of_year(session, 2025, DEMO_TODAY)
        assert now and last and now != last
        for year, facts in ((2026, now), (2025, last)):
            assert overview.year_counts(session, DEMO_TODAY, year, now) == overview.year_counts(
                session, DEMO_TODAY, year
            )
            assert overview.chart_data(session, year, DEMO_TODAY, facts) == overview.chart_data(
                session, year, DEMO_TODAY
            )
        shared = overview.volunteers_under_hours(session, DEMO_TODAY, facts=now)
        assert shared == overview.volunteers_under_hours(session, DEMO_TODAY)
        assert len(shared) > 100
