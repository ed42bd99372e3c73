"""Commendation batches (表彰): quotas, branch nominations, eligibility checklists, approval.

Approval turns every nomination still standing into an ``Honour`` with a unique certificate
number from the office's pattern (``{year}-{seq:03d}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import (
    Commendation,
    CommendationQuota,
    Honour,
    HonourType,
    LeagueMember,
    LeaguePost,
    Nomination,
    Organisation,
    Person,
    ServiceRecord,
    Volunteer,
)
from desk_league.domain.codes import (
    CommendationStatus,
    HonourStatus,
    NominationStatus,
    RecipientKind,
    ServiceStatus,
)
from desk_league.domain.dates import chinese_number
from desk_league.domain.honours import (
    Check,
    NomineeFacts,
    check_eligibility,
    checklist_summary,
    clean_rules,
)
from desk_league.domain.names import STROKES
from desk_league.errors import Conflict, ValidationError
from desk_league.exports.register import Column, Register, Section, write_register
from desk_league.services.common import (
    get_for_update,
    get_live,
    get_to_save,
    move_to_recycle_bin,
    saved_values,
    with_fresh_number,
)
from desk_league.services.honours import HONOUR_REGISTER_COLUMNS, HONOURS
from desk_league.services.listing import ListColumn, Listing, ListQuery
from desk_league.services.members import post_is_current, post_label
from desk_league.services.progress import Progress
from desk_league.services.registers import sorted_by_name
from desk_league.services.settings import get_setting, numbering

# nominations that count against a quota
STANDING = (NominationStatus.NOMINATED, NominationStatus.PASSED)

COMMENDATIONS = Listing(
    name="commendations",
    columns=[
        ListColumn("id", "编号", Commendation.id, "int", hidden=True),
        ListColumn("year", "年度", Commendation.year, "int", width=55),
        ListColumn("title", "表彰名称", Commendation.title, width=330),
        ListColumn("document_number", "文号", Commendation.document_number, width=130),
        ListColumn("decided_on", "表彰日期", Commendation.decided_on, "date", width=90),
        ListColumn("granting_body", "授予单位", Commendation.granting_body, width=140),
        ListColumn(
            "status", "状态", Commendation.status, width=60, labels=CommendationStatus.labels()
        ),
    ],
    base=select(Commendation).where(Commendation.deleted_at.is_(None)),
    search=[Commendation.title, Commendation.document_number],
    filters={"year": lambda year: Commendation.year == int(year)},
    default_sort=[Commendation.year.desc(), Commendation.id.desc()],
)

_nominee_org = aliased(Organisation)
_nominator = aliased(Organisation)
_person_org = aliased(Organisation)
NOMINATIONS = Listing(
    name="nominations",
    columns=[
        ListColumn("id", "编号", Nomination.id, "int", hidden=True),
        ListColumn("type", "荣誉类型", HonourType.name, width=120),
        ListColumn(
            "nominee",
            "推荐对象",
            func.coalesce(
                Person.name, func.nullif(Nomination.collective_name, ""), _nominee_org.name
            ),
            width=170,
        ),
        ListColumn(
            "unit", "所在单位", func.coalesce(_person_org.unit, _nominee_org.unit), width=140
        ),
        ListColumn("nominated_by", "推荐单位", _nominator.name, width=170),
        ListColumn("reason", "推荐理由", Nomination.reason, width=200),
        ListColumn("status", "状态", Nomination.status, width=55, labels=NominationStatus.labels()),
    ],
    base=select(Nomination)
    .join(HonourType, Nomination.honour_type_id == HonourType.id)
    .outerjoin(Person, Nomination.person_id == Person.id)
    .outerjoin(_person_org, Person.organisation_id == _person_org.id)
    .outerjoin(_nominee_org, Nomination.organisation_id == _nominee_org.id)
    .outerjoin(_nominator, Nomination.nominated_by_id == _nominator.id)
    .where(Nomination.deleted_at.is_(None)),
    search=[Person.name, Nomination.collective_name, _nominee_org.name, _nominator.name],
    filters={
        "commendation_id": lambda batch_id: Nomination.commendation_id == batch_id,
        "status": lambda status: Nomination.status == status,
    },
    default_sort=[HonourType.position, Nomination.id],
)


# --- batches ------------------------------------------------------------------------------


@dataclass
class CommendationInput:
    title: str
    year: int
    decided_on: date | None = None
    reference_date: date | None = None  # ages and 团龄 are checked on this day (default 5月4日)
    document_number: str = ""
    granting_body: str = ""
    template_id: int | None = None
    note: str = ""
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def _validate_batch(data: CommendationInput) -> None:
    if not data.title.strip():
        raise ValidationError(
            "请填写表彰名称，如“2025年度市直卫生系统共青团先进集体和先进个人”。", field="表彰名称"
        )
    if not 1950 <= int(data.year) <= 2100:
        raise ValidationError(f"年度 {data.year} 不合理。", field="年度")


def create_commendation(session: Session, data: CommendationInput) -> Commendation:
    _validate_batch(data)
    batch = Commendation(**saved_values(data))
    batch.title = data.title.strip()
    batch.granting_body = data.granting_body.strip() or get_setting(session, "office_name")
    session.add(batch)
    session.flush()
    return batch


def update_commendation(session: Session, batch_id: int, data: CommendationInput) -> Commendation:
    _validate_batch(data)
    batch = get_to_save(session, Commendation, batch_id, data.version, "表彰批次")
    for key, value in saved_values(data).items():
        setattr(batch, key, value)
    batch.title = data.title.strip()
    return batch


def commendation_input(session: Session, batch_id: int) -> CommendationInput:
    """The form's starting values for an existing batch."""
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    return CommendationInput(
        **{key: getattr(batch, key) for key in CommendationInput.__dataclass_fields__}
    )


