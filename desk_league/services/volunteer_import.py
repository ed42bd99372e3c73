"""Importing volunteer rosters and service-hour sheets from Excel: preview first, then all or nothing.

``preview_import`` reads and checks everything (the file, then the database: units, people
already registered, volunteers named in hours sheets) without writing; ``commit_import`` saves a
clean preview in the caller's one transaction. A file with any rejected row saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desk_league.data.audit import current_user
from desk_league.data.models import AuditLog, Person, ServiceRecord, Volunteer
from desk_league.domain.id_number import mask_id_number
from desk_league.errors import ValidationError
from desk_league.exports.register import Column, Register, write_register
from desk_league.imports.roster import (
    ROW_CHECKS,
    Mapping,
    RosterCheck,
    RowError,
    check_rows,
    guess_header_row,
    suggest_mapping,
)
from desk_league.imports.workbook import SheetRows, read_sheet
from desk_league.services.people import (
    PersonInput,
    name_sort_keys,
    unit_organisations,
    update_person,
)
from desk_league.services.progress import NO_PROGRESS, Progress
from desk_league.services.settings import numbering

KINDS = {"volunteers": "志愿者名册", "service_records": "志愿服务时长"}
SKIP, UPDATE = "skip", "update"


@dataclass(frozen=True)
class OnFile:
    """A row whose ID number is already a registered volunteer."""

    row: int
    id_number: str
    name: str
    volunteer_id: int
    number: str


@dataclass
class ImportPreview:
    kind: str
    file_name: str
    header_row: int
    mapping: Mapping
    check: RosterCheck
    on_file: list[OnFile] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return self.check.errors

    @property
    def ok(self) -> bool:
        return not self.check.errors

    def summary(self) -> str:
        parts = [f"可导入 {len(self.check.records)} 行", f"错误 {len(self.check.rejected_rows)} 行"]
        if self.check.duplicates:
            parts.append(f"文件内身份证号重复 {len(self.check.duplicates)} 处")
        if self.on_file:
            parts.append(f"已登记的志愿者 {len(self.on_file)} 人")
        if self.check.skipped_blank:
            parts.append(f"空行 {self.check.skipped_blank} 行已忽略")
        return "，".join(parts)

    def duplicate_lines(self) -> list[str]:
        lines = [
            f"第 {row} 行与第 {first} 行身份证号相同（{mask_id_number(idn)}）"
            for first, row, idn in self.check.duplicates
        ]
        lines += [
            f"第 {d.row} 行 {d.name}（{mask_id_number(d.id_number)}）已是志愿者 {d.number}"
            for d in self.on_file
        ]
        return lines


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"新增 {self.created} 条，更新 {self.updated} 条，跳过 {self.skipped} 条"


def open_sheet(
    path: str | Path, sheet: str | None = None, progress: Progress = NO_PROGRESS
) -> SheetRows:
    return read_sheet(path, sheet, progress)


def suggest_layout(rows: SheetRows, kind: str) -> tuple[int, Mapping]:
    """The likely header row and column mapping, for the wizard to show and the clerk to correct."""
    fields = ROW_CHECKS[kind][0]
    header_row = guess_header_row(rows.rows, fields)
    headers = rows.rows[header_row - 1] if rows.rows else ()
    return header_row, suggest_mapping(headers, fields)


def preview_import(
    session: Session,
    rows: SheetRows,
    kind: str,
    header_row: int,
    mapping: Mapping,
    *,
    file_name: str = "",
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportPreview:
    """Every row checked against the rules and the database; nothing is written."""
    if kind not in KINDS:
        raise ValueError(kind)
    check = check_rows(rows.rows, header_row, mapping, kind, today=today, progress=progress)
    preview = ImportPreview(kind, file_name, header_row, mapping, check)
    headers = rows.rows[header_row - 1] if rows.rows else ()
    if kind == "volunteers":
        _resolve_units(session, preview, headers)
        _find_on_file(session, preview)
    else:
        _resolve_volunteers(session, preview, headers)
    return preview


def _column_title(headers, mapping: Mapping, key: str, default: str) -> str:
    index = mapping.get(key)
    if index is not None and index < len(headers) and headers[index]:
        return " ".join(str(headers[index]).split())
    return default


def _reject(check: RosterCheck, errors: list[RowError]) -> None:
    if errors:
        check.errors.extend(errors)
        bad = {e.row for e in errors}
        check.records = [r for r in check.records if r["row"] not in bad]
        check.errors.sort(key=lambda e: e.row)


def _resolve_units(session: Session, preview: ImportPreview, headers) -> None:
    units = unit_organisations(session)
    title = _column_title(headers, preview.mapping, "unit", "单位")
    errors = []
    for record in preview.check.records:
        unit = record["unit"]
        record["organisation_id"] = units.get(unit) if unit else None
        if unit and record["organisation_id"] is None:
            errors.append(
                RowError(
                    record["row"],
                    title,
                    f"单位“{unit}”不在团组织名单中，请改正名称或先在“团组织”页添加",
                )
            )
    _reject(preview.check, errors)


def _find_on_file(session: Session, preview: ImportPreview) -> None:
    numbers = [r["id_number"] for r in preview.check.records if r["id_number"]]
    known: dict[str, tuple] = {}
    for chunk in _chunks(numbers, 500):
        stmt = (
            select(Person.id_number, Person.name, Volunteer.id, Volunteer.number)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .where(Person.id_number.in_(chunk), Volunteer.deleted_at.is_(None))
        )
        known.update({row[0]: row[1:] for row in session.execute(stmt)})
    preview.on_file = [
        OnFile(r["row"], r["id_number"], *known[r["id_number"]])
        for r in preview.check.records
        if r["id_number"] in known
    ]


def _resolve_volunteers(session: Session, preview: ImportPreview, headers) -> None:
    by_number = dict(
        tuple(row)
        for row in session.execute(
            select(Volunteer.number, Volunteer.id).where(Volunteer.deleted_at.is_(None))
        ).all()
    )
    by_id_number = dict(
        tuple(row)
        for row in session.execute(
            select(Person.id_number, Volunteer.id)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .where(Volunteer.deleted_at.is_(None), Person.id_number.is_not(None))
        ).all()
    )
    title = _column_title(
        headers,
        preview.mapping,
        "id_number",
        _column_title(headers, preview.mapping, "number", "志愿者"),
    )
    errors = []
    day_hours: dict[tuple[int, date], float] = {}
    for record in preview.check.records:
        vid = by_number.get(record["number"]) or by_id_number.get(record["id_number"])
        if vid is None:
            who = record["number"] or mask_id_number(record["id_number"])
            errors.append(RowError(record["row"], title, f"找不到志愿者 {who}，请先登记该志愿者"))
            continue
        record["volunteer_id"] = vid
        key = (vid, record["served_on"])
        if key not in day_hours:
            day_hours[key] = _hours_on_file(session, vid, record["served_on"])
        day_hours[key] += record["hours"]
        if day_hours[key] > 24:
            errors.append(
                RowError(
                    record["row"],
                    "服务时长",
                    f"{record['served_on']:%Y-%m-%d} 连同已录入的时长超过每天 24 小时",
                )
            )
    _reject(preview.check, errors)


def _hours_on_file(session: Session, volunteer_id: int, day: date) -> float:
    return float(
        session.scalar(
            select(func.coalesce(func.sum(ServiceRecord.hours), 0.0)).where(
                ServiceRecord.volunteer_id == volunteer_id,
                ServiceRecord.served_on == day,
                ServiceRecord.status != "void",
            )
        )
        or 0
    )


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- committing -------------------------------------------------------------------------------


def commit_import(
    session: Session,
    preview: ImportPreview,
    on_duplicate: str = SKIP,
    *,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Save a clean preview (in the caller's transaction). Any rejected row: nothing is saved."""
    if not preview.ok:
        raise ValidationError(
            f"文件中有 {len(preview.check.rejected_rows)} 行错误，未导入任何内容。请改正后重新导入，"
            "或导出错误清单对照修改。"
        )
    if on_duplicate not in (SKIP, UPDATE):
        raise ValueError(on_duplicate)
    today = today or date.today()
    if preview.kind == "volunteers":
        result = _commit_volunteers(session, preview, on_duplicate, today, progress)
    else:
        result = _commit_service_records(session, preview, progress)
    session.add(
        AuditLog(
            at=datetime.now(),
            user=session.info.get("user") or current_user(),
            action="create",
            table_name="volunteer" if preview.kind == "volunteers" else "service_record",
            summary=f"导入{KINDS[preview.kind]}“{preview.file_name}”：{result}"[:300],
            changes={},
        )
    )
    return result


