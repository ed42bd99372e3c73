"""A work plan out of the app: the 工作计划推进情况表 register and the printable plan (PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desk_league.domain.codes import PlanItemStatus
from desk_league.errors import NotFound
from desk_league.exports.pdf import chinese_date, missing_glyphs
from desk_league.exports.plan_document import PlanHeading, write_plan_document
from desk_league.exports.register import Column, write_register
from desk_league.services.plan_tree import PlanItemRow, plan_tree
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register
from desk_league.services.settings import get_setting

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
                "status": PlanItemStatus.label_of(row.status),
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
