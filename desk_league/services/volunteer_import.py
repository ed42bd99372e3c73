"""Importing rosters and service-hour sheets (.xlsx, .xls, .csv): preview first, then save.

``preview_import`` reads and checks everything (the file, then the database: units, people
already registered, volunteers named in hours sheets) without writing; ``commit_import`` saves a
preview in the caller's one transaction. By default a file with any rejected row saves nothing;
``valid_only`` saves the clean rows and leaves the rest to the errors workbook
(``export_import_errors``), which holds the rejected rows as they were, ready to fix and import.

Each kind of file is a ``roster.RosterKind`` (its columns and row check) plus an ``_Importer``
(what it means for the database): volunteers and service hours here, 团员, 团干部 and the
organisation list in ``member_import``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desk_league.data.audit import current_user
from desk_league.data.constraints import VOLUNTEER_NUMBER
from desk_league.data.models import AuditLog, Organisation, Person, ServiceRecord, Volunteer
from desk_league.domain.codes import OrgKind, ServiceStatus, VolunteerStatus
from desk_league.domain.id_number import mask_id_number
from desk_league.domain.text import remove_spaces
from desk_league.domain.volunteering import check_service_date, same_service
from desk_league.errors import ValidationError
from desk_league.exports.register import Column, Register, write_workbook
from desk_league.imports.roster import (
    Mapping,
    RosterCheck,
    RowError,
    SkippedRow,
    check_daily_totals,
    check_rows,
    guess_header_row,
    header_cells,
    missing_required,
    roster_kind,
    suggest_mapping,
)
from desk_league.imports.sheet import HEADER_SEARCH_ROWS, SheetRows, is_blank
from desk_league.imports.table import read_table, sheet_names
from desk_league.services.common import bulk_insert, get_live, with_fresh_number
from desk_league.services.people import (
    PersonInput,
    insert_people,
    unit_organisations,
    update_person,
)
from desk_league.services.progress import NO_PROGRESS, Progress
from desk_league.services.service_hours import lock_volunteers
from desk_league.services.settings import numbering

SKIP, UPDATE = "skip", "update"
NEW_UNIT_KIND = OrgKind.BRANCH  # the smallest organisation; the clerk corrects it on the 团组织 tab


@dataclass(frozen=True)
class OnFile:
    """A row naming someone (or something) already on file in the role the file gives."""

    row: int
    id_number: str
    name: str
    record_id: int  # the volunteer, member … already on file
    number: str
    what: str = ""  # how the preview says it: 已是志愿者 WJ202600012

    def __str__(self) -> str:
        who = f"{self.name}（{mask_id_number(self.id_number)}）" if self.id_number else self.name
        return f"第 {self.row} 行 {who}{self.what or f'已是志愿者 {self.number}'}"


@dataclass
class ImportPreview:
    kind: str
    file_name: str
    header_row: int
    mapping: Mapping
    check: RosterCheck
    sheet: SheetRows | None = None  # the rows read, for the errors workbook
    on_file: list[OnFile] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)  # to be created (``create_units``)
    unknown_units: list[str] = field(default_factory=list)  # not on the list, not to be created
    accept_duplicates: bool = False  # service records repeating one on file are imported too
    duplicate_records: list[str] = field(default_factory=list)  # those, when accepted

    @property
    def errors(self) -> list[RowError]:
        return self.check.errors

    @property
    def ok(self) -> bool:
        return not self.check.errors

    @property
    def importable(self) -> int:
        return len(self.check.records)

    def summary(self) -> str:
        parts = [f"可导入 {len(self.check.records)} 行", f"错误 {len(self.check.rejected_rows)} 行"]
        if self.check.duplicates:
            parts.append(f"文件内身份证号重复 {len(self.check.duplicates)} 处")
        if self.on_file:
            parts.append(f"{ON_FILE_WORDS.get(self.kind, '已登记')} {len(self.on_file)} 行")
        if self.duplicate_records:
            parts.append(f"重复的服务记录 {len(self.duplicate_records)} 条（确认导入）")
        if self.new_units:
            parts.append(f"将新建团组织 {len(self.new_units)} 个")
        if self.check.skipped:
            parts.append(f"标题、合计、落款等 {len(self.check.skipped)} 行已跳过")
        if self.check.skipped_blank:
            parts.append(f"空行 {self.check.skipped_blank} 行已忽略")
        return "，".join(parts)

    def skipped_lines(self) -> list[str]:
        return [str(s) for s in self.check.skipped]

    def duplicate_lines(self) -> list[str]:
        names = self.check.names
        lines = [
            f"第 {row} 行与第 {first} 行身份证号相同（{names.get(row, '')} "
            f"{mask_id_number(idn)}），按所选方式只导入其中一行"
            for first, row, idn in self.check.duplicates
        ]
        lines += [str(d) for d in self.on_file]
        return lines + self.duplicate_records


ON_FILE_WORDS = {
    "volunteers": "已登记的志愿者",
    "members": "已在团员名册中",
    "cadres": "已任该职务",
    "organisations": "已有的团组织",
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0  # rows left out with errors (``valid_only``)
    units_created: int = 0

    def __str__(self) -> str:
        text = f"新增 {self.created} 条，更新 {self.updated} 条，跳过 {self.skipped} 条"
        if self.units_created:
            text += f"，新建团组织 {self.units_created} 个"
        if self.rejected:
            text += f"；有错误未导入 {self.rejected} 行"
        return text


@dataclass(frozen=True)
class _Importer:
    """The database side of one kind of file."""

    resolve: Callable[[Session, ImportPreview, bool], None]  # (session, preview, create_units)
    commit: Callable[[Session, ImportPreview, str, bool, date, Progress], ImportResult]
    table: str  # for the audit line


def open_sheet(
    path: str | Path, sheet: str | None = None, progress: Progress = NO_PROGRESS
) -> SheetRows:
    """The rows of a roster file: .xlsx, .xls or .csv, the same way for every import."""
    return read_table(path, sheet, progress)


def open_roster(
    path: str | Path, kind: str, sheet: str | None = None, progress: Progress = NO_PROGRESS
) -> SheetRows:
    """The sheet named, or else the first whose header has the columns ``kind`` needs: offices
    often put a 填表说明 or 封面 sheet before the roster. The first sheet when none has them.

    Each sheet's first rows decide (the header is among them); only the sheet chosen is read
    in full, not twelve monthly sheets of 10,000 rows each."""
    if sheet is None and len(names := sheet_names(path)) > 1:
        sheet = next(
            (
                name
                for name in names
                if _fits(read_table(path, name, rows=HEADER_SEARCH_ROWS), kind)
            ),
            names[0],
        )
    return open_sheet(path, sheet, progress)


def _fits(rows: SheetRows, kind: str) -> bool:
    return not missing_required(suggest_layout(rows, kind)[1], roster_kind(kind).fields)


def suggest_layout(rows: SheetRows, kind: str) -> tuple[int, Mapping]:
    """The likely header row and column mapping, for the wizard to show and the clerk to correct."""
    header_row = guess_header_row(rows, roster_kind(kind).fields)
    return header_row, suggest_mapping_at(rows, kind, header_row)[1]


def suggest_mapping_at(
    rows: SheetRows, kind: str, header_row: int
) -> tuple[tuple[Any, ...], Mapping]:
    """Row ``header_row`` read as the header (the lower row of a two-row header takes the
    group's words above it), and the fields its cells suggest: the wizard's columns to choose
    from once the clerk has said which row the header is."""
    headers = header_cells(rows, header_row)
    return headers, suggest_mapping(headers, roster_kind(kind).fields)


def preview_import(
    session: Session,
    rows: SheetRows,
    kind: str,
    header_row: int,
    mapping: Mapping,
    *,
    file_name: str = "",
    create_units: bool = False,
    accept_duplicates: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportPreview:
    """Every row checked against the rules and the database; nothing is written."""
    if kind not in IMPORTERS:
        raise ValueError(kind)
    check = check_rows(rows, header_row, mapping, kind, today=today, progress=progress)
    preview = ImportPreview(
        kind, file_name, header_row, mapping, check, rows, accept_duplicates=accept_duplicates
    )
    IMPORTERS[kind].resolve(session, preview, create_units)
    return preview


def _column(preview: ImportPreview, key: str, default: str) -> str:
    """The file's header of a mapped field, else ``default``."""
    return preview.check.titles.get(key, default) if key in preview.mapping else default


def _resolve_volunteers_roster(
    session: Session, preview: ImportPreview, create_units: bool
) -> None:
    _resolve_units(session, preview, create_units)
    _find_on_file(session, preview)


def _resolve_units(session: Session, preview: ImportPreview, create_units: bool) -> None:
    units = unit_organisations(session)
    title = _column(preview, "unit", "单位")
    errors: list[RowError] = []
    new: dict[str, int] = {}
    for record in preview.check.records:
        unit = record["unit"]
        record["organisation_id"] = units.get(unit) if unit else None
        if not unit or record["organisation_id"] is not None:
            continue
        new.setdefault(unit, record["row"])
        if create_units:
            continue
        errors.append(
            RowError(
                record["row"],
                title,
                f"单位“{unit}”不在团组织名单中",
                record["name"],
                "改为团组织名单中的名称，或在“团组织”页先添加；也可选“新建缺少的单位”",
            )
        )
    preview.new_units, preview.unknown_units = (list(new), []) if create_units else ([], list(new))
    preview.check.reject(errors)


def _find_on_file(session: Session, preview: ImportPreview) -> None:
    numbers = [r["id_number"] for r in preview.check.records if r["id_number"]]
    known: dict[str | None, tuple] = {}
    for chunk in _chunks(numbers, 500):
        stmt = (
            select(Person.id_number, Person.name, Volunteer.id, Volunteer.number)
            .join(Volunteer, Volunteer.person_id == Person.id)
            .where(Person.id_number.in_(chunk), Volunteer.deleted_at.is_(None))
        )
        known.update({idn: (name, vid, number) for idn, name, vid, number in session.execute(stmt)})
    preview.on_file = [
        OnFile(r["row"], r["id_number"], *known[r["id_number"]])
        for r in preview.check.records
        if r["id_number"] in known
    ]


def _resolve_service_records(session: Session, preview: ImportPreview, _create: bool) -> None:
    """Each row's volunteer, then the rules every service record meets (``service_hours``): a
    date on or after their 14th birthday, 24 hours a day with what is on file, and no second
    record of a service already on file that day (unless ``accept_duplicates``)."""
    _resolve_record_statuses(preview)
    by_number, by_id_number = _volunteers_named(session, preview.check.records)
    title = _column(preview, "id_number", _column(preview, "number", "志愿者"))
    errors = []
    for record in preview.check.records:
        found = by_number.get(record["number"]) or by_id_number.get(record["id_number"])
        if found is None:
            who = record["number"] or mask_id_number(record["id_number"])
            errors.append(
                RowError(
                    record["row"],
                    title,
                    f"找不到志愿者 {who}",
                    record["name"],
                    "先登记该志愿者（或先导入志愿者花名册），再导入时长",
                )
            )
            continue
        vid, name, birth = found
        if record["name"] and remove_spaces(record["name"]) != remove_spaces(name):
            errors.append(
                RowError(
                    record["row"],
                    _column(preview, "name", "姓名"),
                    f"{record['number'] or mask_id_number(record['id_number'])} 登记的是“{name}”，"
                    f"与本行姓名不符",
                    record["name"],
                    "核对志愿者编号或身份证号",
                )
            )
            continue
        try:
            check_service_date(record["served_on"], date.max, birth)
        except ValidationError as exc:
            errors.append(
                RowError(
                    record["row"],
                    _column(preview, "served_on", "服务日期"),
                    exc.reason,
                    record["name"],
                )
            )
            continue
        record["volunteer_id"] = vid
    preview.check.reject(errors)
    on_file = _records_on_file(session, preview.check.records)
    check_daily_totals(
        preview.check,
        person=lambda r: r["volunteer_id"],
        on_file=lambda vid, day: sum(r.hours for r in on_file.get((vid, day), ())),
    )
    _check_duplicate_records(preview, on_file)


def _volunteers_named(session: Session, records: list[dict]) -> tuple[dict, dict]:
    """(by number, by ID number) → (id, name, birth date) of the volunteers the rows name: only
    those, a few hundred at a time (not every volunteer on file)."""
    people = (
        select(Volunteer.id, Person.name, Person.birth_date, Volunteer.number, Person.id_number)
        .join(Person, Volunteer.person_id == Person.id)
        .where(Volunteer.deleted_at.is_(None))
    )
    by_number: dict[str, tuple[int, str, date | None]] = {}
    by_id_number: dict[str, tuple[int, str, date | None]] = {}
    numbers = sorted({r["number"] for r in records if r["number"]})
    id_numbers = sorted({r["id_number"] for r in records if r["id_number"]})
    for column, wanted in ((Volunteer.number, numbers), (Person.id_number, id_numbers)):
        for chunk in _chunks(wanted, 500):
            for vid, name, birth, number, id_number in session.execute(
                people.where(column.in_(chunk))
            ):
                by_number[number] = (vid, name, birth)
                if id_number:
                    by_id_number[id_number] = (vid, name, birth)
    return by_number, by_id_number


@dataclass(frozen=True)
class _OnFileRecord:
    id: int
    activity_id: int | None
    content: str
    hours: float
    status: str


def _records_on_file(
    session: Session, records: list[dict]
) -> dict[tuple[int, date], list[_OnFileRecord]]:
    """The saved records (not voided) of the volunteers and days the file speaks of."""
    days = [r["served_on"] for r in records]
    if not days:
        return {}
    wanted = {(r["volunteer_id"], r["served_on"]) for r in records}
    found: dict[tuple[int, date], list[_OnFileRecord]] = {}
    for chunk in _chunks(sorted({vid for vid, _ in wanted}), 500):
        rows = session.execute(
            select(
                ServiceRecord.volunteer_id,
                ServiceRecord.served_on,
                ServiceRecord.id,
                ServiceRecord.activity_id,
                ServiceRecord.content,
                ServiceRecord.hours,
                ServiceRecord.status,
            ).where(
                ServiceRecord.volunteer_id.in_(chunk),
                ServiceRecord.served_on.between(min(days), max(days)),
                ServiceRecord.status != ServiceStatus.VOID,
            )
        )
        for vid, day, record_id, activity_id, content, hours, status in rows:
            if (vid, day) in wanted:
                found.setdefault((vid, day), []).append(
                    _OnFileRecord(record_id, activity_id, content, hours, status)
                )
    return found


def _check_duplicate_records(
    preview: ImportPreview, on_file: dict[tuple[int, date], list[_OnFileRecord]]
) -> None:
    """A row repeating a service already saved, or an earlier row of the file, is named with
    the record it repeats; refused unless the clerk accepts duplicates."""
    title = _column(preview, "content", "服务内容")
    seen: dict[tuple[int, date], list[dict]] = {}
    errors = []
    for record in preview.check.records:
        key = (record["volunteer_id"], record["served_on"])
        saved = [
            r
            for r in on_file.get(key, ())
            if same_service(None, record["content"], r.activity_id, r.content)
        ]
        earlier = [
            r
            for r in seen.get(key, ())
            if same_service(None, record["content"], None, r["content"])
        ]
        seen.setdefault(key, []).append(record)
        if not saved and not earlier:
            continue
        what = "；".join(
            [
                f"已录入的记录（编号 {r.id}，“{r.content or '未填内容'}”{r.hours:g} 小时，"
                f"{ServiceStatus.label_of(r.status)}）"
                for r in saved
            ]
            + [f"第 {r['row']} 行（{r['hours']:g} 小时）" for r in earlier]
        )
        reason = f"{record['served_on']:%Y-%m-%d} 的这项服务与{what}重复"
        if preview.accept_duplicates:
            preview.duplicate_records.append(f"第 {record['row']} 行（{record['name']}）：{reason}")
            continue
        errors.append(
            RowError(
                record["row"],
                title,
                reason,
                record["name"],
                "确是同一天的另一次服务时，选择“重复的服务记录也导入”（命令行 --accept-duplicates）；"
                "否则删去此行",
            )
        )
    preview.check.reject(errors)


def _resolve_record_statuses(preview: ImportPreview) -> None:
    """A 状态 column (the app's own 明细 has one): voided records stay out, the rest are read."""
    title = _column(preview, "status", "状态")
    errors, kept = [], []
    for record in preview.check.records:
        text = record["status"]
        try:
            status = ServiceStatus.parse(text) if text else ServiceStatus.PENDING
        except ValidationError as exc:
            errors.append(RowError(record["row"], title, exc.reason, record["name"]))
            continue
        if status == ServiceStatus.VOID:
            preview.check.skipped.append(
                SkippedRow(record["row"], f"{record['name']} {text}", "是已作废的记录")
            )
            continue
        record["status"] = status
        kept.append(record)
    preview.check.records = kept
    preview.check.reject(errors)


def _recheck_daily_totals(session: Session, preview: ImportPreview) -> None:
    """Just before saving, with the volunteers locked: hours another PC entered since the
    preview may have filled a day (the 24-hour rule holds across PCs: the one rule, again)."""
    records = preview.check.records
    lock_volunteers(session, (r["volunteer_id"] for r in records))
    on_file = _records_on_file(session, records)
    again = RosterCheck(records=list(records), titles=preview.check.titles)
    check_daily_totals(
        again,
        person=lambda r: r["volunteer_id"],
        on_file=lambda vid, day: sum(r.hours for r in on_file.get((vid, day), ())),
    )
    if again.errors:
        raise ValidationError(
            "；".join(str(e) for e in again.errors[:10])
            + "（可能是其他电脑刚刚录入了当天的时长）。未导入任何内容，请重新预览后再导入。"
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
    valid_only: bool = False,
    keep_status: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Save a preview (in the caller's transaction).

    Any rejected row saves nothing, unless ``valid_only``: then the clean rows are saved and the
    rejected ones are counted (the caller writes them to the errors workbook). ``keep_status``
    keeps hours marked 已审核 in the file approved (moving the app's own 明细 to another
    database); otherwise every imported record waits for review.
    """
    if not preview.ok and not valid_only:
        raise ValidationError(
            f"文件中有 {len(preview.check.rejected_rows)} 行错误，未导入任何内容。请改正后重新导入，"
            "或导出错误清单对照修改；也可选择“只导入正确的行”。"
        )
    if not preview.check.records:
        raise ValidationError("没有可以导入的行，未导入任何内容。")
    if on_duplicate not in (SKIP, UPDATE):
        raise ValueError(on_duplicate)
    today = today or date.today()
    importer = IMPORTERS[preview.kind]
    result = importer.commit(session, preview, on_duplicate, keep_status, today, progress)
    result.rejected = len(preview.check.rejected_rows)
    session.add(
        AuditLog(
            at=datetime.now(),
            user=session.info.get("user") or current_user(),
            action="create",
            table_name=importer.table,
            summary=f"导入{roster_kind(preview.kind).title}“{preview.file_name}”：{result}"[:300],
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
    session: Session,
    preview: ImportPreview,
    on_duplicate: str,
    _keep_status: bool,
    today: date,
    progress: Progress,
) -> ImportResult:
    records = _rows_to_save(preview, on_duplicate)
    result = ImportResult(skipped=len(preview.check.records) - len(records))
    result.units_created = _create_units(session, preview, records)
    on_file = {d.id_number: d for d in preview.on_file}
    new_people, updates = [], []
    existing_people: dict[str | None, int] = {}
    ids = [r["id_number"] for r in records if r["id_number"] and r["id_number"] not in on_file]
    for chunk in _chunks(ids, 500):
        existing_people.update(
            session.execute(
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
        _update_from_row(session, on_file[record["id_number"]].record_id, record, today)
        progress.step(n, len(records))
    result.updated = len(updates)
    result.created = _insert_volunteers(session, new_people, existing_people, today)
    progress.step(len(records), len(records))
    return result


def _create_units(
    session: Session, preview: ImportPreview, records: list[dict], key: str = "unit"
) -> int:
    """The organisations the clerk chose to create, under the office's own 团委: for a unit (a
    volunteer roster's 单位) its 团支部; for an organisation a roster names (a member list's
    所在团组织) that organisation, its kind read from its name (…团总支), else a 团支部, in the
    工作单位 its rows give (a 护理部团支部 is at a hospital, not a unit called 护理部).

    The one top-level organisation becomes the parent only when it ranks above the new one: the
    团支部 an earlier import created for another unit is nobody's parent."""
    if not preview.new_units:
        return 0
    roots = session.execute(
        select(Organisation.id, Organisation.kind).where(
            Organisation.parent_id.is_(None), Organisation.deleted_at.is_(None)
        )
    ).all()
    workplaces: dict[str, str] = {}
    if key != "unit":
        for record in records:
            if record.get("unit") and record[key]:
                workplaces.setdefault(record[key], record["unit"])
    created = {}
    for position, text in enumerate(preview.new_units):
        kind = next((k for k in OrgKind if text.endswith(k.label)), None)
        if key == "unit" or kind is None:
            kind = NEW_UNIT_KIND
            name = text if key != "unit" else f"{text}{NEW_UNIT_KIND.label}"
            unit = workplaces.get(text, text)
        else:
            name, unit = text, workplaces.get(text) or text.removesuffix(kind.label)
        parent_id = None
        if len(roots) == 1 and OrgKind(roots[0].kind).rank < kind.rank:
            parent_id = roots[0].id
        org = Organisation(
            kind=kind,
            name=name,
            unit=unit,
            parent_id=parent_id,
            position=1000 + position,
            note=f"导入“{preview.file_name}”时新建，请核对组织类别和上级组织"[:500],
        )
        session.add(org)
        created[text] = org
    session.flush()
    for record in records:
        if record["organisation_id"] is None and record[key] in created:
            record["organisation_id"] = created[record[key]].id
    return len(created)


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
        **{key: record.get(key) or "" for key in ("ethnicity", "education")},
    }


def _insert_volunteers(
    session: Session, records: list[dict], existing_people: dict[str | None, int], today: date
) -> int:
    """Bulk insert (a 10,000-row roster in about a second); the audit gets one summary line."""
    fresh = [r for r in records if r["id_number"] not in existing_people]
    person_ids = insert_people(session, [_person_values(r) for r in fresh])
    ids = dict(zip((id(r) for r in fresh), person_ids, strict=True))

    def insert_numbered() -> int:
        numbers = _NumberAllocator(session)  # numbers taken meanwhile by another PC included
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
                    "status": record["status"] or VolunteerStatus.ACTIVE,
                    "guardian_consent": record["guardian_consent"],
                    "note": record["note"],
                }
            )
        if rows:
            bulk_insert(session, insert(Volunteer), rows)
        return len(rows)

    return with_fresh_number(session, insert_numbered, VOLUNTEER_NUMBER)


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
    volunteer = get_live(session, Volunteer, volunteer_id, "志愿者")
    person = PersonInput(
        **{k: v for k, v in _person_values(record).items() if k != "id_number"},
        id_number=record["id_number"],
    )
    update_person(session, volunteer.person_id, person, today)
    for key in ("team", "skills", "status", "note"):
        if record[key]:
            setattr(volunteer, key, record[key])
    if record["registered_on"]:
        volunteer.registered_on = record["registered_on"]
    if record["guardian_consent"]:
        volunteer.guardian_consent = True


