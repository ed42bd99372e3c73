"""Reading a year's work plan (工作计划): its tree of sections and tasks, with progress and filters.

Progress of a section is the mean of the tasks under it (cancelled ones left out); a childless
section counts with its own. The other plan modules: ``plan_editing`` (the plan and its items),
``plan_evidence`` (activities as evidence), ``plan_import`` (pasted text, copying a year),
``plan_outputs`` (the register and the printable document).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import (
    Activity,
    KeyDate,
    Organisation,
    Plan,
    PlanItem,
    plan_item_activity,
)
from desk_league.domain.codes import ActivityStatus, PlanItemKind, PlanItemStatus
from desk_league.services.common import get_live
from desk_league.services.listing import ListColumn, Listing

DONE, CANCELLED, TODO = PlanItemStatus.DONE, PlanItemStatus.CANCELLED, PlanItemStatus.TODO

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
        ListColumn("status", "状态", PlanItem.status, width=60, labels=PlanItemStatus.labels()),
        ListColumn("progress", "进度", PlanItem.progress, "percent", width=55),
    ],
    base=select(PlanItem)
    .join(Plan, PlanItem.plan_id == Plan.id)
    .outerjoin(_section, PlanItem.parent_id == _section.id)
    .outerjoin(Organisation, PlanItem.lead_unit_id == Organisation.id)
    .where(
        PlanItem.deleted_at.is_(None), Plan.deleted_at.is_(None), PlanItem.kind == PlanItemKind.TASK
    ),
    search=[PlanItem.title, PlanItem.body, PlanItem.owner],
    filters={
        "year": lambda year: Plan.year == int(year),
        "status": lambda status: PlanItem.status == status,
    },
    default_sort=[_section.position, PlanItem.position, PlanItem.id],
)


def plan_years(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Plan.year).where(Plan.deleted_at.is_(None)).distinct().order_by(Plan.year.desc())
        )
    )


def plan_for_year(session: Session, year: int) -> Plan | None:
    return session.scalar(
        select(Plan).where(Plan.year == year, Plan.deleted_at.is_(None)).order_by(Plan.id)
    )


def year_of_item(session: Session, item_id: int) -> int:
    """The year of the plan an item belongs to (to open it from elsewhere)."""
    item = get_live(session, PlanItem, item_id, "计划事项")
    return item.plan.year


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
    version: int | None = None  # as read: the detail pane saves over this one


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


def live_items(session: Session, plan_id: int) -> list[PlanItem]:
    return list(
        session.scalars(
            select(PlanItem)
            .where(PlanItem.plan_id == plan_id, PlanItem.deleted_at.is_(None))
            .order_by(PlanItem.position, PlanItem.id)
        )
    )


def items_by_parent(items: Iterable[PlanItem]) -> dict[int | None, list[PlanItem]]:
    """Items by parent. One restored from the recycle bin without its section shows at the top."""
    items = list(items)
    live = {item.id for item in items}
    by_parent: dict[int | None, list[PlanItem]] = {}
    for item in items:
        parent = item.parent_id if item.parent_id in live else None
        by_parent.setdefault(parent, []).append(item)
    return by_parent


def in_tree_order(by_parent: dict[int | None, list[PlanItem]]) -> list[PlanItem]:
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
    finished = func.sum(case((Activity.status == ActivityStatus.DONE, 1), else_=0))
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
    items = live_items(session, plan.id)
    by_parent = items_by_parent(items)
    ordered = in_tree_order(by_parent)
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
                version=item.version,
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
    return PlanItemStatus.ONGOING if percent > 0 else TODO


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


def key_date_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(KeyDate.id, KeyDate.name)
        .where(KeyDate.deleted_at.is_(None))
        .order_by(KeyDate.month, KeyDate.day)
    )
    return [(row.id, row.name) for row in rows]
