"""The yearly work plan (工作计划): a plan per year, its tree of sections and tasks, evidence.

Structure rules: top-level items and items with sub-items are sections (板块), the other
leaves are tasks (事项). Numbers are kept as written (一、 （一） 1、 第一，) and rewritten in the
same style when items are added, moved, indented or deleted. Progress of a section is the mean
of the tasks under it (cancelled ones left out); a childless section counts with its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import (
    PLAN_ITEM_STATUSES,
    Activity,
    KeyDate,
    Organisation,
    Plan,
    PlanItem,
    plan_item_activity,
)
from desk_league.domain.dates import add_years, parse_date
from desk_league.domain.lunar import resolve_key_date
from desk_league.errors import Conflict, NotFound, ValidationError
from desk_league.exports.pdf import chinese_date, missing_glyphs
from desk_league.exports.plan_document import PlanHeading, write_plan_document
from desk_league.exports.register import Column, write_register
from desk_league.imports.plan_prose import KeyDateRule, resolve_dates
from desk_league.imports.plan_text import ParsedItem, ParsedPlan, number_style, renumber
from desk_league.services import reference
from desk_league.services.common import get_live, move_to_recycle_bin
from desk_league.services.listing import ListColumn, Listing
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register
from desk_league.services.settings import get_setting

PLAN_STATUSES = {"draft": "草稿", "issued": "已印发"}
DONE, CANCELLED, NOT_STARTED = "已完成", "已取消", "未开始"
FINISHED_ACTIVITY = "已完成"

_section = aliased(PlanItem)

PLAN_ITEMS = Listing(
    name="plan_items",
    columns=[
        ListColumn("id", "编号", PlanItem.id, "int", hidden=True),
        ListColumn("section", "板块", _section.title, width=200),
        ListColumn("number", "序号", PlanItem.number, width=50),
        ListColumn("title", "事项", PlanItem.title, width=320),
        ListColumn("owner", "责任人", PlanItem.owner, width=70),
        ListColumn("lead_unit", "牵头单位", Organisation.name, width=140),
        ListColumn("time_node", "时间节点", PlanItem.time_node, width=90),
        ListColumn("due_date", "完成时限", PlanItem.due_date, "date", width=90),
        ListColumn("status", "状态", PlanItem.status, width=60),
        ListColumn("progress", "进度", PlanItem.progress, "percent", width=55),
    ],
    base=select(PlanItem)
    .join(Plan, PlanItem.plan_id == Plan.id)
    .outerjoin(_section, PlanItem.parent_id == _section.id)
    .outerjoin(Organisation, PlanItem.lead_unit_id == Organisation.id)
    .where(PlanItem.deleted_at.is_(None), Plan.deleted_at.is_(None), PlanItem.kind == "task"),
    search=[PlanItem.title, PlanItem.body, PlanItem.owner],
    filters={
        "year": lambda year: Plan.year == int(year),
        "status": lambda status: PlanItem.status == status,
    },
    default_sort=[_section.position, PlanItem.position, PlanItem.id],
)


ITEM_EVIDENCE = Listing(
    name="plan_item_evidence",
    columns=[
        ListColumn("id", "编号", Activity.id, "int", hidden=True),
        ListColumn("start_date", "日期", Activity.start_date, "date", width=90),
        ListColumn("title", "关联活动", Activity.title, width=240),
        ListColumn("status", "状态", Activity.status, width=60),
    ],
    base=select(Activity)
    .join(plan_item_activity, plan_item_activity.c.activity_id == Activity.id)
    .where(Activity.deleted_at.is_(None)),
    filters={"plan_item_id": lambda item_id: plan_item_activity.c.plan_item_id == int(item_id)},
    default_sort=[Activity.start_date, Activity.id],
)
"""The activities linked to one task as its evidence (filter ``plan_item_id``, always set)."""


def plan_years(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Plan.year).where(Plan.deleted_at.is_(None)).distinct().order_by(Plan.year.desc())
        )
    )


# --- the plan ----------------------------------------------------------------------------------


def plan_for_year(session: Session, year: int) -> Plan | None:
    return session.scalar(
        select(Plan).where(Plan.year == year, Plan.deleted_at.is_(None)).order_by(Plan.id)
    )


def year_of_item(session: Session, item_id: int) -> int:
    """The year of the plan an item belongs to (to open it from elsewhere)."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    return item.plan.year