def _commit_service_records(
    session: Session,
    preview: ImportPreview,
    _on_duplicate: str,
    keep_status: bool,
    _today: date,
    progress: Progress,
) -> ImportResult:
    user = (session.info.get("user") or current_user())[:40]
    now = datetime.now()
    _recheck_daily_totals(session, preview)
    rows = []
    for r in preview.check.records:
        approved = keep_status and r["status"] == ServiceStatus.APPROVED
        rows.append(
            {
                "volunteer_id": r["volunteer_id"],
                "served_on": r["served_on"],
                "hours": r["hours"],
                "content": r["content"],
                "place": r["place"],
                "organiser": r["organiser"],
                "entered_by": user,
                "status": ServiceStatus.APPROVED if approved else ServiceStatus.PENDING,
                "verified_by": user if approved else "",
                "verified_at": now if approved else None,
            }
        )
    if rows:
        session.execute(insert(ServiceRecord), rows)
    progress.step(len(rows), len(rows))
    return ImportResult(created=len(rows))


IMPORTERS: dict[str, _Importer] = {
    "volunteers": _Importer(_resolve_volunteers_roster, _commit_volunteers, "volunteer"),
    "service_records": _Importer(
        _resolve_service_records, _commit_service_records, "service_record"
    ),
}
# the 团员, 团干部 and organisation-list importers register themselves here
from desk_league.services import member_import  # noqa: E402, F401

