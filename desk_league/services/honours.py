"""Honours (荣誉): the register, honour types, and the 青年文明号 dynamic management.

Commendation batches (表彰) live in ``services.commendations``; certificates in
``services.honour_certificates``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import (
    HONOUR_LEVELS,
    Honour,
    HonourReview,
    HonourType,
    Organisation,
    Person,
)
from desk_league.domain.codes import HonourStatus, RecipientKind, ReviewKind, ReviewResult
from desk_league.domain.dates import add_years
from desk_league.domain.honours import (
    REVIEW_RESULT_KINDS,
    STAR_WORDS,
    YOUTH_CIVILIZATION,
    clean_rules,
)
from desk_league.domain.names import STROKES
from desk_league.errors import Conflict, ValidationError
from desk_league.exports.register import Column, write_register
from desk_league.services import figures
from desk_league.services.common import (
    get_for_update,
    get_live,
    get_to_save,
    move_to_recycle_bin,
    saved_values,
)
from desk_league.services.figures import Period
from desk_league.services.listing import ListColumn, Listing, ListQuery
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register, sorted_by_name
from desk_league.services.settings import get_setting

_person_org = aliased(Organisation)
RECIPIENT = func.coalesce(Person.name, func.nullif(Honour.collective_name, ""), Organisation.name)
recipient_unit = func.coalesce(_person_org.unit, Organisation.unit)

_BASE = (
    select(Honour)
    .join(HonourType, Honour.honour_type_id == HonourType.id)
    .outerjoin(Person, Honour.person_id == Person.id)
    .outerjoin(_person_org, Person.organisation_id == _person_org.id)
    .outerjoin(Organisation, Honour.organisation_id == Organisation.id)
    .where(Honour.deleted_at.is_(None))
)
_FILTERS = {
    # a year's honours: granted in it, or of its 年度 when undated (one rule with the figures)
    "year": lambda year: figures.honour_dated_in(Period.year(int(year))),
    "type_id": lambda type_id: Honour.honour_type_id == type_id,
    "level": lambda level: Honour.level == level,
    "status": lambda status: Honour.status == status,
    "unit": lambda unit: recipient_unit == unit,
    "person_id": lambda person_id: Honour.person_id == person_id,
    "organisation_id": lambda org_id: Honour.organisation_id == org_id,
    "commendation_id": lambda batch_id: Honour.commendation_id == batch_id,
}

HONOURS = Listing(
    name="honours",
    columns=[
        ListColumn("id", "编号", Honour.id, "int", hidden=True),
        ListColumn("year", "年度", Honour.year, "int", width=55),
        ListColumn("type", "荣誉类型", HonourType.name, width=130),
        ListColumn("level", "级别", Honour.level, width=60),
        ListColumn("recipient", "获得者", RECIPIENT, width=180),
        ListColumn("unit", "所在单位", recipient_unit, width=150),
        ListColumn("granting_body", "授予单位", Honour.granting_body, width=140),
        ListColumn("document_number", "文号", Honour.document_number, width=130),
        ListColumn("granted_on", "授予日期", Honour.granted_on, "date", width=90),
        ListColumn("certificate_number", "证书编号", Honour.certificate_number, width=90),
        ListColumn("status", "状态", Honour.status, width=50, labels=HonourStatus.labels()),
    ],
    base=_BASE,
    search=[Person.name, Honour.collective_name, Organisation.name, HonourType.name, Honour.title],
    filters=_FILTERS,
    default_sort=[Honour.year.desc(), HonourType.position, Honour.id],
)

_last_review = (
    select(HonourReview.result)
    .where(HonourReview.honour_id == Honour.id, HonourReview.kind == ReviewKind.ANNUAL)
    .order_by(HonourReview.reviewed_on.desc(), HonourReview.id.desc())
    .limit(1)
    .correlate(Honour)
    .scalar_subquery()
)
_last_review_on = (
    select(func.max(HonourReview.reviewed_on))
    .where(HonourReview.honour_id == Honour.id, HonourReview.kind == ReviewKind.ANNUAL)
    .correlate(Honour)
    .scalar_subquery()
)

YOUTH_CIVILIZATIONS = Listing(
    name="youth_civilizations",
    columns=[
        ListColumn("id", "编号", Honour.id, "int", hidden=True),
        ListColumn("recipient", "集体名称", RECIPIENT, width=200),
        ListColumn("unit", "所在单位", recipient_unit, width=150),
        ListColumn("level", "级别", Honour.level, width=60),
        ListColumn("star", "星级", Honour.star, width=50, labels=STAR_WORDS),
        ListColumn("year", "命名年度", Honour.year, "int", width=65),
        ListColumn("granted_on", "命名日期", Honour.granted_on, "date", width=90),
        ListColumn("last_review_on", "最近年审", _last_review_on, "date", width=90),
        ListColumn("last_review", "年审结果", _last_review, width=70, labels=ReviewResult.labels()),
        ListColumn("status", "状态", Honour.status, width=50, labels=HonourStatus.labels()),
    ],
    base=_BASE.where(HonourType.name == YOUTH_CIVILIZATION),
    search=[Honour.collective_name, Organisation.name, recipient_unit],
    filters=_FILTERS,
    default_sort=[
        Honour.status,
        case({lv: i for i, lv in enumerate(HONOUR_LEVELS)}, value=Honour.level),
        Honour.id,
    ],
)


# --- honour types -------------------------------------------------------------------------


def honour_types(session: Session) -> list[HonourType]:
    return list(
        session.scalars(
            select(HonourType)
            .where(HonourType.deleted_at.is_(None))
            .order_by(HonourType.position, HonourType.id)
        )
    )


def save_honour_type(
    session: Session,
    name: str,
    recipient_kind: str,
    rules: dict,
    type_id: int | None = None,
    version: int | None = None,
) -> HonourType:
    """Add a type (type_id None) or change one: name, personal/collective, eligibility rules."""
    name = name.strip()
    if not name:
        raise ValidationError("请填写荣誉类型名称。", field="名称")
    recipient_kind = RecipientKind.parse(recipient_kind, field="对象")
    clash = session.scalar(
        select(HonourType).where(HonourType.name == name, HonourType.id != type_id)
    )
    if clash is not None:
        raise Conflict(
            f"已有名为“{name}”的荣誉类型{'（在回收站中）' if clash.deleted_at else ''}。"
        )
    if type_id is None:
        last = select(func.coalesce(func.max(HonourType.position), -1))
        position = session.execute(last).scalar_one() + 1
        honour_type = HonourType(position=position)
        session.add(honour_type)
    else:
        honour_type = get_to_save(session, HonourType, type_id, version, "荣誉类型")
    honour_type.name = name
    honour_type.recipient_kind = recipient_kind
    honour_type.rules = clean_rules(rules)
    session.flush()
    return honour_type


def delete_honour_type(session: Session, type_id: int) -> None:
    honour_type = get_live(session, HonourType, type_id, "荣誉类型")
    used = session.scalar(
        select(func.count(Honour.id)).where(
            Honour.honour_type_id == type_id, Honour.deleted_at.is_(None)
        )
    )
    if used:
        raise Conflict(f"“{honour_type.name}”已有 {used} 条荣誉记录，不能删除。")
    move_to_recycle_bin(session, honour_type)


# --- the honour register ------------------------------------------------------------------


@dataclass
class HonourInput:
    honour_type_id: int
    year: int
    level: str = "系统级"
    title: str = ""  # "" = the type's name
    person_id: int | None = None
    organisation_id: int | None = None
    collective_name: str = ""
    granting_body: str = ""
    document_number: str = ""
    granted_on: date | None = None
    certificate_number: str | None = None
    status: str = HonourStatus.ACTIVE
    star: int | None = None
    note: str = ""
    commendation_id: int | None = field(default=None)
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def _validate_honour(session: Session, data: HonourInput, honour_id: int | None) -> HonourType:
    honour_type = get_live(session, HonourType, data.honour_type_id, "荣誉类型")
    if data.level not in HONOUR_LEVELS:
        raise ValidationError(f"级别应为{'、'.join(HONOUR_LEVELS)}之一。", field="级别")
    data.status = HonourStatus.parse(data.status)
    if not 1950 <= int(data.year) <= 2100:
        raise ValidationError(f"年度 {data.year} 不合理。", field="年度")
    if honour_type.recipient_kind == RecipientKind.PERSONAL and data.person_id is None:
        raise ValidationError(f"“{honour_type.name}”是个人荣誉，请选择获得者。", field="获得者")
    if data.person_id is None and data.organisation_id is None and not data.collective_name.strip():
        raise ValidationError(
            "请选择获得的团组织，或填写集体名称（如 市人民医院急诊科）。", field="获得者"
        )
    if data.person_id is not None:
        get_live(session, Person, data.person_id, "人员")
    if data.organisation_id is not None:
        get_live(session, Organisation, data.organisation_id, "团组织")
    if data.star is not None and data.star not in STAR_WORDS:
        raise ValidationError("星级应为一星至五星。", field="星级")
    number = (data.certificate_number or "").strip() or None
    data.certificate_number = number
    if number is not None:
        clash = session.scalar(
            select(Honour.id).where(Honour.certificate_number == number, Honour.id != honour_id)
        )
        if clash is not None:
            raise Conflict(f"证书编号 {number} 已被使用（荣誉记录 {clash}），证书编号不能重复。")
    return honour_type


def create_honour(session: Session, data: HonourInput) -> Honour:
    honour_type = _validate_honour(session, data, None)
    honour = Honour(**saved_values(data))
    honour.title = data.title.strip() or honour_type.name
    honour.collective_name = data.collective_name.strip()
    session.add(honour)
    session.flush()
    return honour


def update_honour(session: Session, honour_id: int, data: HonourInput) -> Honour:
    honour = get_to_save(session, Honour, honour_id, data.version, "荣誉记录")
    honour_type = _validate_honour(session, data, honour_id)
    for key, value in saved_values(data).items():
        setattr(honour, key, value)
    honour.title = data.title.strip() or honour_type.name
    return honour


def honour_input(session: Session, honour_id: int) -> HonourInput:
    """The form's starting values for an existing honour."""
    honour = get_live(session, Honour, honour_id, "荣誉记录")
    return HonourInput(**{key: getattr(honour, key) for key in HonourInput.__dataclass_fields__})