def _plan_of_year(session: Session, year: int) -> Plan:
    plan = plan_for_year(session, year)
    if plan is None:
        raise NotFound(f"{year}年还没有工作计划。")
    return plan


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年度 {year} 不在 2000—2100 之间。", field="年度")


def create_plan(session: Session, year: int, title: str = "", approach: str = "") -> Plan:
    _check_year(year)
    if plan_for_year(session, year) is not None:
        raise Conflict(f"{year}年已有工作计划，请直接修改，或先删除后再新建。")
    office = get_setting(session, "office_short_name")
    plan = Plan(year=year, title=title.strip() or f"{year}年{office}工作计划", approach=approach)
    session.add(plan)
    session.flush()
    return plan


def update_plan(
    session: Session,
    plan_id: int,
    *,
    title: str | None = None,
    approach: str | None = None,
    status: str | None = None,
) -> Plan:
    plan = get_live(session, Plan, plan_id, "工作计划")
    if title is not None:
        if not title.strip():
            raise ValidationError("计划标题不能为空。", field="标题")
        plan.title = title.strip()
    if approach is not None:
        plan.approach = approach.strip()
    if status is not None:
        if status not in PLAN_STATUSES:
            raise ValidationError("计划状态应为草稿或已印发。", field="状态")
        plan.status = status
    return plan


def delete_plan(session: Session, plan_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, Plan, plan_id, "工作计划"))


# --- reading the tree --------------------------------------------------------------------------


@dataclass
class PlanFilter:
    """What the clerk narrowed the tree to; empty means everything."""

    status: str | None = None
    owner: str | None = None
    lead_unit_id: int | None = None
    overdue: bool = False
    text: str = ""

    def active(self) -> bool:
        return bool(self.status or self.owner or self.lead_unit_id or self.overdue or self.text)


@dataclass
class PlanItemRow:
    id: int
    parent_id: int | None
    kind: str
    number: str
    title: str
    body: str
    owner: str
    lead_unit_id: int | None
    lead_unit: str
    time_node: str
    due_date: date | None
    key_date_id: int | None
    status: str
    progress: int  # for a section: computed from its tasks
    note: str
    evidence: int = 0  # linked activities
    evidence_done: int = 0  # of which finished
    overdue: bool = False
    has_children: bool = False


@dataclass
class PlanTree:
    plan_id: int
    year: int
    title: str
    approach: str
    status: str
    progress: int  # the whole plan
    rows: list[PlanItemRow] = field(default_factory=list)  # parents before children, in order
    task_count: int = 0
    done_count: int = 0


def _live_items(session: Session, plan_id: int) -> list[PlanItem]:
    return list(
        session.scalars(
            select(PlanItem)
            .where(PlanItem.plan_id == plan_id, PlanItem.deleted_at.is_(None))
            .order_by(PlanItem.position, PlanItem.id)
        )
    )


def _children(items: Iterable[PlanItem]) -> dict[int | None, list[PlanItem]]:
    """Items by parent. One restored from the recycle bin without its section shows at the top."""
    items = list(items)
    live = {item.id for item in items}
    by_parent: dict[int | None, list[PlanItem]] = {}
    for item in items:
        parent = item.parent_id if item.parent_id in live else None
        by_parent.setdefault(parent, []).append(item)
    return by_parent


