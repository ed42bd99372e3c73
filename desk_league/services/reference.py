"""Reference data every office starts with: key dates, honour types, a certificate template.

Seeded once into an empty database (idempotent), then the office edits them freely.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desk_league.data.models import CertificateTemplate, HonourType, KeyDate
from desk_league.data.server import REFERENCE_DATA, one_at_a_time
from desk_league.domain.codes import CalendarKind, RecipientKind

SOLAR, LUNAR = CalendarKind.SOLAR, CalendarKind.LUNAR
PERSONAL, COLLECTIVE = RecipientKind.PERSONAL, RecipientKind.COLLECTIVE

KEY_DATES = [
    # name, calendar, month, day, remind days
    ("学雷锋纪念日·中国青年志愿者服务日", SOLAR, 3, 5, 14),
    ("植树节", SOLAR, 3, 12, 10),
    ("五四青年节", SOLAR, 5, 4, 30),
    ("建党节", SOLAR, 7, 1, 14),
    ("国庆节", SOLAR, 10, 1, 14),
    ("国际志愿者日", SOLAR, 12, 5, 14),
    ("重阳节（老年节）", LUNAR, 9, 9, 14),
    ("春节", LUNAR, 1, 1, 21),
]

# name, personal/collective, eligibility rules (warnings; the committee decides)
HONOUR_TYPES = [
    ("青年文明号", COLLECTIVE, {}),
    ("青年岗位能手", PERSONAL, {"max_age": 35}),
    ("五四红旗团委", COLLECTIVE, {}),
    ("五四红旗团支部", COLLECTIVE, {}),
    (
        "优秀共青团员",
        PERSONAL,
        {"max_age": 28, "min_member_years": 3, "min_hours": 20, "league_member": True},
    ),
    ("优秀共青团干部", PERSONAL, {"min_member_years": 3, "holds_post": True}),
    ("优秀青年志愿者", PERSONAL, {"min_hours": 20}),
    ("优秀志愿服务项目", COLLECTIVE, {}),
    ("十大杰出青年（提名）", PERSONAL, {"max_age": 40}),
    ("基层团组织创新奖", COLLECTIVE, {}),
]


def seed_reference_data(session: Session) -> None:
    one_at_a_time(session, REFERENCE_DATA)  # two PCs starting on an empty database: one seeds
    if not session.scalar(select(exists().where(KeyDate.id > 0))):
        session.add_all(
            KeyDate(name=n, calendar=c, month=m, day=d, remind_days=r)
            for n, c, m, d, r in KEY_DATES
        )
    if not session.scalar(select(exists().where(HonourType.id > 0))):
        session.add_all(
            HonourType(name=n, recipient_kind=k, rules=rules, position=i)
            for i, (n, k, rules) in enumerate(HONOUR_TYPES)
        )
    if not session.scalar(select(exists().where(CertificateTemplate.id > 0))):
        # the four built-in ones, the formal 个人·横版 first (the default of new batches); the
        # PDF stack is imported only here, for a new database, not on every start
        from desk_league.exports.certificates import BUILT_IN_TEMPLATES

        session.add_all(
            CertificateTemplate(
                name=f"荣誉证书（{name}）",
                kind="honour",
                page_size=data.page_size,
                landscape=data.landscape,
                title=data.title,
                body=data.body,
                issuer=data.issuer,
                layout=dict(data.layout),
            )
            for name, data in BUILT_IN_TEMPLATES.items()
        )
