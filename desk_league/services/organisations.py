"""League organisations (团委 / 团总支 / 团支部): the tree, terms (换届) and their register.

Their members and cadres are in services/members.py: 团员数 counts the register, the 书记 is
the holder of the current 书记 post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from desk_league.data.models import Organisation, Person
from desk_league.domain.codes import OrgKind, TermStatus
from desk_league.domain.dates import add_years
from desk_league.domain.league import (
    DEFAULT_TERM_YEAR_RANGES,
    STUDENT_BRANCH,
    TERM_YEARS_LIMIT,
    check_term_year_ranges,
    check_term_years,
    next_term_reminder,
    term_reminders,
    term_rule_key,
    term_rule_label,
)
from desk_league.errors import ValidationError
from desk_league.exports.register import Column, write_register
from desk_league.services.common import (
    get_live,
    get_to_save,
    move_to_recycle_bin,
    saved_values,
)
from desk_league.services.listing import ListColumn, Listing
from desk_league.services.members import member_counts, set_secretary
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register
from desk_league.services.settings import get_setting, set_setting

_parent = aliased(Organisation)
_secretary = aliased(Person)

ORGANISATIONS = Listing(
    name="organisations",
    columns=[
        ListColumn("id", "编号", Organisation.id, "int", hidden=True),
        ListColumn("name", "团组织名称", Organisation.name, width=220),
        ListColumn("kind", "类别", Organisation.kind, width=70, labels=OrgKind.labels()),
        ListColumn("unit", "所在单位", Organisation.unit, width=160),
        ListColumn("parent", "上级组织", _parent.name, width=160),
        ListColumn("secretary", "书记", _secretary.name, width=80),
        ListColumn("phone", "联系电话", Organisation.phone, "phone", width=110),
        ListColumn("term_start", "本届起始", Organisation.term_start, "date", width=95),
        ListColumn("term_years", "任期(年)", Organisation.term_years, "int", width=65),
    ],
    base=select(Organisation)
    .outerjoin(_parent, Organisation.parent_id == _parent.id)
    .outerjoin(_secretary, Organisation.secretary_id == _secretary.id)
    .where(Organisation.deleted_at.is_(None)),
    search=[Organisation.name, Organisation.unit, _secretary.name],
    filters={"kind": lambda kind: Organisation.kind == kind},
    default_sort=[
        case({k.value: i for i, k in enumerate(OrgKind)}, value=Organisation.kind),
        Organisation.position,
        Organisation.id,
    ],
)


@dataclass
class OrganisationInput:
    name: str
    kind: str = OrgKind.BRANCH
    unit: str = ""
    parent_id: int | None = None
    secretary_id: int | None = None
    contact: str = ""
    phone: str = ""
    established_on: date | None = None
    term_start: date | None = None
    term_years: int | None = None
    note: str = ""
    student: bool = False  # a student branch: one-year terms
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def _validate(session: Session, data: OrganisationInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写团组织名称。", field="团组织名称")
    data.kind = OrgKind.parse(data.kind, field="类别")
    data.student = bool(data.student) and data.kind == OrgKind.BRANCH
    if data.term_years is not None:  # else the office's length for the kind (checked when set)
        check_term_years(
            data.term_years, data.kind, student=data.student, ranges=term_year_ranges(session)
        )


def create_organisation(
    session: Session, data: OrganisationInput, today: date | None = None
) -> Organisation:
    _validate(session, data)
    if data.parent_id is not None:
        get_live(session, Organisation, data.parent_id, "上级组织")
    org = Organisation(**{k: v for k, v in saved_values(data).items() if k != "secretary_id"})
    org.name = data.name.strip()
    session.add(org)
    session.flush()
    if data.secretary_id is not None:
        set_secretary(session, org.id, data.secretary_id, today or date.today())
    return org


def update_organisation(
    session: Session, org_id: int, data: OrganisationInput, today: date | None = None
) -> Organisation:
    """The form's fields; a new 书记 takes the post from today (services/members.py)."""
    _validate(session, data)
    org = get_to_save(session, Organisation, org_id, data.version, "团组织")
    if data.parent_id == org_id:
        raise ValidationError("上级组织不能是它自己。", field="上级组织")
    if data.parent_id is not None and org_id in _ancestor_ids(session, data.parent_id):
        raise ValidationError("上级组织不能是它的下级组织。", field="上级组织")
    for key, value in saved_values(data).items():
        if key != "secretary_id":
            setattr(org, key, value)
    set_secretary(session, org_id, data.secretary_id, today or date.today())
    return org