def delete_commendation(session: Session, batch_id: int) -> None:
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    if batch.status == CommendationStatus.APPROVED:
        raise Conflict(
            "已批准的表彰不能删除；如需撤销某项荣誉，"
            f"请在荣誉登记中将其状态改为“{HonourStatus.VOID.label}”。"
        )
    move_to_recycle_bin(session, batch)


def reference_date_of(batch: Commendation) -> date:
    return batch.reference_date or batch.decided_on or date(batch.year + 1, 5, 4)


# --- quotas -------------------------------------------------------------------------------


def set_quota(
    session: Session,
    batch_id: int,
    honour_type_id: int,
    quota: int | None,
    organisation_id: int | None = None,
) -> None:
    """名额: per honour type in total (organisation None) or per nominating branch. None removes it."""
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    _require_draft(batch)
    get_live(session, HonourType, honour_type_id, "荣誉类型")
    if quota is not None and quota < 0:
        raise ValidationError("名额不能为负数。", field="名额")
    row = session.scalar(
        select(CommendationQuota).where(
            CommendationQuota.commendation_id == batch_id,
            CommendationQuota.honour_type_id == honour_type_id,
            CommendationQuota.organisation_id.is_(None)
            if organisation_id is None
            else CommendationQuota.organisation_id == organisation_id,
        )
    )
    if quota is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = CommendationQuota(
            commendation_id=batch_id,
            honour_type_id=honour_type_id,
            organisation_id=organisation_id,
            quota=quota,
        )
        session.add(row)
    row.quota = quota
    session.flush()


@dataclass(frozen=True)
class QuotaUse:
    honour_type: str
    organisation: str  # "" for the total
    quota: int
    used: int

    @property
    def over(self) -> bool:
        return self.used > self.quota


def quota_usage(session: Session, batch_id: int) -> list[QuotaUse]:
    """Each quota of the batch with the nominations standing against it."""
    uses = []
    rows = session.execute(
        select(CommendationQuota, HonourType.name, Organisation.name)
        .join(HonourType, CommendationQuota.honour_type_id == HonourType.id)
        .outerjoin(Organisation, CommendationQuota.organisation_id == Organisation.id)
        .where(CommendationQuota.commendation_id == batch_id)
        .order_by(
            HonourType.position, CommendationQuota.organisation_id.is_not(None), Organisation.name
        )
    )
    for quota, type_name, org_name in rows:
        used = _standing_count(session, batch_id, quota.honour_type_id, quota.organisation_id)
        uses.append(QuotaUse(type_name, org_name or "", quota.quota, used))
    return uses