def person_label(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.name if person is not None else ""


def holder_label(
    session: Session, *, person_id: int | None = None, organisation_id: int | None = None
) -> str:
    """The person's or organisation's name, for “只显示……的荣誉”."""
    if person_id is not None:
        return person_label(session, person_id)
    org = session.get(Organisation, organisation_id) if organisation_id is not None else None
    return org.name if org is not None else ""


def delete_honour(session: Session, honour_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, Honour, honour_id, "荣誉记录"))


def honour_years(session: Session) -> list[int]:
    """The years honours count in (their grant date's, else their 年度), newest first."""
    year = figures.honour_year()
    return [
        int(y)
        for y in session.scalars(
            select(year).where(Honour.deleted_at.is_(None)).group_by(year).order_by(year.desc())
        )
    ]


def honours_of(
    session: Session, *, person_id: int | None = None, organisation_id: int | None = None
) -> list[dict]:
    """A person's or an organisation's honours, newest first (shown from their records)."""
    key, value = (
        ("person_id", person_id) if person_id is not None else ("organisation_id", organisation_id)
    )
    return list(HONOURS.iter_rows(session, ListQuery(filters={key: value})))


# --- 青年文明号 dynamic management ---------------------------------------------------------


def add_review(
    session: Session,
    honour_id: int,
    kind: str,
    reviewed_on: date,
    result: str = "",
    reason: str = "",
) -> HonourReview:
    """Record an annual review or a sanction; 降星/升星 move the star, 撤销 revokes the honour.
    The honour is locked first: two PCs lowering the star at once lower it twice only when
    each saw the star the other left."""
    honour = get_for_update(session, Honour, honour_id, "青年文明号")
    review_kind = ReviewKind.parse(kind, field="类型")
    if honour.status == HonourStatus.VOID:
        raise Conflict(f"“{honour.recipient_name}”的青年文明号已撤销，不能再{review_kind.label}。")
    if review_kind in REVIEW_RESULT_KINDS:
        result = ReviewResult.parse(result, field="结果")
    elif not reason.strip():
        raise ValidationError(f"{review_kind.label}须写明原因。", field="原因")
    else:
        result = ""
    if review_kind == ReviewKind.STAR_DOWN:
        if not honour.star or honour.star <= 1:
            raise Conflict("已是一星（或未定星级），不能再降星；如需处理请选择撤销。")
        honour.star -= 1
    elif review_kind == ReviewKind.STAR_UP:
        if (honour.star or 0) >= max(STAR_WORDS):
            raise Conflict("已是最高星级。")
        honour.star = (honour.star or 0) + 1
    elif review_kind == ReviewKind.REVOKE:
        honour.status = HonourStatus.VOID
    review = HonourReview(
        honour_id=honour.id,
        reviewed_on=reviewed_on,
        kind=review_kind,
        result=result,
        reason=reason.strip(),
    )
    session.add(review)
    session.flush()
    return review