def delete_organisation(session: Session, org_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, Organisation, org_id, "团组织"))


_TERM_YEARS_CACHE = "term_years_setting"


def term_years_for(session: Session, org: Organisation) -> int:
    """The organisation's own term length, else the office's for its kind."""
    return org.term_years or _default_years(session, org.kind, org.student)


def _default_years(session: Session, kind: str, student: bool) -> int:
    # read once per session: the tree asks for every organisation (set_term_years clears it)
    if _TERM_YEARS_CACHE not in session.info:
        session.info[_TERM_YEARS_CACHE] = dict(get_setting(session, "term_years"))
    key = term_rule_key(kind, student)
    fallback = DEFAULT_TERM_YEAR_RANGES.get(key, (2, 2))[0]
    return int(session.info[_TERM_YEARS_CACHE].get(key, fallback))


def term_end(session: Session, org: Organisation) -> date | None:
    if org.term_start is None:
        return None
    return add_years(org.term_start, term_years_for(session, org))


def unit_names(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.unit)
            .where(Organisation.deleted_at.is_(None), Organisation.unit != "")
            .group_by(Organisation.unit)
            .order_by(func.min(Organisation.id))
        )
    )


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.deleted_at.is_(None))
        .order_by(*ORGANISATIONS.default_sort)
    )
    return [(row.id, row.name) for row in rows]


def organisation_register_rows(session: Session, today: date) -> list[dict]:
    """The rows of 团组织换届情况表: every live organisation with its computed term end; ``kind``
    and ``state`` as the clerk reads them, ``kind_code`` and ``term_status`` as codes."""
    rows = []
    counts = member_counts(session)
    orgs = session.scalars(
        select(Organisation)
        .where(Organisation.deleted_at.is_(None))
        .order_by(*ORGANISATIONS.default_sort)
    )
    for org in orgs:
        end = term_end(session, org)
        state = term_state(session, org, today)
        rows.append(
            {
                "name": org.name,
                "kind_code": org.kind,
                "kind": OrgKind.label_of(org.kind),
                "unit": org.unit,
                "parent": org.parent.name if org.parent else "",
                "secretary": org.secretary.name if org.secretary else "",
                "phone": org.phone or (org.secretary.phone if org.secretary else ""),
                "member_count": counts.get(org.id, 0),
                "established_on": org.established_on,
                "term_start": org.term_start,
                "term_years": term_years_for(session, org),
                "term_end": end,
                "term_status": state.status,
                "state": state.label,
            }
        )
    return rows


ORGANISATION_REGISTER_COLUMNS = [
    Column("name", "团组织名称", 28),
    Column("kind", "类别", 8),
    Column("unit", "所在单位", 22),
    Column("parent", "上级组织", 20),
    Column("secretary", "书记", 9),
    Column("phone", "联系电话", 14, "phone"),
    Column("member_count", "团员数", 8, "int", total=True),
    Column("established_on", "成立日期", 12, "date"),
    Column("term_start", "本届起始", 12, "date"),
    Column("term_years", "任期(年)", 8, "int"),
    Column("term_end", "届满日期", 12, "date"),
    Column("state", "换届状态", 14),
]


def export_organisations_register(
    session: Session, path: str | Path, *, today: date, progress: Progress | None = None
) -> Path:
    """团组织名册及换届情况表, through the shared register writer."""
    register = office_register(
        session, "市直卫生系统团组织名册及换届情况表", ORGANISATION_REGISTER_COLUMNS, today=today
    )
    return write_register(
        path, register, organisation_register_rows(session, today), progress=progress
    )


# --- terms (换届) ----------------------------------------------------------------------------

TERM_KINDS = (*OrgKind, STUDENT_BRANCH)  # what term lengths are set for: kinds, student branch
TERM_YEARS_RANGE = TERM_YEARS_LIMIT  # the spin boxes' bounds; the rules are term_year_ranges


