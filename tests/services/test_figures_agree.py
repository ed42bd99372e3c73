"""One figure, one number: every figure that appears in more than one place — a register's
totals, the 总览, the annual workbook, the year-end summary — is the same there, on the demo and
on an office generated through the services (undated honours, revoked ones, pending and voided
hours, paused volunteers who served, units that reported nothing, a past year)."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desk_league.data.models import HonourType, Organisation
from desk_league.domain.codes import (
    ActivityStatus,
    HonourStatus,
    InfoReportStatus,
    OrgKind,
    ServiceStatus,
    VolunteerStatus,
)
from desk_league.errors import DeskLeagueError
from desk_league.services import (
    activities,
    honours,
    info_reports,
    members,
    organisations,
    overview,
    service_hours,
)
from desk_league.services import volunteers as v
from desk_league.services.common import move_to_recycle_bin
from desk_league.services.listing import ListQuery
from desk_league.services.people import PersonInput
from desk_league.services.settings import set_setting
from desk_league.services.statistics import annual_statistics, export_annual_statistics
from desk_league.services.year_end_summary import build_summary_draft
from tests.imports._rosters import make_id

TODAY = date(2026, 11, 26)


@dataclass
class Table:
    header: list[str]
    rows: list[dict]
    lines: dict[str, dict]  # total lines by their label: 合计（已审核，12条）, 待审核3条（…）


def read_register(path: Path, sheet: str | None = None) -> Table:
    book = load_workbook(path)
    cells = list((book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True))
    at = next(i for i, row in enumerate(cells) if i > 1 and sum(v is not None for v in row) > 1)
    header = [str(h) for h in cells[at]]
    rows, lines = [], {}
    for row in cells[at + 1 :]:
        if not any(v is not None for v in row):
            break
        values = dict(zip(header, row, strict=False))
        label = next((v for v in row if v is not None), None)
        if isinstance(label, str) and ("合计" in label):
            lines[label] = values
        else:
            rows.append(values)
    return Table(header, rows, lines)


def line(table: Table, start: str) -> tuple[str, dict]:
    label = next(label for label in table.lines if label.startswith(start))
    return label, table.lines[label]


def check_every_figure_agrees(database, year: int, today: date, tmp_path: Path) -> dict:
    """Export every register of ``year`` and read every figure back; return the figures."""
    with database.reading() as session:
        stats = annual_statistics(session, year, today)
        counts = overview.year_counts(session, today, year)
        charts = overview.chart_data(session, year, today)
        under = overview.volunteers_under_hours(session, today, year)
        draft = build_summary_draft(session, year, today)
        export_annual_statistics(session, tmp_path / "annual.xlsx", year=year, today=today)
        v.export_service_records_register(
            session, tmp_path / "records.xlsx", ListQuery(filters={"year": year}), today=today
        )
        v.export_hours_statistics(session, tmp_path / "hours.xlsx", year, today=today)
        activities.export_activity_register(
            session, tmp_path / "ledger.xlsx", year=year, today=today
        )
        honours.export_honour_register(
            session, tmp_path / "honours.xlsx", today=today, query=honours.year_honours_query(year)
        )
        info_reports.export_info_report_tally(
            session, tmp_path / "reports.xlsx", year=year, today=today
        )
        organisations.export_organisations_register(session, tmp_path / "orgs.xlsx", today=today)
        units = list(dict.fromkeys(o.unit or o.name for o in session.scalars(_live_orgs())))
    figure = {key: stats.figure(key) for key in (r["key"] for r in stats.summary())}
    when = "截至" if today <= date(year, 12, 31) else "全年"

    # volunteer hours: approved apart from pending and voided, everywhere
    records = read_register(tmp_path / "records.xlsx")
    label, approved = line(records, "合计（已审核")
    assert approved["时长(小时)"] == pytest.approx(figure["hours"])
    assert label == f"合计（已审核，{figure['records']:g}条）"
    pending = [r for r in records.rows if r["状态"] == ServiceStatus.PENDING.label]
    assert sum(r["时长(小时)"] for r in pending) == pytest.approx(figure["pending_hours"])
    if pending:
        assert line(records, "待审核")[1]["时长(小时)"] == pytest.approx(figure["pending_hours"])
    hours = {
        name: read_register(tmp_path / "hours.xlsx", name)
        for name in ("按志愿者", "按单位", "不足20小时")
    }
    assert line(hours["按志愿者"], "合计")[1]["本年服务时长"] == pytest.approx(figure["hours"])
    assert line(hours["按单位"], "合计")[1]["服务时长(小时)"] == pytest.approx(figure["hours"])
    assert len(hours["按志愿者"].rows) == figure["serving"]
    assert counts["志愿服务时长"] == pytest.approx(figure["hours"])
    assert sum(charts.hours_by_month) == pytest.approx(figure["hours"])
    assert sum(charts.hours_by_unit.values()) == pytest.approx(figure["hours"])
    assert f"志愿服务时长{figure['hours']:g}小时" in draft
    assert f"经审核的服务记录{figure['records']:g}条" in draft

    # volunteers: registered, serving, under the yearly minimum
    assert len(hours["不足20小时"].rows) == len(under) == figure["under_hours"]
    assert f"在册志愿者{figure['volunteers']:g}名" in draft
    if figure["under_hours"]:
        assert f"不足20小时的{figure['under_hours']:g}名" in draft
    if today.year == year:
        assert counts["在册志愿者"] == figure["volunteers"]
    assert sum(r["volunteers"] for r in stats.stars) == figure["volunteers"]

    # activities and participants: held ones count, the others are shown apart
    ledger = read_register(tmp_path / "ledger.xlsx")
    label, held = line(ledger, "合计（已完成")
    assert label == f"合计（已完成，{figure['activities']:g}项）"
    assert held["参与人数"] == figure["participants"]
    assert counts["已开展活动"] == figure["activities"]
    assert sum(charts.activities_by_category.values()) == figure["activities"]
    assert f"开展活动{figure['activities']:g}次，参与{figure['participants']:g}人次" in draft

    # honours: the year's register holds exactly the honours its statistics count
    register = read_register(tmp_path / "honours.xlsx")
    assert len(register.rows) == figure["honours"]
    listed = Counter((r["荣誉类型"], r["级别"]) for r in register.rows)
    counted = Counter(
        {(row["type"], level): row[level] for row in stats.honours for level in _levels(row)}
    )
    assert listed == +counted
    assert counts["本级表彰"] == figure["honours_awarded"]
    assert counts["获得上级荣誉"] == figure["honours_received"]
    assert sum(charts.honours_by_level.values()) == figure["honours"]
    assert f"本级表彰{figure['honours_awarded']:g}项" in draft
    assert f"获得上级荣誉{figure['honours_received']:g}项" in draft

    # organisations and members (as of the year's end, or today)
    assert f"有团组织{figure['organisations']:g}个" in draft
    assert f"团员{figure['members']:g}名" in draft
    if today.year == year:
        orgs = read_register(tmp_path / "orgs.xlsx")
        assert len(orgs.rows) == counts["团组织"] == figure["organisations"]
        assert line(orgs, "合计")[1]["团员数"] == figure["members"]

    # 信息报送: every unit listed, the totals agree
    reports = read_register(tmp_path / "reports.xlsx")
    assert [r["报送单位"] for r in reports.rows][: len(units)] == units
    assert line(reports, "合计")[1]["报送总数"] == figure["reports"]
    assert line(reports, "合计")[1]["被采用数"] == figure["adopted"]
    assert f"报送信息{figure['reports']:g}条，被采用{figure['adopted']:g}条" in draft

    # and the workbook's 汇总 says the same as the statistics it was written from
    summary = read_register(tmp_path / "annual.xlsx", "汇总")
    for row in stats.summary():
        got = next(r for r in summary.rows if r["项目"] == row["item"])
        value = got["数量"] if got["数量"] is not None else got["时长（小时）"]
        assert value == pytest.approx(row["value"]), row["item"]
    assert when in draft
    return figure


def _levels(row: dict) -> list[str]:
    return [key for key in ("国家级", "省级", "市级", "系统级", "单位级") if row.get(key)]


def _live_orgs():
    return (
        select(Organisation)
        .where(Organisation.deleted_at.is_(None))
        .order_by(*organisations.ORGANISATIONS.default_sort)
    )


def test_every_figure_of_the_demo_year_agrees_everywhere(demo_db, tmp_path):
    figure = check_every_figure_agrees(demo_db, 2026, TODAY, tmp_path)
    assert figure["honours"] == figure["honours_awarded"] == 40  # the committee's own batch
    assert figure["serving"] > figure["serving_registered"]  # paused ones served: said apart


def test_every_figure_of_the_demos_past_year_agrees_everywhere(demo_db, tmp_path):
    figure = check_every_figure_agrees(demo_db, 2025, TODAY, tmp_path)
    assert figure["honours_received"] == 4  # 国家级 青年文明号 named in 2025


# --- an office generated through the services --------------------------------------------------


def generate_office(database, seed: int) -> None:
    """A year and a half of an office's records, entered through the services as a clerk
    would (every rule at the door applies), with the awkward cases every figure must survive."""
    rng = random.Random(seed)
    with database.transaction() as session:
        root = organisations.create_organisation(
            session,
            organisations.OrganisationInput("某市卫健委团委", OrgKind.COUNCIL, "某市卫健委"),
        )
        units = []
        for n in range(6):
            unit = f"第{n + 1}医院"
            org = organisations.create_organisation(
                session,
                organisations.OrganisationInput(
                    f"{unit}团支部",
                    OrgKind.BRANCH,
                    unit,
                    parent_id=root.id,
                    term_start=date(2025, rng.randint(1, 12), 1) if n % 3 else None,
                ),
            )
            units.append(org)
            for m in range(rng.randint(5, 30)):  # its members, on the register
                members.add_member(
                    session,
                    members.MemberInput(
                        PersonInput(
                            name=f"团员{n}-{m}",
                            id_number=make_id(
                                date(1999 + m % 5, 1 + n, 1 + m % 28), 600 + 40 * n + m
                            ),
                            organisation_id=org.id,
                            league_joined_on=date(2020, 5, 4),
                        )
                    ),
                    date(2026, 11, 26),
                )
        volunteers = []
        for n in range(40):
            person = PersonInput(
                name=f"志愿者{n}",
                id_number=make_id(date(1990 + n % 10, 1 + n % 12, 1 + n % 28), n),
                organisation_id=rng.choice(units).id,
            )
            status = VolunteerStatus.PAUSED if n % 9 == 0 else VolunteerStatus.ACTIVE
            volunteer = v.register_volunteer(
                session,
                v.VolunteerInput(
                    person=person, registered_on=date(2025, 1 + n % 12, 1), status=status
                ),
                today=TODAY,
            )
            volunteers.append(volunteer)
        held = []
        for n in range(12):
            day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 690))
            status = rng.choice([ActivityStatus.DONE, ActivityStatus.DONE, ActivityStatus.PLANNED])
            status = ActivityStatus.PLANNED if day > TODAY else status
            saved = activities.create_activity(
                session,
                activities.ActivityInput(
                    f"活动{n}",
                    day,
                    category=rng.choice(["志愿服务", "主题教育", "文体活动"]),
                    organiser_id=rng.choice(units).id,
                    participant_count=rng.randint(10, 80),
                    status=status,
                ),
            )
            if saved.activity.status == ActivityStatus.DONE:
                held.append(saved.activity)
        cancelled = activities.create_activity(
            session,
            activities.ActivityInput(
                "取消的活动",
                date(2026, 4, 1),
                participant_count=99,
                status=ActivityStatus.CANCELLED,
            ),
        )
        assert cancelled.activity.id
        records = []
        for _ in range(300):
            volunteer = rng.choice(volunteers)
            day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 690))
            data = service_hours.ServiceRecordInput(
                volunteer.id,
                day,
                rng.choice([1, 2, 3.5, 8]),
                content=rng.choice(["义诊", "宣教", "随访"]),
            )
            try:
                records.append(service_hours.add_service_record(session, data, today=TODAY))
            except DeskLeagueError:
                continue  # the door refused it, as it would refuse the clerk
        service = [a for a in held if a.category == "志愿服务"]
        for activity in service[:2]:
            with contextlib.suppress(DeskLeagueError):  # a day already full is refused
                activities.record_activity_hours(
                    session, activity.id, [vol.id for vol in volunteers[:5]], 2, today=TODAY
                )
        approve = [r.id for r in records if rng.random() < 0.7]
        service_hours.approve_service_records(session, approve)
        for record in rng.sample([r for r in records if r.id not in approve], 10):
            service_hours.void_service_record(session, record.id, "重复录入")
        move_to_recycle_bin(session, volunteers[-1])  # their hours leave every figure
        types = {t.name: t for t in session.scalars(select(HonourType))}
        for n in range(15):
            year = rng.choice([2025, 2026])
            granted = date(year, rng.randint(1, 12), 1) if n % 4 else None
            own = n % 2 == 0
            honours.create_honour(
                session,
                honours.HonourInput(
                    honour_type_id=types["优秀共青团员"].id,
                    year=year - (1 if granted and granted.month < 6 else 0),
                    level="系统级" if own else rng.choice(["市级", "省级"]),
                    person_id=rng.choice(volunteers).person_id,
                    granting_body="某市卫健委团委" if own else "共青团某市委",
                    granted_on=granted,
                    status=[HonourStatus.ACTIVE, HonourStatus.ACTIVE, HonourStatus.DRAFT][n % 3]
                    if n % 5
                    else HonourStatus.VOID,
                ),
            )
        for n in range(20):
            info_reports.create_info_report(
                session,
                info_reports.InfoReportInput(
                    f"信息{n}",
                    date(2025, 1, 1) + timedelta(days=rng.randint(0, 690)),
                    rng.choice(units[:3]).id,  # the others report nothing
                    rng.choice(["上级团委", "报刊", "自办简报"]),
                    rng.choice(list(InfoReportStatus)),
                ),
            )
        set_setting(session, "office_name", "某市卫健委团委")


@pytest.mark.parametrize("seed", [1, 2])
def test_every_figure_of_a_generated_office_agrees_everywhere(db, tmp_path, seed):
    generate_office(db, seed)
    for year in (2025, 2026):
        folder = tmp_path / str(year)
        folder.mkdir()
        figure = check_every_figure_agrees(db, year, TODAY, folder)
        assert figure["hours"] and figure["activities"] and figure["reports"]