def _in_order(by_parent: dict[int | None, list[PlanItem]]) -> list[PlanItem]:
    ordered: list[PlanItem] = []

    def visit(parent_id: int | None) -> None:
        for item in by_parent.get(parent_id, []):
            ordered.append(item)
            visit(item.id)

    visit(None)
    return ordered


def is_overdue(item: PlanItem | PlanItemRow, today: date) -> bool:
    return bool(item.due_date and item.due_date < today and item.status not in (DONE, CANCELLED))


def _evidence_counts(session: Session, plan_id: int) -> dict[int, tuple[int, int]]:
    finished = func.sum(case((Activity.status == FINISHED_ACTIVITY, 1), else_=0))
    stmt = (
        select(plan_item_activity.c.plan_item_id, func.count(), finished)
        .join(Activity, Activity.id == plan_item_activity.c.activity_id)
        .join(PlanItem, PlanItem.id == plan_item_activity.c.plan_item_id)
        .where(PlanItem.plan_id == plan_id, Activity.deleted_at.is_(None))
        .group_by(plan_item_activity.c.plan_item_id)
    )
    return {item_id: (count, int(done or 0)) for item_id, count, done in session.execute(stmt)}


def plan_tree(
    session: Session, year: int, today: date, query: PlanFilter | None = None
) -> PlanTree | None:
    """The plan of ``year`` as rows for the tree; None if there is no plan that year.

    With a filter, only matching tasks are kept, with the sections above them for context.
    Progress figures always cover the whole plan.
    """
    plan = plan_for_year(session, year)
    if plan is None:
        return None
    items = _live_items(session, plan.id)
    by_parent = _children(items)
    ordered = _in_order(by_parent)
    units = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    evidence = _evidence_counts(session, plan.id)
    progress = _progress(by_parent)
    leaves = [i for i in ordered if not by_parent.get(i.id)]
    tree = PlanTree(
        plan_id=plan.id,
        year=plan.year,
        title=plan.title,
        approach=plan.approach,
        status=plan.status,
        progress=_mean(leaves),
        task_count=sum(1 for i in leaves if i.status != CANCELLED),
        done_count=sum(1 for i in leaves if i.status == DONE),
    )
    parent_of = {child.id: parent for parent, children in by_parent.items() for child in children}
    keep = _matching(ordered, by_parent, query, today) if query and query.active() else None
    for item in ordered:
        if keep is not None and item.id not in keep:
            continue
        count, done = evidence.get(item.id, (0, 0))
        tree.rows.append(
            PlanItemRow(
                id=item.id,
                parent_id=parent_of[item.id],
                kind=item.kind,
                number=item.number,
                title=item.title,
                body=item.body,
                owner=item.owner,
                lead_unit_id=item.lead_unit_id,
                lead_unit=units.get(item.lead_unit_id, "") if item.lead_unit_id else "",
                time_node=item.time_node,
                due_date=item.due_date,
                key_date_id=item.key_date_id,
                status=_section_status(item, by_parent, progress[item.id]),
                progress=progress[item.id],
                note=item.note,
                evidence=count,
                evidence_done=done,
                overdue=is_overdue(item, today),
                has_children=bool(by_parent.get(item.id)),
            )
        )
    return tree


def _section_status(
    item: PlanItem, by_parent: dict[int | None, list[PlanItem]], percent: int
) -> str:
    """A section with tasks reads its status off them; a leaf keeps what the clerk set."""
    children = by_parent.get(item.id)
    if not children:
        return item.status
    if all(child.status == CANCELLED for child in children):
        return CANCELLED
    if percent >= 100:
        return DONE
    return "进行中" if percent > 0 else NOT_STARTED


def _mean(leaves: list[PlanItem]) -> int:
    counted = [i.progress for i in leaves if i.status != CANCELLED]
    return round(sum(counted) / len(counted)) if counted else 0