@dataclass(frozen=True)
class TermState:
    """Where an organisation stands with its election: a status, the reminder due, a colour."""

    status: TermStatus
    reminder: str = ""  # the latest reminder that has fallen due, as the clerk reads it
    reminder_on: date | None = None

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def urgency(self) -> int:
        """0 fine, 1 six months, 2 three months, 3 overdue, 4 missing."""
        return list(TermStatus).index(self.status)


def term_state(session: Session, org: Organisation, today: date) -> TermState:
    due = term_reminders(org.term_start, term_years_for(session, org), today)
    if not due:
        return TermState(TermStatus.OK)
    latest = due[-1]
    return TermState(TermStatus(latest.kind), latest.text, latest.date)


def term_years_setting(session: Session) -> dict[str, int]:
    """The office's term length per kind (and for student branches)."""
    years = dict(get_setting(session, "term_years"))
    return {str(key): int(years.get(key, DEFAULT_TERM_YEAR_RANGES[key][0])) for key in TERM_KINDS}


def term_year_ranges(session: Session) -> dict[str, tuple[int, int]]:
    """The lengths a term may run per kind: the 团章's unless the office edited them."""
    saved = dict(get_setting(session, "term_year_ranges"))
    return {
        str(key): (int(saved[key][0]), int(saved[key][1]))
        if key in saved
        else DEFAULT_TERM_YEAR_RANGES[key]
        for key in TERM_KINDS
    }


def set_term_years(
    session: Session,
    years: dict[str, int],
    ranges: dict[str, tuple[int, int]] | None = None,
) -> None:
    """The office's term length per kind, within the ranges (which the office may also edit:
    by default the 团章's, 团委 3–5 years, 团总支 and 团支部 2–3, student branches 1).
    Organisations whose own length leaves a new range are named and nothing is saved."""
    current_ranges = term_year_ranges(session)
    new_ranges = {**current_ranges, **check_term_year_ranges(ranges or {})}
    checked: dict[str, int] = {}
    for text, value in years.items():
        key = text if text == STUDENT_BRANCH else OrgKind.parse(text, field="类别").value
        student = key == STUDENT_BRANCH
        kind = OrgKind.BRANCH if student else key
        checked[key] = check_term_years(
            int(value),
            kind,
            student=student,
            ranges=new_ranges,
            field=f"{term_rule_label(key)}任期",
        )
    current = term_years_setting(session)
    merged = {**current, **checked}
    for key, value in merged.items():  # a narrowed range must still hold the length in use
        student = key == STUDENT_BRANCH
        check_term_years(
            value,
            OrgKind.BRANCH if student else key,
            student=student,
            ranges=new_ranges,
            field=f"{term_rule_label(key)}任期",
        )
    if ranges:
        _check_own_lengths(session, new_ranges)
        set_setting(session, "term_year_ranges", {k: list(v) for k, v in new_ranges.items()})
    set_setting(session, "term_years", merged)
    session.info.pop(_TERM_YEARS_CACHE, None)


def _check_own_lengths(session: Session, ranges: dict[str, tuple[int, int]]) -> None:
    outside = []
    for org in _live_organisations(session):
        if org.term_years is None:
            continue
        try:
            check_term_years(org.term_years, org.kind, student=org.student, ranges=ranges)
        except ValidationError:
            outside.append(f"{org.name}（{org.term_years}年）")
    if outside:
        raise ValidationError(
            f"以下团组织单独设定的任期不在新的范围内，请先修改它们：{'、'.join(outside[:10])}"
            + (f" 等{len(outside)}个" if len(outside) > 10 else ""),
            field="任期范围",
        )


@dataclass(frozen=True)
class TermReminderRow:
    organisation_id: int
    name: str
    kind: str  # OrgKind
    term_end: date | None
    state: TermState


def term_reminder_list(session: Session, today: date) -> list[TermReminderRow]:
    """Every organisation with a 换届 reminder due, most urgent first."""
    rows = []
    for org in _live_organisations(session):
        state = term_state(session, org, today)
        if state.urgency:
            rows.append(TermReminderRow(org.id, org.name, org.kind, term_end(session, org), state))
    return sorted(rows, key=lambda r: (-r.state.urgency, r.term_end or today))