def _rows_to_save(preview: ImportPreview, on_duplicate: str) -> list[dict]:
    """One record per ID number: the first row when skipping, the last when updating."""
    chosen: dict[str, dict] = {}
    anonymous = []
    for record in preview.check.records:
        key = record["id_number"]
        if not key:
            anonymous.append(record)
        elif key not in chosen or on_duplicate == UPDATE:
            chosen[key] = record
    return sorted(list(chosen.values()) + anonymous, key=lambda r: r["row"])


def _commit_volunteers(
    session: Session, preview: ImportPreview, on_duplicate: str, today: date, progress: Progress
) -> ImportResult:
    records = _rows_to_save(preview, on_duplicate)
    on_file = {d.id_number: d for d in preview.on_file}
    result = ImportResult(skipped=len(preview.check.records) - len(records))
    new_people, existing_people, updates = [], {}, []
    ids = [r["id_number"] for r in records if r["id_number"] and r["id_number"] not in on_file]
    for chunk in _chunks(ids, 500):
        existing_people.update(
            tuple(row)
            for row in session.execute(
                select(Person.id_number, Person.id).where(Person.id_number.in_(chunk))
            ).all()
        )
    for record in records:
        if record["id_number"] in on_file:
            if on_duplicate == UPDATE:
                updates.append(record)
            else:
                result.skipped += 1
        else:
            new_people.append(record)
    progress.step(0, len(records), "正在保存…")
    for n, record in enumerate(updates, start=1):
        _update_from_row(session, on_file[record["id_number"]].volunteer_id, record, today)
        progress.step(n, len(records))
    result.updated = len(updates)
    result.created = _insert_volunteers(session, new_people, existing_people, today)
    progress.step(len(records), len(records))
    return result