def _progress(by_parent: dict[int | None, list[PlanItem]]) -> dict[int, int]:
    result: dict[int, int] = {}

    def leaves_under(item: PlanItem) -> list[PlanItem]:
        children = by_parent.get(item.id, [])
        if not children:
            return [item]
        return [leaf for child in children for leaf in leaves_under(child)]

    for items in by_parent.values():
        for item in items:
            result[item.id] = _mean(leaves_under(item)) if by_parent.get(item.id) else item.progress
    return result


def _matching(
    ordered: list[PlanItem],
    by_parent: dict[int | None, list[PlanItem]],
    query: PlanFilter,
    today: date,
) -> set[int]:
    parents = {item.id: item.parent_id for item in ordered}
    words = query.text.split()
    keep: set[int] = set()
    for item in ordered:
        if by_parent.get(item.id) and item.parent_id is not None:
            continue  # a sub-section is shown for the tasks under it, not for itself
        if query.status and item.status != query.status:
            continue
        if query.owner and query.owner not in item.owner:
            continue
        if query.lead_unit_id and item.lead_unit_id != query.lead_unit_id:
            continue
        if query.overdue and not is_overdue(item, today):
            continue
        text = f"{item.number}{item.title}{item.body}{item.owner}{item.note}"
        if any(word not in text for word in words):
            continue
        node: int | None = item.id
        while node is not None:  # the item and every section above it
            keep.add(node)
            node = parents.get(node)
    return keep


def plan_owners(session: Session, plan_id: int) -> list[str]:
    """The 责任人 written in a plan, for the filter."""
    return sorted(
        o
        for o in session.scalars(
            select(PlanItem.owner)
            .where(PlanItem.plan_id == plan_id, PlanItem.deleted_at.is_(None), PlanItem.owner != "")
            .distinct()
        )
    )


def lead_unit_choices(session: Session) -> list[tuple[int, str]]:
    """Organisations that can lead a task (团委 and 团总支 first), as (id, name)."""
    rows = session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind)
        .where(Organisation.deleted_at.is_(None))
        .order_by(Organisation.parent_id.is_not(None), Organisation.position, Organisation.id)
    )
    return [(row.id, row.name) for row in rows]


def key_date_rules(session: Session) -> list[KeyDateRule]:
    """The calendar's key dates as a plan import links its time words to them."""
    return [
        KeyDateRule(kd.id, kd.name, kd.calendar, kd.month, kd.day)
        for kd in session.scalars(
            select(KeyDate).where(KeyDate.deleted_at.is_(None)).order_by(KeyDate.id)
        )
    ]


def default_key_date_rules() -> list[KeyDateRule]:
    """The key dates every office starts with, for a dry run that has no database."""
    return [KeyDateRule(0, n, c, m, d) for n, c, m, d, _remind in reference.KEY_DATES]


def key_date_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(KeyDate.id, KeyDate.name)
        .where(KeyDate.deleted_at.is_(None))
        .order_by(KeyDate.month, KeyDate.day)
    )
    return [(row.id, row.name) for row in rows]


# --- editing items -----------------------------------------------------------------------------

_DEFAULT_NUMBERS = {None: "一、", "": "1、", "part": "一、", "chinese": "1、", "arabic": "（1）"}


def _siblings(session: Session, plan_id: int, parent_id: int | None) -> list[PlanItem]:
    return [i for i in _live_items(session, plan_id) if i.parent_id == parent_id]


def _restructure(session: Session, plan_id: int) -> None:
    """After any change of shape: positions 0..n, numbers in sequence, kinds from the shape."""
    session.flush()
    by_parent = _children(_live_items(session, plan_id))
    for parent_id, items in by_parent.items():
        counters: dict[str, int] = {}
        for position, item in enumerate(items):
            item.parent_id = parent_id  # settles items whose section is in the recycle bin
            item.position = position
            item.kind = "section" if parent_id is None or by_parent.get(item.id) else "task"
            style = number_style(item.number)
            if style and style != "bullet":
                counters[style] = counters.get(style, 0) + 1
                item.number = renumber(item.number, counters[style])
    session.flush()