def reviews_of(session: Session, honour_id: int) -> list[HonourReview]:
    return list(
        session.scalars(
            select(HonourReview)
            .where(HonourReview.honour_id == honour_id)
            .order_by(HonourReview.reviewed_on)
        )
    )


@dataclass(frozen=True)
class ReviewReminder:
    honour_id: int
    name: str
    due: date
    text: str


def review_reminders(session: Session, today: date) -> list[ReviewReminder]:
    """青年文明号 that need the clerk: this year's annual review, or the end of the creation cycle."""
    cycle = int(get_setting(session, "honour_review_cycle_years"))
    reminders = []
    for honour in _youth_civilizations(session):
        name = honour.recipient_name
        reviews = [r for r in honour.reviews if r.kind == ReviewKind.ANNUAL]
        if not any(r.reviewed_on.year == today.year for r in reviews) and honour.year < today.year:
            reminders.append(
                ReviewReminder(
                    honour.id, name, date(today.year, 12, 31), f"{today.year}年度尚未年审"
                )
            )
        end = cycle_end(honour, cycle)
        if (end - today).days <= 90:
            state = "已届满" if end <= today else "即将届满"
            reminders.append(
                ReviewReminder(
                    honour.id, name, end, f"创建周期（{cycle}年）{state}（{end:%Y-%m-%d}），需复核"
                )
            )
    return sorted(reminders, key=lambda r: (r.due, r.name))