def _live_organisations(session: Session) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .options(selectinload(Organisation.secretary), selectinload(Organisation.parent))
            .where(Organisation.deleted_at.is_(None))
            .order_by(*ORGANISATIONS.default_sort)
        )
    )


def _ancestor_ids(session: Session, org_id: int) -> set[int]:
    seen: set[int] = set()
    current: int | None = org_id
    while current is not None and current not in seen:
        seen.add(current)
        current = session.scalar(select(Organisation.parent_id).where(Organisation.id == current))
    return seen


# --- the tree on screen ----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationNode:
    id: int
    parent_id: int | None
    values: dict  # as shown: the kind is its label
    state: TermState
    kind: str  # OrgKind


def organisation_tree(session: Session, today: date) -> list[OrganisationNode]:
    """The 团委 / 团总支 / 团支部 tree, flat (parents first), with each term's state."""
    nodes = []
    counts = member_counts(session)
    for org in _live_organisations(session):
        state = term_state(session, org, today)
        nodes.append(
            OrganisationNode(
                org.id,
                org.parent_id,
                {
                    "name": org.name,
                    "kind": OrgKind.label_of(org.kind),
                    "unit": org.unit,
                    "secretary": org.secretary.name if org.secretary else "",
                    "contact": org.contact,
                    "phone": org.phone or (org.secretary.phone if org.secretary else ""),
                    "member_count": counts.get(org.id, 0),
                    "established_on": org.established_on,
                    "term_start": org.term_start,
                    "term_years": term_years_for(session, org),
                    "term_end": term_end(session, org),
                    "state": state.label,
                },
                state,
                org.kind,
            )
        )
    return nodes


def organisation_form(session: Session, org_id: int) -> OrganisationInput:
    org = get_live(session, Organisation, org_id, "团组织")
    return OrganisationInput(
        **{key: getattr(org, key) for key in OrganisationInput.__dataclass_fields__}
    )


# --- 团组织换届情况表 ---------------------------------------------------------------------------

TERMS_REGISTER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("name", "团组织名称", 28),
    Column("kind", "类别", 8),
    Column("unit", "所在单位", 22),
    Column("secretary", "书记", 9),
    Column("term_start", "本届起始", 12, "date"),
    Column("term_years", "任期(年)", 8, "int"),
    Column("term_end", "届满日期", 12, "date"),
    Column("state", "换届状态", 14),
    Column("reminder", "提醒事项", 40),
    Column("next_reminder", "下次提醒", 12, "date"),
]


def terms_register_rows(session: Session, today: date) -> list[dict]:
    rows = []
    for seq, org in enumerate(_live_organisations(session), start=1):
        years = term_years_for(session, org)
        state = term_state(session, org, today)
        rows.append(
            {
                "seq": seq,
                "name": org.name,
                "kind": OrgKind.label_of(org.kind),
                "unit": org.unit,
                "secretary": org.secretary.name if org.secretary else "",
                "term_start": org.term_start,
                "term_years": years,
                "term_end": term_end(session, org),
                "state": state.label,
                "reminder": state.reminder,
                "next_reminder": next_term_reminder(org.term_start, years, today),
            }
        )
    return rows


def export_terms_register(
    session: Session, path: str | Path, *, today: date, progress: Progress | None = None
) -> Path:
    """团组织换届情况表: every organisation's term, its state and the reminders due."""
    register = office_register(
        session, "市直卫生系统团组织换届情况表", TERMS_REGISTER_COLUMNS, today=today
    )
    return write_register(path, register, terms_register_rows(session, today), progress=progress)


def organisation_filter_choices(session: Session) -> list[tuple[str, int]]:
    """(name indented by its depth, id) in tree order: the choices of a 团组织 filter, which
    shows an organisation with everything under it (``common.organisation_subtree``)."""
    orgs = _live_organisations(session)
    children: dict[int | None, list[Organisation]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    known = {org.id for org in orgs}
    choices: list[tuple[str, int]] = []

    def walk(org: Organisation, depth: int) -> None:
        choices.append(("　" * depth + org.name, org.id))
        for child in children.get(org.id, []):
            walk(child, depth + 1)

    for root in orgs:
        if root.parent_id is None or root.parent_id not in known:
            walk(root, 0)
    return choices