def _default_number(neighbour: PlanItem | None, parent: PlanItem | None) -> str:
    """The style of the item it follows (renumbered to the next value by _restructure)."""
    if neighbour is not None and number_style(neighbour.number):
        return neighbour.number
    if parent is None:
        return _DEFAULT_NUMBERS[None]
    return _DEFAULT_NUMBERS.get(number_style(parent.number), "1、")


def add_plan_item(
    session: Session,
    plan_id: int,
    title: str,
    *,
    parent_id: int | None = None,
    after_id: int | None = None,
    number: str | None = None,
) -> PlanItem:
    """A new item under ``parent_id`` (None: a new section), placed after ``after_id`` or last."""
    plan = get_live(session, Plan, plan_id, "工作计划")
    if not title.strip():
        raise ValidationError("请填写事项名称。", field="事项")
    parent = get_live(session, PlanItem, parent_id, "上级板块") if parent_id else None
    siblings = _siblings(session, plan.id, parent_id)
    position = len(siblings)
    if after_id is not None:
        position = next((i + 1 for i, s in enumerate(siblings) if s.id == after_id), position)
    for sibling in siblings[position:]:
        sibling.position += 1
    neighbour = siblings[position - 1] if position else (siblings[0] if siblings else None)
    item = PlanItem(
        plan_id=plan.id,
        parent_id=parent_id,
        title=title.strip(),
        position=position,
        number=number if number is not None else _default_number(neighbour, parent),
        kind="section" if parent is None else "task",
    )
    session.add(item)
    siblings.insert(position, item)
    for i, sibling in enumerate(siblings):
        sibling.position = i
    _restructure(session, plan.id)
    return item


EDITABLE = {
    "number",
    "title",
    "body",
    "owner",
    "lead_unit_id",
    "time_node",
    "due_date",
    "key_date_id",
    "status",
    "progress",
    "note",
}


def update_plan_item(session: Session, item_id: int, changes: dict[str, Any]) -> PlanItem:
    """Change fields of an item as typed in the detail pane or the tree."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = {key: _clean_field(session, key, value) for key, value in changes.items()}
    if values.get("status") == DONE and "progress" not in values:
        values["progress"] = 100
    elif values.get("progress") == 100 and "status" not in values and item.status == NOT_STARTED:
        values["status"] = DONE
    elif values.get("progress") and "status" not in values and item.status == NOT_STARTED:
        values["status"] = "进行中"
    for key, value in values.items():
        setattr(item, key, value)
    if values.get("key_date_id") and not item.due_date:
        item.due_date = _key_date_in(session, item.key_date_id, item.plan.year)
    return item


def _key_date_in(session: Session, key_date_id: int, year: int) -> date:
    """The day a key date falls on in ``year`` (重阳 moves with the lunar calendar)."""
    key = session.get(KeyDate, key_date_id)
    return resolve_key_date(year, key.calendar, key.month, key.day)


def _clean_field(session: Session, key: str, value: Any) -> Any:
    if key in ("title",):
        text = str(value or "").strip()
        if not text:
            raise ValidationError("事项名称不能为空。", field="事项")
        return text[:300]
    if key == "status":
        if value not in PLAN_ITEM_STATUSES:
            raise ValidationError(f"状态应为{'、'.join(PLAN_ITEM_STATUSES)}之一。", field="状态")
        return value
    if key == "progress":
        try:
            percent = int(str(value).strip().rstrip("%"))
        except ValueError:
            raise ValidationError(f"进度“{value}”不是 0—100 的整数。", field="进度") from None
        if not 0 <= percent <= 100:
            raise ValidationError("进度应在 0—100 之间。", field="进度")
        return percent
    if key == "due_date":
        if value in (None, ""):
            return None
        return parse_date(value, field="完成时限")
    if key == "lead_unit_id":
        return get_live(session, Organisation, int(value), "牵头单位").id if value else None
    if key == "key_date_id":
        return get_live(session, KeyDate, int(value), "重要节点").id if value else None
    return str(value or "").strip()


def move_plan_item(session: Session, item_id: int, offset: int) -> PlanItem:
    """Up (-1) or down (+1) among the items of the same section."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    siblings = _siblings(session, item.plan_id, item.parent_id)
    index = siblings.index(item)
    target = index + offset
    if not 0 <= target < len(siblings):
        raise ValidationError("已经到头了，无法再移动。")
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings):
        sibling.position = position
    _restructure(session, item.plan_id)
    return item