def cycle_end(honour: Honour, cycle_years: int) -> date:
    """When the current creation cycle ends: it starts at the naming and again at each passed 复核."""
    passed = [
        r.reviewed_on
        for r in honour.reviews
        if r.kind == ReviewKind.CYCLE and r.result == ReviewResult.PASS
    ]
    start = max([honour.granted_on or date(honour.year, 12, 31), *passed])
    return add_years(start, cycle_years)


def _youth_civilizations(session: Session) -> list[Honour]:
    return list(
        session.scalars(
            select(Honour)
            .join(HonourType, Honour.honour_type_id == HonourType.id)
            .where(
                HonourType.name == YOUTH_CIVILIZATION,
                Honour.deleted_at.is_(None),
                Honour.status == HonourStatus.ACTIVE,
            )
            .order_by(Honour.id)
        )
    )


# --- registers ----------------------------------------------------------------------------

HONOUR_REGISTER_COLUMNS = [
    Column("no", "序号", 6, "int"),
    Column("year", "年度", 7, "int"),
    Column("type", "荣誉类型", 16),
    Column("level", "级别", 8),
    Column("recipient", "获得者", 22),
    Column("unit", "所在单位", 22),
    Column("granting_body", "授予单位", 18),
    Column("document_number", "文号", 18),
    Column("granted_on", "授予日期", 12, "date"),
    Column("certificate_number", "证书编号", 12, "code"),
    Column("status", "状态", 7),
]


def export_honour_register(
    session: Session,
    path: str | Path,
    *,
    today: date,
    query: ListQuery | None = None,
    title: str = "",
    order: str = STROKES,
    progress: Progress | None = None,
) -> Path:
    """荣誉登记表 through the shared writer: by year (newest first) and honour type, the
    recipients of each by 姓氏笔画 (or ``order``). A year's register holds the honours of that
    year by the statistics' rule (``figures.honour_dated_in``), printed under its title."""
    query = query or ListQuery()
    year = query.filters.get("year")
    status = query.filters.get("status")
    title = title or f"市直卫生系统{f'{year}年' if year else ''}荣誉登记表"
    notes = ["荣誉按授予日期归入年度（未填授予日期的按年度）。"] if year else []
    if status == HonourStatus.ACTIVE:
        notes.append(f"只列状态为“{HonourStatus.ACTIVE.label}”的荣誉，与年度统计一致。")
    elif status:
        notes.append(f"只列状态为“{HonourStatus.label_of(status)}”的荣誉。")
    else:
        labels = "、".join(s.label for s in HonourStatus)
        notes.append(f"列出全部状态（{labels}）；年度统计只计“{HonourStatus.ACTIVE.label}”的。")
    register = office_register(session, title, HONOUR_REGISTER_COLUMNS, today=today, notes=notes)
    listed = list(HONOURS.iter_rows(session, query, labelled=True))
    type_rank = {t: i for i, t in enumerate(dict.fromkeys(r["type"] for r in listed))}
    ordered = sorted_by_name(
        listed, order, "recipient", group=lambda r: (-(r["year"] or 0), type_rank[r["type"]])
    )
    rows = [{"no": i, **row} for i, row in enumerate(ordered, start=1)]
    return write_register(path, register, rows, progress=progress)


