"""The activity ledger (活动台账)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select

from desk_league.data.models import Activity, KeyDate, Organisation
from desk_league.services.listing import ListColumn, Listing

ACTIVITIES = Listing(
    name="activities",
    columns=[
        ListColumn("id", "编号", Activity.id, "int", hidden=True),
        ListColumn("start_date", "开始日期", Activity.start_date, "date", width=90),
        ListColumn("end_date", "结束日期", Activity.end_date, "date", width=90),
        ListColumn("title", "活动名称", Activity.title, width=260),
        ListColumn("category", "类别", Activity.category, width=80),
        ListColumn("organiser", "主办单位", Organisation.name, width=160),
        ListColumn("place", "地点", Activity.place, width=120),
        ListColumn("participant_count", "参与人数", Activity.participant_count, "int", width=65),
        ListColumn("key_date", "重要节点", KeyDate.name, width=100),
        ListColumn("status", "状态", Activity.status, width=60),
    ],
    base=select(Activity)
    .outerjoin(Organisation, Activity.organiser_id == Organisation.id)
    .outerjoin(KeyDate, Activity.key_date_id == KeyDate.id)
    .where(Activity.deleted_at.is_(None)),
    search=[Activity.title, Activity.place, Activity.summary, Organisation.name],
    filters={
        "category": lambda category: Activity.category == category,
        "status": lambda status: Activity.status == status,
        "organiser_id": lambda org_id: Activity.organiser_id == org_id,
        "year": lambda year: and_(
            Activity.start_date >= date(int(year), 1, 1),
            Activity.start_date <= date(int(year), 12, 31),
        ),
    },
    default_sort=[Activity.start_date.desc(), Activity.id.desc()],
)