def indent_plan_item(session: Session, item_id: int) -> PlanItem:
    """降级: the item goes under the item above it, as its last sub-item."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    siblings = _siblings(session, item.plan_id, item.parent_id)
    index = siblings.index(item)
    if index == 0:
        raise ValidationError("上面没有同级事项，无法降级。")
    new_parent = siblings[index - 1]
    under = _siblings(session, item.plan_id, new_parent.id)
    item.number = (
        under[-1].number if under else _DEFAULT_NUMBERS.get(number_style(new_parent.number), "1、")
    )
    item.parent_id = new_parent.id
    item.position = len(under)
    _restructure(session, item.plan_id)
    return item


def outdent_plan_item(session: Session, item_id: int) -> PlanItem:
    """升级: the item leaves its section and follows it, one level up."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    if item.parent_id is None:
        raise ValidationError("已是最上层，无法升级。")
    parent = get_live(session, PlanItem, item.parent_id, "上级板块")
    siblings = _siblings(session, item.plan_id, parent.parent_id)
    item.parent_id = parent.parent_id
    item.number = parent.number
    siblings.insert(siblings.index(parent) + 1, item)
    for position, sibling in enumerate(siblings):
        sibling.position = position
    _restructure(session, item.plan_id)
    return item


def delete_plan_item(session: Session, item_id: int) -> int:
    """To the recycle bin, with everything under it; returns how many items went."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    by_parent = _children(_live_items(session, item.plan_id))
    doomed = [item]
    for node in doomed:
        doomed.extend(by_parent.get(node.id, []))
    for node in doomed:
        move_to_recycle_bin(session, node)
    _restructure(session, item.plan_id)
    return len(doomed)


# --- evidence (活动佐证) -------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    activity_id: int
    title: str
    start_date: date
    status: str


def item_evidence(session: Session, item_id: int) -> list[EvidenceRow]:
    item = get_live(session, PlanItem, item_id, "计划事项")
    return [
        EvidenceRow(a.id, a.title, a.start_date, a.status)
        for a in sorted(item.activities, key=lambda a: a.start_date)
        if a.deleted_at is None
    ]


def activities_for_linking(session: Session, year: int, item_id: int) -> list[EvidenceRow]:
    """Activities of the year not yet linked to the item, newest first."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    linked = {a.id for a in item.activities}
    rows = session.scalars(
        select(Activity)
        .where(
            Activity.deleted_at.is_(None),
            Activity.start_date >= date(year, 1, 1),
            Activity.start_date <= date(year, 12, 31),
        )
        .order_by(Activity.start_date.desc())
    )
    return [EvidenceRow(a.id, a.title, a.start_date, a.status) for a in rows if a.id not in linked]


def link_activities(session: Session, item_id: int, activity_ids: Iterable[int]) -> int:
    item = get_live(session, PlanItem, item_id, "计划事项")
    linked = {a.id for a in item.activities}
    added = 0
    for activity_id in activity_ids:
        if activity_id not in linked:
            item.activities.append(get_live(session, Activity, activity_id, "活动"))
            linked.add(activity_id)
            added += 1
    return added


def unlink_activity(session: Session, item_id: int, activity_id: int) -> None:
    item = get_live(session, PlanItem, item_id, "计划事项")
    item.activities = [a for a in item.activities if a.id != activity_id]