def year_honours_query(year: int) -> ListQuery:
    """The honours a year's figures count (granted, dated in the year): its register."""
    return ListQuery(filters={"year": year, "status": HonourStatus.ACTIVE})


YOUTH_CIVILIZATION_COLUMNS = [
    Column("no", "序号", 6, "int"),
    Column("recipient", "集体名称", 24),
    Column("unit", "所在单位", 20),
    Column("level", "级别", 8),
    Column("star", "星级", 7),
    Column("granted_on", "命名日期", 12, "date"),
    Column("granting_body", "命名单位", 14),
    Column("last_review_on", "最近年审", 12, "date"),
    Column("last_review", "年审结果", 9),
    Column("sanctions", "动态管理记录", 30),
    Column("cycle_end", "本周期届满", 12, "date"),
    Column("status", "状态", 7),
    Column("reminder", "提醒", 24),
]


def youth_civilization_rows(session: Session, today: date) -> list[dict]:
    cycle = int(get_setting(session, "honour_review_cycle_years"))
    reminders: dict[int, list[str]] = {}
    for reminder in review_reminders(session, today):
        reminders.setdefault(reminder.honour_id, []).append(reminder.text)
    honours = session.scalars(
        select(Honour)
        .join(HonourType, Honour.honour_type_id == HonourType.id)
        .where(HonourType.name == YOUTH_CIVILIZATION, Honour.deleted_at.is_(None))
        .order_by(Honour.status, Honour.level, Honour.id)
    )
    rows = []
    for no, honour in enumerate(honours, start=1):
        annual = [r for r in honour.reviews if r.kind == ReviewKind.ANNUAL]
        others = [r for r in honour.reviews if r.kind != ReviewKind.ANNUAL]
        person_unit = (
            honour.person.organisation.unit if honour.person and honour.person.organisation else ""
        )
        rows.append(
            {
                "no": no,
                "recipient": honour.recipient_name,
                "unit": person_unit or (honour.organisation.unit if honour.organisation else ""),
                "level": honour.level,
                "star": STAR_WORDS.get(honour.star or 0, ""),
                "granted_on": honour.granted_on,
                "granting_body": honour.granting_body,
                "last_review_on": annual[-1].reviewed_on if annual else None,
                "last_review": ReviewResult.label_of(annual[-1].result) if annual else "",
                "sanctions": "；".join(
                    f"{r.reviewed_on:%Y-%m-%d} {ReviewKind.label_of(r.kind)}：{r.reason}"
                    for r in others
                ),
                "cycle_end": (
                    cycle_end(honour, cycle) if honour.status == HonourStatus.ACTIVE else None
                ),
                "status": HonourStatus.label_of(honour.status),
                "reminder": "；".join(reminders.get(honour.id, [])),
            }
        )
    return rows


def export_youth_civilization_register(
    session: Session,
    path: str | Path,
    *,
    today: date,
    order: str = STROKES,
    progress: Progress | None = None,
) -> Path:
    """青年文明号集体登记表: by status and level, the collectives of each by 姓氏笔画 (or
    ``order``), numbered in that order."""
    register = office_register(
        session, "市直卫生系统青年文明号集体登记表", YOUTH_CIVILIZATION_COLUMNS, today=today
    )
    rows = youth_civilization_rows(session, today)
    rank = {key: i for i, key in enumerate(dict.fromkeys((r["status"], r["level"]) for r in rows))}
    rows = sorted_by_name(rows, order, "recipient", group=lambda r: rank[(r["status"], r["level"])])
    for no, row in enumerate(rows, start=1):
        row["no"] = no
    return write_register(path, register, rows, progress=progress)