def _standing_count(
    session: Session, batch_id: int, type_id: int, organisation_id: int | None, statuses=STANDING
) -> int:
    stmt = select(func.count(Nomination.id)).where(
        Nomination.commendation_id == batch_id,
        Nomination.honour_type_id == type_id,
        Nomination.deleted_at.is_(None),
        Nomination.status.in_(statuses),
    )
    if organisation_id is not None:
        stmt = stmt.where(Nomination.nominated_by_id == organisation_id)
    return session.scalar(stmt) or 0


def _quota(
    session: Session, batch_id: int, type_id: int, organisation_id: int | None
) -> int | None:
    return session.scalar(
        select(CommendationQuota.quota).where(
            CommendationQuota.commendation_id == batch_id,
            CommendationQuota.honour_type_id == type_id,
            CommendationQuota.organisation_id.is_(None)
            if organisation_id is None
            else CommendationQuota.organisation_id == organisation_id,
        )
    )


# --- nominations --------------------------------------------------------------------------


@dataclass
class NominationInput:
    honour_type_id: int
    person_id: int | None = None
    organisation_id: int | None = None
    collective_name: str = ""
    nominated_by_id: int | None = None
    reason: str = ""


def nominate(session: Session, batch_id: int, data: NominationInput) -> Nomination:
    """A branch's nomination. Refused past the branch's quota for that honour type, and for a
    nominee already nominated for it (by the database too: two PCs at once leave one)."""
    batch = get_for_update(session, Commendation, batch_id, "表彰批次")  # not while approved
    _require_draft(batch)
    honour_type = get_live(session, HonourType, data.honour_type_id, "荣誉类型")
    if honour_type.recipient_kind == RecipientKind.PERSONAL:
        if data.person_id is None:
            raise ValidationError(
                f"“{honour_type.name}”是个人荣誉，请选择推荐的人员。", field="推荐对象"
            )
        get_live(session, Person, data.person_id, "人员")
        data.organisation_id, data.collective_name = None, ""
    else:
        data.person_id = None
        if data.organisation_id is None and not data.collective_name.strip():
            raise ValidationError(
                "请选择团组织，或填写集体名称（如 市人民医院急诊科）。", field="推荐对象"
            )
        if data.organisation_id is not None:
            get_live(session, Organisation, data.organisation_id, "团组织")
    if data.nominated_by_id is not None:
        get_live(session, Organisation, data.nominated_by_id, "推荐单位")
    _refuse_duplicate(session, batch_id, data, honour_type.name)
    if data.nominated_by_id is not None:
        quota = _quota(session, batch_id, honour_type.id, data.nominated_by_id)
        used = _standing_count(session, batch_id, honour_type.id, data.nominated_by_id)
        if quota is not None and used >= quota:
            branch = get_live(session, Organisation, data.nominated_by_id, "推荐单位").name
            raise Conflict(
                f"{branch}的“{honour_type.name}”名额为 {quota} 名，已推荐 {used} 名，不能再推荐。"
            )
    nomination = Nomination(commendation_id=batch_id, **vars(data))
    nomination.collective_name = data.collective_name.strip()
    session.add(nomination)
    session.flush()
    return nomination


def _refuse_duplicate(
    session: Session, batch_id: int, data: NominationInput, type_name: str
) -> None:
    stmt = select(Nomination.id).where(
        Nomination.commendation_id == batch_id,
        Nomination.honour_type_id == data.honour_type_id,
        Nomination.deleted_at.is_(None),
    )
    if data.person_id is not None:
        stmt = stmt.where(Nomination.person_id == data.person_id)
    elif data.organisation_id is not None and not data.collective_name.strip():
        stmt = stmt.where(
            Nomination.organisation_id == data.organisation_id, Nomination.collective_name == ""
        )
    else:
        stmt = stmt.where(Nomination.collective_name == data.collective_name.strip())
    if session.scalar(stmt) is not None:
        raise Conflict(f"该对象已被推荐为“{type_name}”，不能重复推荐。")


def withdraw_nomination(session: Session, nomination_id: int) -> None:
    nomination = get_for_update(session, Nomination, nomination_id, "推荐对象")
    _require_draft(get_for_update(session, Commendation, nomination.commendation_id, "表彰批次"))
    move_to_recycle_bin(session, nomination)