def complete_from_evidence(session: Session, item_id: int) -> PlanItem:
    """One click: a task whose linked activities include a finished one is marked 已完成."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    finished = [
        a for a in item.activities if a.deleted_at is None and a.status == FINISHED_ACTIVITY
    ]
    if not finished:
        raise ValidationError("该事项还没有已完成的关联活动，不能按佐证标记完成。")
    item.status, item.progress = DONE, 100
    return item


# --- import and copy ---------------------------------------------------------------------------


def import_plan(session: Session, parsed: ParsedPlan, year: int, *, replace: bool = False) -> Plan:
    """Save a parsed plan text as the plan of ``year`` (one transaction: all or nothing).

    An existing plan for the year is refused unless ``replace``, which sends it to the recycle bin.
    Time words become each task's 时间节点, linked to the calendar's key date with a due date in
    ``year`` (proposed tasks are saved like the others: the clerk saw them in the preview).
    """
    _check_year(year)
    resolve_dates(parsed, key_date_rules(session), year)
    existing = plan_for_year(session, year)
    if existing is not None:
        if not replace:
            raise Conflict(
                f"{year}年已有工作计划“{existing.title}”。如要替换，请确认覆盖（原计划进入回收站）。"
            )
        move_to_recycle_bin(session, existing)
    plan = Plan(
        year=year, title=(parsed.title or f"{year}年工作计划")[:200], approach=parsed.approach
    )
    session.add(plan)
    session.flush()
    _add_parsed(session, plan, parsed.items, parent_id=None)
    session.flush()
    return plan


def _add_parsed(
    session: Session, plan: Plan, items: list[ParsedItem], parent_id: int | None
) -> None:
    for position, parsed in enumerate(items):
        item = PlanItem(
            plan_id=plan.id,
            parent_id=parent_id,
            position=position,
            kind=parsed.kind,
            number=parsed.number,
            title=parsed.title[:300],
            body=parsed.body,
            time_node=parsed.time_node,
            due_date=parsed.due_date,
            key_date_id=parsed.key_date_id,
        )
        session.add(item)
        session.flush()
        _add_parsed(session, plan, parsed.children, item.id)


def copy_plan_to_year(session: Session, plan_id: int, year: int) -> Plan:
    """Next year's plan from this one: same items, reset to 未开始, dates a year (or more) on."""
    source = get_live(session, Plan, plan_id, "工作计划")
    _check_year(year)
    if plan_for_year(session, year) is not None:
        raise Conflict(f"{year}年已有工作计划，不能再复制一份。")
    shift = year - source.year
    title = (
        source.title.replace(str(source.year), str(year))
        if str(source.year) in source.title
        else source.title
    )
    plan = Plan(year=year, title=title, approach=source.approach, status="draft")
    session.add(plan)
    session.flush()
    new_ids: dict[int, int] = {}
    for old in _in_order(_children(_live_items(session, source.id))):
        item = PlanItem(
            plan_id=plan.id,
            parent_id=new_ids.get(old.parent_id) if old.parent_id else None,
            position=old.position,
            kind=old.kind,
            number=old.number,
            title=old.title,
            body=old.body,
            owner=old.owner,
            lead_unit_id=old.lead_unit_id,
            time_node=old.time_node,
            key_date_id=old.key_date_id,
            note="",
            due_date=_shifted_due_date(session, old, year, shift),
            status=NOT_STARTED,
            progress=0,
        )
        session.add(item)
        session.flush()
        new_ids[old.id] = item.id
    return plan


def _shifted_due_date(session: Session, item: PlanItem, year: int, shift: int) -> date | None:
    if item.due_date is None:
        return None
    if item.key_date_id and item.due_date == _key_date_in(
        session, item.key_date_id, item.plan.year
    ):
        return _key_date_in(session, item.key_date_id, year)  # on the key date: follow it
    return add_years(item.due_date, shift)


# --- outputs -----------------------------------------------------------------------------------

