"""The annual statistics equal what a clerk would count by hand in the demo office's records.

Every expected figure here is counted independently: whole rows loaded and filtered in Python,
not the SQL the statistics use.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from desk_league.data.models import (
    Activity,
    Honour,
    InfoReport,
    Organisation,
    PlanItem,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import (
    ActivityStatus,
    HonourStatus,
    InfoReportStatus,
    OrgKind,
    PlanItemKind,
    ServiceStatus,
    TermStatus,
    VolunteerStatus,
)
from desk_league.domain.stars import star_level
from desk_league.services.members import member_counts
from desk_league.services.organisations import term_end
from desk_league.services.statistics import annual_statistics, export_annual_statistics

DEMO_TODAY = date(2026, 11, 26)
YEAR = 2026


@pytest.fixture
def stats(demo_db):
    with demo_db.reading() as session:
        return annual_statistics(session, YEAR, DEMO_TODAY)


def _in_year(d: date | None) -> bool:
    return d is not None and d.year == YEAR


def _unit_of(volunteer: Volunteer) -> str:
    org = volunteer.person.organisation
    return org.unit if org and org.unit else "未填写单位"


def test_plan_completion_counts_every_task_of_the_year_by_status(demo_db, stats):
    with demo_db.reading() as session:
        tasks = [
            t
            for t in session.scalars(select(PlanItem))
            if t.kind == PlanItemKind.TASK and t.plan.year == YEAR
        ]
        expected = Counter(t.status for t in tasks)
    assert sum(r["tasks"] for r in stats.plan) == len(tasks) == 33
    for status, n in expected.items():
        assert sum(r[status] for r in stats.plan) == n
    assert [r["section"] for r in stats.plan][0] == "一、继续巩固团员青年思想道德基础"


def test_activities_per_category_and_month_count_held_activities_only(demo_db, stats):
    with demo_db.reading() as session:
        held = [
            a
            for a in session.scalars(select(Activity))
            if a.status == ActivityStatus.DONE and _in_year(a.start_date) and a.deleted_at is None
        ]
        by_cell = Counter((a.category, a.start_date.month) for a in held)
        participants = sum(a.participant_count for a in held)
    assert held, "the demo office held activities this year"
    for row in stats.activities:
        for month in range(1, 13):
            assert row[f"m{month}"] == by_cell[(row["category"], month)]
        assert row["total"] == sum(row[f"m{m}"] for m in range(1, 13))
    assert sum(r["total"] for r in stats.activities) == len(held)
    assert sum(r["participants"] for r in stats.activities) == participants


def test_volunteer_hours_per_unit_count_approved_records_of_the_year(demo_db, stats):
    with demo_db.reading() as session:
        records = [
            r
            for r in session.scalars(select(ServiceRecord))
            if r.status == ServiceStatus.APPROVED
            and _in_year(r.served_on)
            and r.volunteer.deleted_at is None
        ]
        hours, count, people = defaultdict(float), Counter(), defaultdict(set)
        for record in records:
            unit = _unit_of(record.volunteer)
            hours[unit] += record.hours
            count[unit] += 1
            people[unit].add(record.volunteer_id)
        registered = Counter(
            _unit_of(v)
            for v in session.scalars(select(Volunteer))
            if v.status == VolunteerStatus.ACTIVE and v.deleted_at is None
        )
        total_hours = sum(r.hours for r in records)
    rows = {r["unit"]: r for r in stats.volunteers}
    assert set(rows) == set(hours) | set(registered)
    for unit, row in rows.items():
        assert row["hours"] == pytest.approx(hours[unit])
        assert row["records"] == count[unit]
        assert row["active"] == len(people[unit])
        assert row["registered"] == registered[unit]
    assert sum(r["hours"] for r in stats.volunteers) == pytest.approx(total_hours)


def test_pending_and_void_hours_never_count(demo_db, stats):
    with demo_db.reading() as session:
        not_approved = [
            r
            for r in session.scalars(select(ServiceRecord))
            if r.status != "approved" and _in_year(r.served_on)
        ]
        approved = sum(
            r.hours
            for r in session.scalars(select(ServiceRecord))
            if r.status == ServiceStatus.APPROVED and _in_year(r.served_on)
        )
    assert not_approved
    assert sum(r["hours"] for r in stats.volunteers) == pytest.approx(approved)


def test_star_levels_cover_every_registered_volunteer(demo_db, stats):
    with demo_db.reading() as session:
        totals = defaultdict(float)
        for record in session.scalars(select(ServiceRecord)):
            if record.status == ServiceStatus.APPROVED and record.served_on.year <= YEAR:
                totals[record.volunteer_id] += record.hours
        volunteers = [
            v
            for v in session.scalars(select(Volunteer))
            if v.status == VolunteerStatus.ACTIVE and v.deleted_at is None
        ]
        levels = Counter(star_level(totals[v.id]) for v in volunteers)
    assert [r["volunteers"] for r in stats.stars] == [levels[n] for n in range(6)]
    assert sum(r["volunteers"] for r in stats.stars) == sum(
        r["registered"] for r in stats.volunteers
    )


def test_honours_count_those_granted_in_the_year_by_type_and_level(demo_db, stats):
    with demo_db.reading() as session:
        won = [
            h
            for h in session.scalars(select(Honour))
            if h.status == HonourStatus.ACTIVE
            and h.deleted_at is None
            and (_in_year(h.granted_on) or (h.granted_on is None and h.year == YEAR))
        ]
        expected = Counter((h.honour_type.name, h.level) for h in won)
    assert len(won) == 40  # the 2025年度 batch, decided in April 2026
    got = {
        (r["type"], level): r[level]
        for r in stats.honours
        for level in ("国家级", "省级", "市级", "系统级", "单位级")
    }
    assert {k: v for k, v in got.items() if v} == dict(expected)


def test_organisations_and_terms_match_the_tree(demo_db, stats):
    with demo_db.reading() as session:
        orgs = [o for o in session.scalars(select(Organisation)) if o.deleted_at is None]
        label = OrgKind.label_of  # the statistics name each kind as the clerk reads it
        overdue = Counter(
            label(o.kind) for o in orgs if (end := term_end(session, o)) and end < DEMO_TODAY
        )
        missing = Counter(label(o.kind) for o in orgs if o.term_start is None)
        elected = Counter(label(o.kind) for o in orgs if _in_year(o.term_start))
        members = sum(member_counts(session).values())
    rows = {r["kind"]: r for r in stats.organisations}
    assert sum(r["count"] for r in stats.organisations) == len(orgs)
    assert sum(r["members"] for r in stats.organisations) == members
    for kind, row in rows.items():
        assert row[TermStatus.OVERDUE] == overdue[kind]
        assert row[TermStatus.MISSING] == missing[kind]
        assert row["elected"] == elected[kind]
        assert row["count"] == sum(row[s] for s in TermStatus)


def test_information_reports_are_tallied_per_unit(demo_db, stats):
    with demo_db.reading() as session:
        reports = [r.status for r in session.scalars(select(InfoReport)) if _in_year(r.reported_on)]
    assert sum(r["submitted"] for r in stats.info_reports) == len(reports)
    assert sum(r["adopted"] for r in stats.info_reports) == reports.count(InfoReportStatus.ADOPTED)


def _sheet_rows(sheet) -> tuple[list[str], list[tuple], tuple]:
    """Header, data rows and the 合计 row of a register sheet (the header follows the title,
    the office line and the notes saying what the sheet counts)."""
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    start = next(i for i, row in enumerate(rows) if sum(v is not None for v in row) > 1)
    header = list(rows[start])
    end = next((i for i, row in enumerate(rows) if i > start and "合计" in row), None)
    if end is None:  # a sheet without totals (汇总): its rows run to the signature line
        end = next(i for i, row in enumerate(rows) if i > start and not any(row))
        return header, rows[start + 1 : end], ()
    return header, rows[start + 1 : end], rows[end]


def test_workbook_totals_equal_the_sums_of_its_detail_sheets(demo_db, stats, tmp_path):
    out = tmp_path / "年度统计.xlsx"
    with demo_db.reading() as session:
        export_annual_statistics(session, out, year=YEAR, today=DEMO_TODAY)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "汇总",
        "计划完成情况",
        "活动统计",
        "志愿服务",
        "志愿者星级",
        "荣誉统计",
        "青年文明号",
        "团组织与换届",
        "推优",
        "信息报送",
    ]
    summary = {}
    _, rows, _ = _sheet_rows(book["汇总"])
    for _area, item, count, hours, sheet in rows:
        summary[item] = (count if count is not None else hours, sheet)
    for item, (value, sheet_name) in summary.items():
        header, rows, total = _sheet_rows(book[sheet_name])
        column = {
            "计划任务（项）": "任务数",
            "已完成任务（项）": "已完成",
            "开展活动（次）": "合计",
            "参与人次": "参与人次",
            "在册志愿者（名）": "在册志愿者",
            "参加服务的志愿者（名）": "参加服务",
            "其中在册志愿者（名）": "其中在册",
            "服务不足20小时的在册志愿者（名）": "在册不足20小时",
            "经审核的服务记录（条）": "服务记录（条）",
            "经审核的服务时长（小时）": "服务时长（小时）",
            "待审核时长（小时，未计入）": "待审核时长（未计入）",
            "荣誉（项）": "合计",
            "其中本级表彰（项）": "其中本级表彰",
            "其中获得上级荣誉（项）": "其中上级荣誉",
            "青年文明号（个）": "集体数",
            "受到警示、降星或撤销（个）": "警示/降星/撤销",
            "团组织（个）": "数量",
            "团员（名）": "团员数",
            "完成换届（个）": "完成换届",
            "超期未换届（个）": "换届状态：已超期",
            "推优（人）": "人数",
            "报送信息（条）": "报送（条）",
            "被采用信息（条）": "采用（条）",
        }[item]
        at = header.index(column)
        assert total[at] == pytest.approx(sum(row[at] or 0 for row in rows)), (sheet_name, column)
        assert value == pytest.approx(total[at]), item
    # and the summary says what was counted independently above
    assert summary["经审核的服务时长（小时）"][0] == pytest.approx(
        sum(r["hours"] for r in stats.volunteers)
    )
    assert summary["荣誉（项）"][0] == summary["其中本级表彰（项）"][0] == 40
    assert summary["计划任务（项）"][0] == 33


def test_a_year_without_records_gives_a_workbook_of_zeros(db, tmp_path):
    out = tmp_path / "空.xlsx"
    with db.reading() as session:
        export_annual_statistics(session, out, year=2030, today=DEMO_TODAY)
    book = openpyxl.load_workbook(out)
    _, rows, total = _sheet_rows(book["活动统计"])
    assert rows and all(v in (0, None) for v in total[1:])