def decide_nominations(session: Session, nomination_ids: list[int], status: str) -> int:
    """The committee's decision per nominee: 通过 / 未通过 (or back to 提名)."""
    status = NominationStatus.parse(status)
    changed = 0
    for nomination_id in sorted(nomination_ids):
        nomination = get_for_update(session, Nomination, nomination_id, "推荐对象")
        _require_draft(
            get_for_update(session, Commendation, nomination.commendation_id, "表彰批次")
        )
        if nomination.status != status:
            nomination.status = status
            changed += 1
    return changed


def _require_draft(batch: Commendation) -> None:
    if batch.status == CommendationStatus.APPROVED:
        raise Conflict(f"“{batch.title}”已批准，名额与推荐对象不能再修改。")


# --- eligibility --------------------------------------------------------------------------


@dataclass(frozen=True)
class NomineeChecklist:
    nomination_id: int
    nominee: str
    honour_type: str
    checks: list[Check]

    @property
    def summary(self) -> str:
        return checklist_summary(self.checks)


def batch_rules(session: Session, batch: Commendation, honour_type: HonourType) -> dict:
    """The eligibility rules of ``honour_type`` in this batch: its own, when the batch set them
    (each year's notice may differ), else the type's."""
    own = (batch.rules or {}).get(str(honour_type.id))
    return dict(own) if own is not None else dict(honour_type.rules or {})


def set_batch_rules(
    session: Session, batch_id: int, honour_type_id: int, rules: dict | None
) -> None:
    """This batch's rules for one honour type; None goes back to the type's own."""
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    _require_draft(batch)
    get_live(session, HonourType, honour_type_id, "荣誉类型")
    chosen = dict(batch.rules or {})
    if rules is None:
        chosen.pop(str(honour_type_id), None)
    else:
        chosen[str(honour_type_id)] = clean_rules(rules)
    batch.rules = chosen


def batch_rule_choices(session: Session, batch_id: int) -> list[tuple[int, str, dict, bool]]:
    """The personal honour types with the rules this batch applies: (id, name, rules, own)."""
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    types = session.scalars(
        select(HonourType)
        .where(
            HonourType.deleted_at.is_(None),
            HonourType.recipient_kind == RecipientKind.PERSONAL,
        )
        .order_by(HonourType.position, HonourType.id)
    )
    own = batch.rules or {}
    return [(t.id, t.name, batch_rules(session, batch, t), str(t.id) in own) for t in types]


def eligibility_checklists(session: Session, batch_id: int) -> list[NomineeChecklist]:
    """Per nominee, the checks of its honour type's rules in this batch (warnings; the
    committee decides)."""
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    on = reference_date_of(batch)
    nominations = session.scalars(
        select(Nomination)
        .where(Nomination.commendation_id == batch_id, Nomination.deleted_at.is_(None))
        .order_by(Nomination.id)
    )
    result = []
    for nomination in nominations:
        checks: list[Check] = []
        rules = batch_rules(session, batch, nomination.honour_type)
        if nomination.person is not None and rules:
            facts = nominee_facts(session, nomination.person, batch.year, on)
            checks = check_eligibility(rules, facts, on, batch.year)
        result.append(
            NomineeChecklist(
                nomination.id, _nominee_name(nomination), nomination.honour_type.name, checks
            )
        )
    return result


def nominee_facts(
    session: Session, person: Person, year: int, on: date | None = None
) -> NomineeFacts:
    """What the checklist needs to know of a nominee; posts as held on ``on``."""
    volunteer = session.scalar(
        select(Volunteer).where(Volunteer.person_id == person.id, Volunteer.deleted_at.is_(None))
    )
    hours = 0.0
    if volunteer is not None:
        hours = float(
            session.scalar(
                select(func.coalesce(func.sum(ServiceRecord.hours), 0.0)).where(
                    ServiceRecord.volunteer_id == volunteer.id,
                    ServiceRecord.status == ServiceStatus.APPROVED,
                    ServiceRecord.served_on.between(date(year, 1, 1), date(year, 12, 31)),
                )
            )
            or 0
        )
    member = session.scalar(
        select(LeagueMember).where(
            LeagueMember.person_id == person.id, LeagueMember.deleted_at.is_(None)
        )
    )
    posts = session.execute(
        select(LeaguePost.post, LeaguePost.title).where(
            LeaguePost.person_id == person.id,
            post_is_current(on or date(year, 12, 31)),
        )
    ).all()
    return NomineeFacts(
        birth_date=person.birth_date,
        league_joined_on=person.league_joined_on,
        volunteer_status=volunteer.status if volunteer is not None else None,
        hours_in_year=hours,
        political_status=person.political_status,
        member_status=member.status if member is not None else None,
        posts=tuple(post_label(post, title) for post, title in posts),
    )


