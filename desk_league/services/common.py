"""What every service shares: fetching a live row (locked when its state decides a change), the
version a form loaded, numbers that two PCs may draw at once, the recycle bin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Insert, Result, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk_league.data import models
from desk_league.data.constraints import Clash, unique_violation
from desk_league.errors import NotFound, StaleRecord

T = TypeVar("T", bound=models.Base)
R = TypeVar("R")
NUMBER_TRIES = 10  # draws of a number before a clash is reported (each loses to a new save)

# Tables whose rows go to the recycle bin, with the word the clerk sees.
RECYCLABLE: dict[str, tuple[type[models.SoftDelete], str]] = {
    "organisation": (models.Organisation, "团组织"),
    "person": (models.Person, "人员"),
    "league_member": (models.LeagueMember, "团员"),
    "volunteer": (models.Volunteer, "志愿者"),
    "plan": (models.Plan, "工作计划"),
    "plan_item": (models.PlanItem, "计划事项"),
    "activity": (models.Activity, "活动"),
    "attachment": (models.Attachment, "附件"),
    "key_date": (models.KeyDate, "重要节点"),
    "info_report": (models.InfoReport, "信息报送"),
    "honour_type": (models.HonourType, "荣誉类型"),
    "honour": (models.Honour, "荣誉"),
    "commendation": (models.Commendation, "表彰批次"),
    "nomination": (models.Nomination, "推荐对象"),
    "certificate_template": (models.CertificateTemplate, "证书模板"),
    "league_recommendation": (models.LeagueRecommendation, "推优记录"),
}


def organisation_subtree(org_id: int) -> Select:
    """SQL: the ids of an organisation and of everything under it (a recursive query, the same
    on SQLite and PostgreSQL), for lists filtered to a 团委 with its branches."""
    org = models.Organisation
    tree = select(org.id).where(org.id == int(org_id)).cte("subtree", recursive=True)
    tree = tree.union_all(select(org.id).where(org.parent_id == tree.c.id))
    return select(tree.c.id)


def get_live(session: Session, model: type[T], row_id: int, what: str = "记录") -> T:
    """The row, unless missing or in the recycle bin."""
    obj = session.get(model, row_id)
    if obj is None or getattr(obj, "deleted_at", None) is not None:
        raise NotFound(f"找不到该{what}（编号 {row_id}），可能已被删除。")
    return obj


def get_for_update(session: Session, model: type[T], row_id: int, what: str = "记录") -> T:
    """The live row, read afresh and locked until the transaction ends, for a change decided by
    its state (approve a pending record, void one, approve a batch): another PC's change waits,
    then sees the new state. PostgreSQL: SELECT … FOR UPDATE; SQLite: the transaction already
    holds the write lock."""
    stmt = (
        select(model)
        .where(model.id == row_id)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    obj = session.scalar(stmt)
    if obj is None or getattr(obj, "deleted_at", None) is not None:
        raise NotFound(f"找不到该{what}（编号 {row_id}），可能已被删除。")
    return obj


def check_version(obj: Any, version: int | None, what: str = "") -> None:
    """A form saves over the version it loaded: refused when the record moved on meanwhile
    (``version`` None: a caller with no form, such as an import, that means to overwrite)."""
    if version is not None and obj.version != version:
        raise StaleRecord(what)


def get_to_save(
    session: Session, model: type[T], row_id: int, version: int | None, what: str = "记录"
) -> T:
    """The row a form saves over, locked (``get_for_update``) and refused when it is no longer
    the version the form loaded: of two PCs saving the same record, the second is told."""
    obj = get_for_update(session, model, row_id, what)
    check_version(obj, version, what)
    return obj


def saved_values(data: Any) -> dict[str, Any]:
    """A form's values that go into its record: everything but the version it was loaded at."""
    values = vars(data).copy()
    values.pop("version", None)
    return values


def bulk_insert(session: Session, statement: Insert, rows: list[dict[str, Any]]) -> Result:
    """Many rows inserted as SQLAlchemy Core does it, in a few statements of many rows each, in
    the session's transaction, without the ORM's bulk mode going over every row again (a third
    of the time a 10,000-row roster takes to insert). Nothing is flushed or audited row by row:
    the caller writes the audit's summary line."""
    return session.connection().execute(statement, rows)


def with_fresh_number(session: Session, insert: Callable[[], R], *clashes: Clash) -> R:
    """``insert()`` (which draws the next free number and flushes) again when another PC took
    that number between the draw and the save (one of the unique rules ``clashes``): the next
    draw sees it taken."""
    for attempt in range(NUMBER_TRIES):
        try:
            with session.begin_nested():
                return insert()
        except IntegrityError as exc:
            if unique_violation(exc) not in clashes or attempt == NUMBER_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def move_to_recycle_bin(session: Session, obj: models.SoftDelete) -> None:
    obj.deleted_at = datetime.now()


def restore_from_recycle_bin(session: Session, table: str, row_id: int) -> models.SoftDelete:
    model, what = RECYCLABLE[table]
    obj = session.get(model, row_id)
    if obj is None or obj.deleted_at is None:
        raise NotFound(f"回收站中没有该{what}（编号 {row_id}）。")
    obj.deleted_at = None
    return obj


def recycle_bin(session: Session) -> list[dict]:
    """Everything deleted, newest first: table, id, what, label, deleted_at."""
    items = []
    for table, (model, what) in RECYCLABLE.items():
        rows = session.scalars(select(model).where(model.deleted_at.is_not(None)))
        for obj in rows:
            person = getattr(obj, "person", None)  # a role (团员, volunteer): whose it is
            label = next(
                (
                    str(getattr(obj, a))
                    for a in ("name", "title", "file_name")
                    if getattr(obj, a, None)
                ),
                person.name if person is not None else f"#{obj.id}",
            )
            items.append(
                {
                    "table": table,
                    "id": obj.id,
                    "what": what,
                    "label": label,
                    "deleted_at": obj.deleted_at,
                }
            )
    return sorted(items, key=lambda item: item["deleted_at"], reverse=True)