PLAN_REGISTER_COLUMNS = [
    Column("section", "板块", 24),
    Column("task", "工作事项", 34),
    Column("owner", "责任人", 10),
    Column("lead_unit", "牵头单位", 18),
    Column("time_node", "时间节点", 12),
    Column("due_date", "完成时限", 11, "date"),
    Column("status", "状态", 8),
    Column("progress", "进度", 8, "percent"),
    Column("evidence", "佐证活动", 9, "int", total=True),
    Column("note", "备注", 16),
]


def plan_register_rows(session: Session, year: int, today: date) -> list[dict]:
    """One row per task (and per section that has no tasks), sections named on each row."""
    tree = plan_tree(session, year, today)
    if tree is None:
        raise NotFound(f"{year}年还没有工作计划，无法导出。")
    by_id = {row.id: row for row in tree.rows}
    parents = {row.parent_id for row in tree.rows}
    rows = []
    for row in tree.rows:
        if row.id in parents:
            continue  # sections show through their tasks
        top = row
        while top.parent_id is not None:
            top = by_id[top.parent_id]
        is_section = top is row
        note = "；".join(t for t in (row.note, "已逾期" if row.overdue else "") if t)
        rows.append(
            {
                "section": f"{top.number}{top.title}",
                "task": "（本板块整体）" if is_section else _path(row, by_id),
                "owner": row.owner,
                "lead_unit": row.lead_unit,
                "time_node": row.time_node,
                "due_date": row.due_date,
                "status": row.status,
                "progress": row.progress / 100,
                "evidence": row.evidence,
                "note": note,
            }
        )
    return rows


def _path(row: PlanItemRow, by_id: dict[int, PlanItemRow]) -> str:
    """“第五，/ 3、标题” for a task two levels down: the clerk sees where it sits."""
    parts = [f"{row.number}{row.title}"]
    parent = by_id.get(row.parent_id) if row.parent_id else None
    while parent is not None and parent.parent_id is not None:
        parts.insert(0, parent.number.rstrip("，,、. "))
        parent = by_id.get(parent.parent_id)
    return " / ".join(parts)


def export_plan_register(
    session: Session,
    year: int,
    path: str | Path,
    *,
    today: date,
    progress: Progress | None = None,
) -> Path:
    rows = plan_register_rows(session, year, today)
    tree = plan_tree(session, year, today)
    assert tree is not None  # plan_register_rows raised otherwise
    register = office_register(
        session,
        f"{year}年工作计划推进情况表（整体进度 {tree.progress}%）",
        PLAN_REGISTER_COLUMNS,
        today=today,
        sheet_name=f"{year}年工作计划推进情况",
    )
    return write_register(path, register, rows, progress=progress)


@dataclass
class PdfResult:
    path: Path
    missing_glyphs: list[str]  # characters the font cannot print (shown as boxes)


def export_plan_document(
    session: Session,
    year: int,
    path: str | Path,
    *,
    today: date,
    progress: Progress | None = None,
) -> PdfResult:
    """The plan as a printable document: title, 总体思路, numbered sections and tasks."""
    tree = plan_tree(session, year, today)
    if tree is None:
        raise NotFound(f"{year}年还没有工作计划，无法导出。")
    levels: dict[int, int] = {}
    headings = []
    for row in tree.rows:
        levels[row.id] = levels.get(row.parent_id, 0) + 1 if row.parent_id else 1
        headings.append(PlanHeading(levels[row.id], row.number, row.title, row.body))
    office = get_setting(session, "office_name")
    text = tree.title + tree.approach + "".join(h.number + h.title + h.body for h in headings)
    written = write_plan_document(
        path,
        title=tree.title,
        approach=tree.approach,
        headings=headings,
        footer=f"{office}\n{chinese_date(today)}",
        header_text=f"{office} · {year}年工作计划",
        progress=progress,
    )
    return PdfResult(written, missing_glyphs(text))