def _person_values(record: dict) -> dict[str, Any]:
    return {
        "name": record["name"],
        "gender": record["gender"],
        "id_type": record["id_type"],
        "id_number": record["id_number"] or None,
        "birth_date": record["birth_date"],
        "phone": record["phone"],
        "organisation_id": record["organisation_id"],
        "department": record["department"],
        "political_status": record["political_status"],
        "note": "",
    }


def _insert_volunteers(
    session: Session, records: list[dict], existing_people: dict[str, int], today: date
) -> int:
    """Bulk insert (a 10,000-row roster in about a second); the audit gets one summary line."""
    fresh = [r for r in records if r["id_number"] not in existing_people]
    person_ids = (
        list(
            session.scalars(
                insert(Person).returning(Person.id, sort_by_parameter_order=True),
                [_person_values(r) | name_sort_keys(r["name"]) for r in fresh],
            )
        )
        if fresh
        else []
    )
    ids = dict(zip((id(r) for r in fresh), person_ids, strict=True))
    numbers = _NumberAllocator(session)
    rows = []
    for record in records:
        registered = record["registered_on"] or today
        rows.append(
            {
                "person_id": ids.get(id(record)) or existing_people[record["id_number"]],
                "number": numbers.take(record["number"], registered.year),
                "registered_on": registered,
                "team": record["team"],
                "skills": record["skills"],
                "status": "在册",
                "note": record["note"],
            }
        )
    if rows:
        session.execute(insert(Volunteer), rows)
    return len(rows)


class _NumberAllocator:
    """Volunteer numbers for a batch: the file's own number if free, else the next of the pattern."""

    def __init__(self, session: Session) -> None:
        self.numbers = numbering(session, "volunteer_number_pattern")
        self.taken = set(session.scalars(select(Volunteer.number)))
        self.next_seq: dict[int, int] = {}

    def take(self, wanted: str, year: int) -> str:
        if wanted and wanted not in self.taken:
            self.taken.add(wanted)
            return wanted
        if year not in self.next_seq:
            prefix = self.numbers.prefix(year)
            self.next_seq[year] = 1 + sum(1 for n in self.taken if n.startswith(prefix))
        while (number := self.numbers.number(year, self.next_seq[year])) in self.taken:
            self.next_seq[year] += 1
        self.taken.add(number)
        return number


def _update_from_row(session: Session, volunteer_id: int, record: dict, today: date) -> None:
    volunteer = session.get(Volunteer, volunteer_id)
    person = PersonInput(
        **{k: v for k, v in _person_values(record).items() if k != "id_number"},
        id_number=record["id_number"],
    )
    update_person(session, volunteer.person_id, person, today)
    for key in ("team", "skills", "note"):
        if record[key]:
            setattr(volunteer, key, record[key])
    if record["registered_on"]:
        volunteer.registered_on = record["registered_on"]


def _commit_service_records(
    session: Session, preview: ImportPreview, progress: Progress
) -> ImportResult:
    user = session.info.get("user") or current_user()
    rows = [
        {
            "volunteer_id": r["volunteer_id"],
            "served_on": r["served_on"],
            "hours": r["hours"],
            "content": r["content"],
            "place": r["place"],
            "organiser": r["organiser"],
            "entered_by": user[:40],
            "status": "pending",
        }
        for r in preview.check.records
    ]
    if rows:
        session.execute(insert(ServiceRecord), rows)
    progress.step(len(rows), len(rows))
    return ImportResult(created=len(rows))


# --- one call for the command line and the bench ---------------------------------------------


def import_file(
    session: Session,
    path: str | Path,
    kind: str = "volunteers",
    *,
    sheet: str | None = None,
    on_duplicate: str = SKIP,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> tuple[ImportPreview, ImportResult | None]:
    """Read, check and (unless ``dry_run`` or any row is rejected) save a file, layout guessed."""
    rows = open_sheet(path, sheet, progress)
    header_row, mapping = suggest_layout(rows, kind)
    preview = preview_import(
        session,
        rows,
        kind,
        header_row,
        mapping,
        file_name=Path(path).name,
        today=today,
        progress=progress,
    )
    if dry_run or not preview.ok:
        return preview, None
    return preview, commit_import(session, preview, on_duplicate, today=today, progress=progress)


ERROR_COLUMNS = [
    Column("row", "行号", 8, "int"),
    Column("column", "列", 16),
    Column("reason", "错误原因", 60),
]


def export_import_errors(
    path: str | Path, preview: ImportPreview, *, today: date | None = None
) -> Path:
    """The error list as a register, to fix the roster against."""
    register = Register(
        title=f"导入错误清单：{preview.file_name}",
        columns=ERROR_COLUMNS,
        date=today or date.today(),
        signature=False,
    )
    rows = [{"row": e.row, "column": e.column, "reason": e.reason} for e in preview.errors]
    return write_register(path, register, rows)