def _nominee_name(nomination: Nomination) -> str:
    if nomination.person is not None:
        return nomination.person.name
    return nomination.collective_name or (
        nomination.organisation.name if nomination.organisation else ""
    )


# --- approval -----------------------------------------------------------------------------


def approve_commendation(session: Session, batch_id: int) -> list[Honour]:
    """The committee approves the batch: every nomination not marked 未通过 becomes an honour.

    Refused when approving would exceed a total quota. Certificate numbers follow the office's
    pattern and never repeat an existing one. The batch is locked first: a second PC approving
    it at the same moment waits, then is told it is approved already.
    """
    batch = get_for_update(session, Commendation, batch_id, "表彰批次")
    _require_draft(batch)
    nominations = list(
        session.scalars(
            select(Nomination)
            .join(HonourType, Nomination.honour_type_id == HonourType.id)
            .where(
                Nomination.commendation_id == batch_id,
                Nomination.deleted_at.is_(None),
                Nomination.status.in_(STANDING),
            )
            .order_by(HonourType.position, Nomination.id)
        )
    )
    if not nominations:
        raise ValidationError("该批次还没有推荐对象（或全部未通过），无法批准。", field="推荐对象")
    _check_total_quotas(session, batch_id)
    numbers = CertificateNumbers(session, batch.year)
    decided = batch.decided_on or date.today()
    honours = []
    for nomination in nominations:
        honour = Honour(
            honour_type_id=nomination.honour_type_id,
            title=nomination.honour_type.name,
            level="系统级",
            year=batch.year,
            person_id=nomination.person_id,
            organisation_id=nomination.organisation_id if nomination.person_id is None else None,
            collective_name=nomination.collective_name,
            granting_body=batch.granting_body,
            document_number=batch.document_number,
            granted_on=decided,
            commendation_id=batch.id,
            status=HonourStatus.ACTIVE,
        )
        numbers.give(honour)
        nomination.status, nomination.honour_id = NominationStatus.PASSED, honour.id
        honours.append(honour)
    batch.status, batch.decided_on = CommendationStatus.APPROVED, decided
    return honours


def _check_total_quotas(session: Session, batch_id: int) -> None:
    over = [
        f"“{use.honour_type}”名额 {use.quota} 名，现有 {use.used} 名"
        for use in quota_usage(session, batch_id)
        if not use.organisation and use.over
    ]
    if over:
        raise Conflict(
            f"超出名额，请先将部分推荐对象标为“{NominationStatus.REJECTED.label}”：\n"
            + "\n".join(over)
        )


CERTIFICATE_CLASH = ("honour", ("certificate_number",))


class CertificateNumbers:
    """Hands out the next free certificate numbers of a year from the office's pattern."""

    def __init__(self, session: Session, year: int) -> None:
        self.session = session
        self.numbers, self.year = numbering(session, "certificate_number_pattern"), year
        self.used: set[str] = set()
        self._read_used()
        self.seq = 0

    def _read_used(self) -> None:
        self.used |= set(
            self.session.scalars(
                select(Honour.certificate_number).where(Honour.certificate_number.is_not(None))
            )
        )

    def next(self) -> str:
        while True:
            self.seq += 1
            number = self.numbers.number(self.year, self.seq)
            if number not in self.used:
                self.used.add(number)
                return number

    def give(self, honour: Honour) -> None:
        """Number the honour and save it; a number another PC took meanwhile is skipped."""

        def save() -> Honour:
            honour.certificate_number = self.next()
            self.session.add(honour)
            self.session.flush()
            return honour

        def again() -> Honour:
            if honour.certificate_number is not None:  # the number of the failed try is taken
                self._read_used()
            return save()

        with_fresh_number(self.session, again, CERTIFICATE_CLASH)