KINDS = {key: roster_kind(key).title for key in IMPORTERS}


# --- one call for the command line and the bench ---------------------------------------------


def import_file(
    session: Session,
    path: str | Path,
    kind: str = "volunteers",
    *,
    sheet: str | None = None,
    on_duplicate: str = SKIP,
    dry_run: bool = False,
    valid_only: bool = False,
    create_units: bool = False,
    keep_status: bool = False,
    accept_duplicates: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> tuple[ImportPreview, ImportResult | None]:
    """Read, check and (unless ``dry_run`` or a row is rejected) save a file, layout guessed.

    With ``valid_only`` the clean rows are saved even when others are rejected.
    """
    rows = open_roster(path, kind, sheet, progress)
    header_row, mapping = suggest_layout(rows, kind)
    missing = missing_required(mapping, roster_kind(kind).fields)
    if missing:
        raise ValidationError(
            f"“{Path(path).name}”的工作表“{rows.name}”前 {HEADER_SEARCH_ROWS} 行中找不到"
            f"“{'”“'.join(missing)}”列的表头（文件中的工作表：{'、'.join(sheet_names(path))}）。"
            "请核对表头文字，或选择名册所在的工作表。"
        )
    preview = preview_import(
        session,
        rows,
        kind,
        header_row,
        mapping,
        file_name=Path(path).name,
        create_units=create_units,
        accept_duplicates=accept_duplicates,
        today=today,
        progress=progress,
    )
    if dry_run or not preview.check.records or not (preview.ok or valid_only):
        return preview, None
    result = commit_import(
        session,
        preview,
        on_duplicate,
        valid_only=valid_only,
        keep_status=keep_status,
        today=today,
        progress=progress,
    )
    return preview, result


# --- the errors workbook ----------------------------------------------------------------------

ERROR_COLUMNS = [
    Column("row", "行号", 7, "int"),
    Column("name", "姓名", 10),
    Column("column", "列", 14),
    Column("reason", "错误原因", 48),
    Column("fix", "改正方法", 36),
]
REASON_TITLE = "错误原因"


def export_import_errors(
    path: str | Path, preview: ImportPreview, *, today: date | None = None
) -> Path:
    """The errors workbook: the list of errors, and the rejected rows as they were in the file.

    The second sheet keeps the file's own header and cells plus a 错误原因 column, so the clerk
    fixes the rows there and imports that sheet again.
    """
    today = today or date.today()
    errors = Register(
        title=f"导入错误清单：{preview.file_name}",
        columns=ERROR_COLUMNS,
        date=today,
        signature=False,
        sheet_name="错误清单",
    )
    error_rows = [
        {"row": e.row, "name": e.name, "column": e.column, "reason": e.reason, "fix": e.fix}
        for e in preview.errors
    ]
    sheets: list[tuple[Register, list]] = [(errors, error_rows)]
    if preview.sheet is not None and preview.errors:
        sheets.append(_rejected_rows_sheet(preview, today))
    return write_workbook(path, sheets)


def _rejected_rows_sheet(preview: ImportPreview, today: date) -> tuple[Register, list[list]]:
    rows = preview.sheet.rows if preview.sheet is not None else []
    headers = list(rows[preview.header_row - 1]) if rows else []
    bad = preview.check.rejected_rows
    width = max([len(headers)] + [len(rows[n - 1]) for n in bad if n <= len(rows)])
    headers += [None] * (width - len(headers))
    columns = [Column(f"c{i}", _text(h) or f"第{i + 1}列", 14) for i, h in enumerate(headers)] + [
        Column("reason", REASON_TITLE, 40)
    ]
    reasons: dict[int, list[str]] = {}
    for e in preview.errors:
        reasons.setdefault(e.row, []).append(f"{e.column}：{e.reason}")
    data = []
    for n in bad:
        cells = list(rows[n - 1]) if n <= len(rows) else []
        cells += [None] * (width - len(cells))
        data.append([_text(v) for v in cells] + ["；".join(reasons.get(n, []))])
    register = Register(
        title=f"未导入的行：{preview.file_name}",
        columns=columns,
        date=today,
        signature=False,
        sheet_name="未导入的行",
    )
    return register, data


def _text(value: Any) -> str:
    """A cell as text, so ID numbers and dates come back exactly as they were read."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            f"{value:%Y-%m-%d %H:%M}"
            if value.time() != datetime.min.time()
            else f"{value:%Y-%m-%d}"
        )
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()
