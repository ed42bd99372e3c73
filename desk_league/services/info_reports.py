"""信息报送: news items each unit sends upward, submitted or adopted, tallied per unit and year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from desk_league.data.models import INFO_CHANNELS, Activity, InfoReport, Organisation
from desk_league.domain.codes import InfoReportStatus
from desk_league.errors import ValidationError
from desk_league.exports.register import Column, write_register
from desk_league.services import figures
from desk_league.services.common import (
    get_live,
    get_to_save,
    move_to_recycle_bin,
    saved_values,
)
from desk_league.services.figures import Period
from desk_league.services.listing import ListColumn, Listing
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register

_UNIT = func.coalesce(Organisation.name, "（未指定单位）")


def _in_year(year: int | str) -> ColumnElement[bool]:
    return and_(
        InfoReport.reported_on >= date(int(year), 1, 1),
        InfoReport.reported_on <= date(int(year), 12, 31),
    )


INFO_REPORTS = Listing(
    name="info_reports",
    columns=[
        ListColumn("id", "编号", InfoReport.id, "int", hidden=True),
        ListColumn("reported_on", "报送日期", InfoReport.reported_on, "date", width=90),
        ListColumn("unit", "报送单位", _UNIT, width=170),
        ListColumn("title", "信息标题", InfoReport.title, width=280),
        ListColumn("channel", "报送渠道", InfoReport.channel, width=75),
        ListColumn("status", "状态", InfoReport.status, width=60, labels=InfoReportStatus.labels()),
        ListColumn("adopted_by", "采用单位/媒体", InfoReport.adopted_by, width=120),
        ListColumn("activity", "相关活动", Activity.title, width=220),
    ],
    base=select(InfoReport)
    .outerjoin(Organisation, InfoReport.organisation_id == Organisation.id)
    .outerjoin(Activity, InfoReport.activity_id == Activity.id)
    .where(InfoReport.deleted_at.is_(None)),
    search=[InfoReport.title, Organisation.name, InfoReport.adopted_by],
    filters={
        "year": _in_year,
        "organisation_id": lambda org_id: InfoReport.organisation_id == org_id,
        "channel": lambda channel: InfoReport.channel == channel,
        "status": lambda status: InfoReport.status == status,
    },
    default_sort=[InfoReport.reported_on.desc(), InfoReport.id.desc()],
)


@dataclass
class InfoReportInput:
    title: str
    reported_on: date
    organisation_id: int | None = None
    channel: str = "上级团委"
    status: str = InfoReportStatus.SUBMITTED
    adopted_by: str = ""
    activity_id: int | None = None
    note: str = ""
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def _validate(session: Session, data: InfoReportInput) -> None:
    data.title = data.title.strip()
    if not data.title:
        raise ValidationError("请填写信息标题。", field="信息标题")
    if data.organisation_id is None:
        raise ValidationError("请选择报送单位。", field="报送单位")
    get_live(session, Organisation, data.organisation_id, "报送单位")
    if not data.channel.strip():
        raise ValidationError("请选择报送渠道。", field="报送渠道")
    data.status = InfoReportStatus.parse(data.status)
    if data.activity_id is not None:
        get_live(session, Activity, data.activity_id, "相关活动")


def create_info_report(session: Session, data: InfoReportInput) -> InfoReport:
    _validate(session, data)
    report = InfoReport(**saved_values(data))
    session.add(report)
    session.flush()
    return report


def update_info_report(session: Session, report_id: int, data: InfoReportInput) -> InfoReport:
    _validate(session, data)
    report = get_to_save(session, InfoReport, report_id, data.version, "信息报送")
    for key, value in saved_values(data).items():
        setattr(report, key, value)
    return report


def delete_info_report(session: Session, report_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, InfoReport, report_id, "信息报送"))


def info_report_form(session: Session, report_id: int) -> InfoReportInput:
    r = get_live(session, InfoReport, report_id, "信息报送")
    return InfoReportInput(
        r.title,
        r.reported_on,
        r.organisation_id,
        r.channel,
        r.status,
        r.adopted_by,
        r.activity_id,
        r.note,
        version=r.version,
    )


def activity_choices(session: Session, year: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Activity.id, Activity.start_date, Activity.title)
        .where(
            Activity.deleted_at.is_(None),
            Activity.start_date.between(date(year - 1, 1, 1), date(year, 12, 31)),
        )
        .order_by(Activity.start_date.desc())
    )
    return [(row.id, f"{row.start_date:%m-%d} {row.title}") for row in rows]


def tally_rows(session: Session, year: int, today: date | None = None) -> list[dict]:
    """The tally of ``year``, one dict per unit, every unit listed (``figures``)."""
    return figures.info_reports_by_unit(session, Period.year(year), today or date.today())


def export_info_report_tally(
    session: Session, path: str | Path, *, year: int, today: date, progress: Progress | None = None
) -> Path:
    """信息报送统计表 of one year, through the shared register writer: every unit, those that
    reported nothing included."""
    rows = []
    for seq, row in enumerate(tally_rows(session, year, today), start=1):
        rate = (row["adopted"] or 0) / row["total"] if row["total"] else None
        rows.append({**row, "seq": seq, "rate": rate})
    columns = [
        Column("seq", "序号", 6, "int"),
        Column("unit", "报送单位", 28),
        *(
            Column(f"channel_{i}", channel, 9, "int", total=True)
            for i, channel in enumerate(INFO_CHANNELS)
        ),
        Column("total", "报送总数", 10, "int", total=True),
        Column("adopted", "被采用数", 10, "int", total=True),
        Column("rate", "采用率", 9, "percent"),
    ]
    register = office_register(
        session,
        f"{year}年市直卫生系统团内信息报送情况统计表",
        columns,
        today=today,
        notes=[figures.scope("reports")],
    )
    return write_register(path, register, rows, progress=progress)
