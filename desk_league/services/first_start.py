"""首次使用: what a new office sets up before anything else — its name, its organisations, then
its members and volunteers (imported now or later). The window offers it once, on a database
that has no organisations yet; 工具 → 首次使用设置… opens it again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from desk_league.data.models import LeagueMember, Organisation, Volunteer
from desk_league.errors import ValidationError
from desk_league.services.settings import get_setting, set_setting


def first_start_needed(session: Session) -> bool:
    """A real office's first start: no organisations yet and the setup never finished or
    skipped (a demo database has its organisations)."""
    if get_setting(session, "first_start_done"):
        return False
    return not session.scalar(select(exists().where(Organisation.deleted_at.is_(None))))


def finish_first_start(session: Session) -> None:
    set_setting(session, "first_start_done", True)


def save_office_names(session: Session, name: str, short_name: str) -> None:
    """The office's name (填报单位 of every register, issuer of certificates) and short name."""
    name, short_name = " ".join(name.split()), " ".join(short_name.split())
    if not name:
        raise ValidationError("请填写单位名称，如“市卫生健康委团委”。", field="单位名称")
    set_setting(session, "office_name", name)
    set_setting(session, "office_short_name", short_name or name)


@dataclass(frozen=True)
class OfficeCounts:
    organisations: int
    members: int
    volunteers: int

    def __str__(self) -> str:
        return (
            f"已有团组织 {self.organisations} 个，团员 {self.members} 人，"
            f"志愿者 {self.volunteers} 人。"
        )


def office_counts(session: Session) -> OfficeCounts:
    def count(model) -> int:
        return (
            session.scalar(
                select(func.count()).select_from(model).where(model.deleted_at.is_(None))
            )
            or 0
        )

    return OfficeCounts(count(Organisation), count(LeagueMember), count(Volunteer))