def assign_certificate_numbers(session: Session, honour_ids: list[int]) -> int:
    """Give numbers to honours entered by hand without one (those that have one keep it)."""
    count = 0
    numbers: dict[int, CertificateNumbers] = {}
    for honour_id in honour_ids:
        honour = get_live(session, Honour, honour_id, "荣誉记录")
        if honour.certificate_number:
            continue
        generator = numbers.setdefault(honour.year, CertificateNumbers(session, honour.year))
        generator.give(honour)
        count += 1
    session.flush()
    return count


# --- lookups for the forms and the register -----------------------------------------------


def person_choices(session: Session, text: str, limit: int = 50) -> list[tuple[int, str]]:
    """People whose name starts with or contains ``text``, shown with their unit."""
    text = text.strip()
    if not text:
        return []
    rows = session.execute(
        select(Person.id, Person.name, Organisation.name)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(Person.deleted_at.is_(None), Person.name.contains(text))
        .order_by(func.length(Person.name), Person.name, Person.id)
        .limit(limit)
    )
    return [(pid, f"{name}（{org or '未填单位'}）") for pid, name, org in rows]


COMMENDATION_COLUMNS = [
    Column("no", "序号", 6, "int"),
    Column("recipient", "姓名（集体名称）", 26),
    Column("unit", "所在单位", 26),
    Column("certificate_number", "证书编号", 14, "code"),
]
# what the whole batch usually shares: printed once above the table when every row agrees
SHARED_COLUMNS = [
    ("year", "年度"),
    ("level", "级别"),
    ("document_number", "文号"),
    ("granted_on", "授予日期"),
    ("status", "状态"),
    ("granting_body", "授予单位"),  # printed on the office line when the batch names it
]


def export_commendation_list(
    session: Session,
    batch_id: int,
    path: str | Path,
    *,
    today: date,
    order: str = STROKES,
    progress: Progress | None = None,
) -> Path:
    """表彰名单 of an approved batch: a section per honour (一、优秀共青团员（24名）), the
    recipients of each by 姓氏笔画 (or ``order``); what every row shares (年度, 文号, 授予单位 …)
    is printed once under the title instead of on every line."""
    batch = get_live(session, Commendation, batch_id, "表彰批次")
    query = ListQuery(filters={"commendation_id": batch_id}, sort_key=None)
    listed = list(HONOURS.iter_rows(session, query, labelled=True))
    shared = {
        key: listed[0][key]
        for key, _ in SHARED_COLUMNS
        if listed and all(row[key] == listed[0][key] for row in listed)
    }
    varying = [
        c for c in HONOUR_REGISTER_COLUMNS if c.key in dict(SHARED_COLUMNS) and c.key not in shared
    ]
    if batch.granting_body and shared.get("granting_body") == batch.granting_body:
        shared.pop("granting_body")
        office = f"授予单位：{batch.granting_body}"
    else:
        office = ""
    notes = "　".join(
        f"{label}：{_shared_text(shared[key])}" for key, label in SHARED_COLUMNS if key in shared
    )
    register = Register(
        title=f"{batch.title}名单",
        columns=[*COMMENDATION_COLUMNS[:3], *varying, COMMENDATION_COLUMNS[3]],
        office=office,
        date=today,
        notes=[notes] if notes else [],
    )
    kinds = dict(
        session.execute(
            select(HonourType.name, HonourType.recipient_kind).order_by(
                HonourType.position, HonourType.id
            )
        ).all()
    )
    return write_register(path, register, _sections(listed, kinds, order), progress=progress)


def _sections(listed: list[dict], kinds: dict[str, str], order: str) -> list[dict | Section]:
    """一、优秀共青团员（24名） then its recipients, honour types in the office's order."""
    by_type: dict[str, list[dict]] = {name: [] for name in kinds}
    for row in listed:
        by_type.setdefault(row["type"], []).append(row)
    rows: list[dict | Section] = []
    number = 0
    groups = [(name, honours) for name, honours in by_type.items() if honours]
    for index, (honour, honours) in enumerate(groups, start=1):
        unit = "个" if kinds.get(honour) == RecipientKind.COLLECTIVE else "名"
        rows.append(Section(f"{chinese_number(index)}、{honour}（{len(honours)}{unit}）"))
        for row in sorted_by_name(honours, order, "recipient"):
            number += 1
            rows.append({**row, "no": number})
    return rows


def _shared_text(value) -> str:
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value}年度" if isinstance(value, int) else str(value)
