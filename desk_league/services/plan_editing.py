"""Changing a work plan: the plan itself, and its items added, edited, moved, indented, deleted.

Structure rules: top-level items and items with sub-items are sections (板块), the other
leaves are tasks (事项). Numbers are kept as written (一、 （一） 1、 第一，) and rewritten in the
same style when items are added, moved, indented or deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desk_league.data.models import KeyDate, Organisation, Plan, PlanItem
from desk_league.domain.codes import PlanItemKind, PlanItemStatus, PlanStatus
from desk_league.domain.dates import parse_date
from desk_league.domain.lunar import resolve_key_date
from desk_league.errors import Conflict, NotFound, ValidationError
from desk_league.imports.plan_text import number_style, renumber
from desk_league.services.common import get_live, get_to_save, move_to_recycle_bin
from desk_league.services.plan_tree import items_by_parent, live_items, plan_for_year
from desk_league.services.settings import get_setting

DONE, TODO = PlanItemStatus.DONE, PlanItemStatus.TODO
SECTION, TASK = PlanItemKind.SECTION, PlanItemKind.TASK


def check_plan_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError(f"年度 {year} 不在 2000—2100 之间。", field="年度")


def create_plan(session: Session, year: int, title: str = "", approach: str = "") -> Plan:
    check_plan_year(year)
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
    version: int | None = None,
) -> Plan:
    """``version``: the plan as the form loaded it (a change made since is not overwritten)."""
    plan = get_to_save(session, Plan, plan_id, version, "工作计划")
    if title is not None:
        if not title.strip():
            raise ValidationError("计划标题不能为空。", field="标题")
        plan.title = title.strip()
    if approach is not None:
        plan.approach = approach.strip()
    if status is not None:
        plan.status = PlanStatus.parse(status)
    return plan


# --- editing items -----------------------------------------------------------------------------

_DEFAULT_NUMBERS = {None: "一、", "": "1、", "part": "一、", "chinese": "1、", "arabic": "（1）"}


def _siblings(session: Session, plan_id: int, parent_id: int | None) -> list[PlanItem]:
    return [i for i in live_items(session, plan_id) if i.parent_id == parent_id]


def _restructure(session: Session, plan_id: int) -> None:
    """After any change of shape: positions 0..n, numbers in sequence, kinds from the shape."""
    session.flush()
    by_parent = items_by_parent(live_items(session, plan_id))
    for parent_id, items in by_parent.items():
        counters: dict[str, int] = {}
        for position, item in enumerate(items):
            item.parent_id = parent_id  # settles items whose section is in the recycle bin
            item.position = position
            item.kind = SECTION if parent_id is None or by_parent.get(item.id) else TASK
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
        kind=SECTION if parent is None else TASK,
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


def update_plan_item(
    session: Session, item_id: int, changes: dict[str, Any], version: int | None = None
) -> PlanItem:
    """Change fields of an item as typed in the detail pane or the tree (``version``: the item
    as the pane loaded it; a change made on another PC since is not overwritten)."""
    item = get_to_save(session, PlanItem, item_id, version, "计划事项")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = {key: _clean_field(session, key, value) for key, value in changes.items()}
    if values.get("status") == DONE and "progress" not in values:
        values["progress"] = 100
    elif values.get("progress") == 100 and "status" not in values and item.status == TODO:
        values["status"] = DONE
    elif values.get("progress") and "status" not in values and item.status == TODO:
        values["status"] = PlanItemStatus.ONGOING
    for key, value in values.items():
        setattr(item, key, value)
    if values.get("key_date_id") and not item.due_date:
        item.due_date = key_date_in(session, values["key_date_id"], item.plan.year)
    return item


def key_date_in(session: Session, key_date_id: int, year: int) -> date:
    """The day a key date falls on in ``year`` (重阳 moves with the lunar calendar)."""
    key = session.get(KeyDate, key_date_id)  # one in the recycle bin still dates its tasks
    if key is None:
        raise NotFound(f"找不到该重要节点（编号 {key_date_id}）。")
    return resolve_key_date(year, key.calendar, key.month, key.day)


def _clean_field(session: Session, key: str, value: Any) -> Any:
    if key in ("title",):
        text = str(value or "").strip()
        if not text:
            raise ValidationError("事项名称不能为空。", field="事项")
        return text[:300]
    if key == "status":
        return PlanItemStatus.parse(value)
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
    by_parent = items_by_parent(live_items(session, item.plan_id))
    doomed = [item]
    for node in doomed:
        doomed.extend(by_parent.get(node.id, []))
    for node in doomed:
        move_to_recycle_bin(session, node)
    _restructure(session, item.plan_id)
    return len(doomed)
