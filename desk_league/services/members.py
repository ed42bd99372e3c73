"""The member register (团员名册) and the league cadres (团干部): roles of a person.

A 团员 is a person with a ``LeagueMember`` row (在团, or left with the date: history is kept); a
团干部 is a person holding a ``LeaguePost`` (书记, 副书记, 组织委员 … of an organisation, with
dates). An organisation's 书记 (``Organisation.secretary_id``) is the holder of its current 书记
post: ``sync_secretaries`` keeps it so, whichever form changed the posts.

Member counts per organisation come from this register (``member_counts``). The ages of the
团章 (14 to join, 28 to leave unless in post) live in ``domain/league.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import LeagueMember, LeaguePost, Organisation, Person, Volunteer
from desk_league.domain.codes import (
    Education,
    LeaguePostKind,
    MemberStatus,
    PoliticalStatus,
)
from desk_league.domain.dates import add_years
from desk_league.domain.league import (
    LEAGUE_MAX_AGE,
    age_warning_cutoffs,
    birth_range,
    check_join_age,
    leaving_refusal,
)
from desk_league.domain.names import STROKES
from desk_league.errors import Conflict, ValidationError
from desk_league.exports.register import Column, write_register
from desk_league.services.common import (
    get_for_update,
    get_live,
    get_to_save,
    move_to_recycle_bin,
    organisation_subtree,
)
from desk_league.services.listing import ListColumn, Listing, ListQuery
from desk_league.services.people import (
    PersonInput,
    person_by_id_number,
    person_for,
    person_input,
    update_person,
    validate_person,
)
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register, person_order

NUMBER_MAX = 30


def post_is_current(today: date):
    """SQL: a post still held on ``today``."""
    return or_(LeaguePost.ended_on.is_(None), LeaguePost.ended_on > today)


def post_label(post: str, title: str = "") -> str:
    """What the clerk reads for a post: its label, or the office's own wording of an OTHER."""
    if post == LeaguePostKind.OTHER and title:
        return title
    return LeaguePostKind.label_of(post)


_POST_TEXT = case(
    (and_(LeaguePost.post == LeaguePostKind.OTHER, LeaguePost.title != ""), LeaguePost.title),
    *[(LeaguePost.post == kind.value, literal(kind.label)) for kind in LeaguePostKind],
    else_=LeaguePost.post,
)
_PARTY = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)


# --- the register on screen and on paper -----------------------------------------------------

_org = aliased(Organisation)


@functools.lru_cache(maxsize=4)
def members_listing(today: date) -> Listing:
    """团员名册 as of ``today``: the posts held that day, the 28-year notes.

    Filters: ``status`` (在团 … ; None: everyone, left ones too), ``organisation_ids``,
    ``political_status``, ``age_band`` (``domain.league.AGE_BANDS``), ``age_out`` (the year:
    members reaching 28 by its end or already over), ``age_warning``.
    """
    current = post_is_current(today)
    holds_post = exists().where(LeaguePost.person_id == Person.id, current)
    posts = (
        select(func.aggregate_strings(_POST_TEXT, "、"))
        .where(LeaguePost.person_id == Person.id, current)
        .correlate(Person)
        .scalar_subquery()
    )
    active = LeagueMember.status == MemberStatus.ACTIVE
    political = case(
        *[
            (
                and_(Person.political_status == code, active),
                literal(f"{code.label}（保留团籍）"),
            )
            for code in _PARTY
        ],
        *[(Person.political_status == code.value, literal(code.label)) for code in PoliticalStatus],
        else_=Person.political_status,
    )
    reached, soon = age_warning_cutoffs(today)
    this_year = add_years(date(today.year, 12, 31), -LEAGUE_MAX_AGE)
    kept = "（任团内职务，保留团籍）"
    warning = case(
        (~active, ""),
        (and_(Person.birth_date <= reached, holds_post), f"已满{LEAGUE_MAX_AGE}周岁{kept}"),
        (Person.birth_date <= reached, f"已满{LEAGUE_MAX_AGE}周岁，应办理离团"),
        (and_(Person.birth_date <= this_year, holds_post), f"今年满{LEAGUE_MAX_AGE}周岁{kept}"),
        (Person.birth_date <= this_year, f"今年满{LEAGUE_MAX_AGE}周岁"),
        (Person.birth_date <= soon, f"半年内满{LEAGUE_MAX_AGE}周岁"),
        else_="",
    )
    volunteer = (
        select(Volunteer.number)
        .where(Volunteer.person_id == Person.id, Volunteer.deleted_at.is_(None))
        .correlate(Person)
        .limit(1)
        .scalar_subquery()
    )
    return Listing(
        name="members",
        columns=[
            ListColumn("id", "编号", LeagueMember.id, "int", hidden=True),
            ListColumn("person_id", "人员", Person.id, "int", hidden=True),
            ListColumn("name", "姓名", Person.name, width=70, sort_expr=Person.name_pinyin),
            ListColumn("gender", "性别", Person.gender, width=40, sortable=False),
            ListColumn("ethnicity", "民族", Person.ethnicity, width=55, sortable=False),
            ListColumn("id_number", "身份证号", Person.id_number, "id_number", hidden=True),
            ListColumn("birth_date", "出生日期", Person.birth_date, "date", width=90),
            ListColumn("league_joined_on", "入团日期", Person.league_joined_on, "date", width=90),
            ListColumn("number", "团员编号", LeagueMember.number, width=90),
            ListColumn("organisation", "所在团组织", _org.name, width=190, sortable=False),
            ListColumn("unit", "工作单位", _org.unit, hidden=True),
            ListColumn("department", "科室", Person.department, width=80, sortable=False),
            ListColumn("political", "政治面貌", political, width=160, sortable=False),
            ListColumn("posts", "团内职务", posts, width=80, sortable=False),
            ListColumn(
                "education",
                "学历",
                Person.education,
                width=75,
                labels=Education.labels(),
                sortable=False,
            ),
            ListColumn("phone", "手机", Person.phone, "phone", width=105, sortable=False),
            ListColumn("volunteer", "志愿者编号", volunteer, width=105, sortable=False),
            ListColumn(
                "status", "状态", LeagueMember.status, width=70, labels=MemberStatus.labels()
            ),
            ListColumn(
                "left_on", "离团日期", LeagueMember.left_on, "date", width=90, sortable=False
            ),
            ListColumn("age_warning", "年龄提示", warning, width=270, sortable=False),
        ],
        base=select(LeagueMember)
        .join(Person, LeagueMember.person_id == Person.id)
        .outerjoin(_org, Person.organisation_id == _org.id)
        .where(LeagueMember.deleted_at.is_(None), Person.deleted_at.is_(None)),
        search=[Person.name, Person.department, Person.id_number, LeagueMember.number, _org.name],
        filters={
            "status": lambda status: LeagueMember.status == status,
            "organisation_id": lambda org_id: Person.organisation_id == org_id,
            "organisation_ids": lambda ids: Person.organisation_id.in_(list(ids)),
            "organisation_tree": lambda org_id: Person.organisation_id.in_(
                organisation_subtree(org_id)
            ),
            "political_status": lambda code: Person.political_status == code,
            "age_band": lambda band: _born_in_band(band, today),
            "age_out": lambda year: and_(
                active, Person.birth_date <= add_years(date(int(year), 12, 31), -LEAGUE_MAX_AGE)
            ),
            "age_warning": lambda on: warning != "" if on else None,
        },
        default_sort=[Person.name_pinyin, LeagueMember.id],
    )


def _born_in_band(band: str, today: date):
    after, until = birth_range(band, today)
    clauses = [Person.birth_date <= until]
    if after is not None:
        clauses.append(Person.birth_date > after)
    return and_(*clauses)


MEMBER_REGISTER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("name", "姓名", 9),
    Column("gender", "性别", 5),
    Column("ethnicity", "民族", 7),
    Column("id_number", "身份证号", 21, "id_number"),
    Column("birth_date", "出生日期", 11, "date"),
    Column("league_joined_on", "入团日期", 11, "date"),
    Column("number", "团员编号", 12, "code"),
    Column("organisation", "所在团组织", 28),  # names its unit too (市人民医院内科团支部)
    Column("department", "科室", 10),
    Column("political", "政治面貌", 12),
    Column("posts", "团内职务", 10),
    Column("education", "学历", 10),
    Column("phone", "手机", 13, "phone"),
    Column("status", "状态", 8),
    Column("left_on", "离团日期", 11, "date"),
]


def export_member_register(
    session: Session,
    path: str | Path,
    query: ListQuery | None = None,
    *,
    mask_ids: bool = True,
    order: str = STROKES,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """团员名册 of the listed members (the page's filters; 在团 by default), by 姓氏笔画.
    ID numbers masked unless asked (``mask_ids=False`` for a register that imports back)."""
    today = today or date.today()
    query = query or ListQuery(filters={"status": MemberStatus.ACTIVE})
    rows = members_listing(today).iter_rows(
        session, query, order_by=person_order(order), labelled=True
    )
    columns = MEMBER_REGISTER_COLUMNS
    if query.filters.get("status") == MemberStatus.ACTIVE:  # every row 在团, none has left:
        columns = [c for c in columns if c.key not in ("status", "left_on")]  # room to print
    register = office_register(session, "共青团员名册", columns, today=today, mask_ids=mask_ids)
    return write_register(path, register, _numbered(rows), progress=progress)


def _numbered(rows: Iterable[dict]) -> Iterable[dict]:
    for seq, row in enumerate(rows, start=1):
        row["seq"] = seq
        yield row


# --- 团干部 ---------------------------------------------------------------------------------------

_cadre_org = aliased(Organisation)
_home_org = aliased(Organisation)


@functools.lru_cache(maxsize=4)
def cadres_listing(today: date) -> Listing:
    """团干部: every post held on ``today`` (``current`` False in the filters: past posts too)."""
    return Listing(
        name="cadres",
        columns=[
            ListColumn("id", "编号", LeaguePost.id, "int", hidden=True),
            ListColumn("member_id", "团员", LeagueMember.id, "int", hidden=True),
            ListColumn("name", "姓名", Person.name, width=70, sort_expr=Person.name_pinyin),
            ListColumn("gender", "性别", Person.gender, width=40),
            ListColumn("ethnicity", "民族", Person.ethnicity, hidden=True),
            ListColumn("id_number", "身份证号", Person.id_number, "id_number", hidden=True),
            ListColumn("birth_date", "出生日期", Person.birth_date, "date", width=90),
            ListColumn("organisation", "任职团组织", _cadre_org.name, width=200),
            ListColumn("post", "团内职务", _POST_TEXT, width=80),
            ListColumn("started_on", "任职日期", LeaguePost.started_on, "date", width=90),
            ListColumn("ended_on", "离任日期", LeaguePost.ended_on, "date", width=90),
            ListColumn(
                "political_status",
                "政治面貌",
                Person.political_status,
                width=90,
                labels=PoliticalStatus.labels(),
            ),
            ListColumn("education", "学历", Person.education, width=75, labels=Education.labels()),
            ListColumn("unit", "工作单位", _home_org.unit, width=130),
            ListColumn("department", "科室", Person.department, width=80),
            ListColumn(
                "league_joined_on", "入团日期", Person.league_joined_on, "date", hidden=True
            ),
            ListColumn("phone", "手机", Person.phone, "phone", width=105),
        ],
        base=select(LeaguePost)
        .join(Person, LeaguePost.person_id == Person.id)
        .join(_cadre_org, LeaguePost.organisation_id == _cadre_org.id)
        .outerjoin(_home_org, Person.organisation_id == _home_org.id)
        .join(LeagueMember, LeagueMember.person_id == Person.id)
        .where(
            Person.deleted_at.is_(None),
            LeagueMember.deleted_at.is_(None),
            _cadre_org.deleted_at.is_(None),
        ),
        search=[Person.name, _cadre_org.name, Person.department],
        filters={
            "current": lambda on: post_is_current(today) if on else None,
            "organisation_ids": lambda ids: LeaguePost.organisation_id.in_(list(ids)),
            "organisation_tree": lambda org_id: LeaguePost.organisation_id.in_(
                organisation_subtree(org_id)
            ),
            "post": lambda post: LeaguePost.post == post,
        },
        default_sort=[_cadre_org.position, _cadre_org.id, LeaguePost.post, LeaguePost.id],
    )


CADRE_REGISTER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("name", "姓名", 9),
    Column("gender", "性别", 5),
    Column("ethnicity", "民族", 7),
    Column("id_number", "身份证号", 21, "id_number"),
    Column("birth_date", "出生日期", 11, "date"),
    Column("organisation", "任职团组织", 24),
    Column("post", "团内职务", 10),
    Column("started_on", "任职日期", 11, "date"),
    Column("political_status", "政治面貌", 10),
    Column("education", "学历", 10),
    Column("league_joined_on", "入团日期", 11, "date"),
    Column("unit", "工作单位", 20),
    Column("department", "科室", 10),
    Column("phone", "手机", 13, "phone"),
]


def export_cadre_register(
    session: Session,
    path: str | Path,
    query: ListQuery | None = None,
    *,
    mask_ids: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """团干部名册: the posts held today, by organisation (the tree's order), then post."""
    today = today or date.today()
    query = query or ListQuery(filters={"current": True})
    rows = cadres_listing(today).iter_rows(session, query, labelled=True)
    register = office_register(
        session, "团干部名册", CADRE_REGISTER_COLUMNS, today=today, mask_ids=mask_ids
    )
    return write_register(path, register, _numbered(rows), progress=progress)


# --- one member: the form ----------------------------------------------------------------------


@dataclass
class PostInput:
    organisation_id: int | None
    post: str  # LeaguePostKind (a label or an alias is read too)
    started_on: date | None = None
    ended_on: date | None = None
    title: str = ""  # the wording of an OTHER post (文体委员)
    id: int | None = None  # the post being edited; None: a new one


@dataclass
class MemberInput:
    person: PersonInput
    number: str = ""  # 团员编号
    status: str = MemberStatus.ACTIVE
    left_on: date | None = None
    left_reason: str = ""
    note: str = ""
    posts: list[PostInput] = field(default_factory=list)
    version: int | None = field(default=None, kw_only=True)  # the 团籍 as the form loaded it


def _check_member(session: Session, data: MemberInput, member_id: int | None, today: date) -> None:
    clean = validate_person(data.person, today)
    check_join_age(clean.birth_date, clean.league_joined_on)
    data.status = MemberStatus.parse(data.status, field="状态")
    data.number = data.number.strip()
    if len(data.number) > NUMBER_MAX:
        raise ValidationError(f"团员编号不应超过{NUMBER_MAX}个字符。", field="团员编号")
    if data.number:
        other = session.scalar(select(LeagueMember).where(LeagueMember.number == data.number))
        if other is not None and other.id != member_id:
            raise Conflict(f"团员编号 {data.number} 已是“{other.person.name}”的编号。")
    if data.status == MemberStatus.ACTIVE:
        data.left_on, data.left_reason = None, ""
    elif data.left_on is None:
        raise ValidationError(f"请填写离团日期（{data.status.label}）。", field="离团日期")
    elif data.left_on > today:
        raise ValidationError("离团日期不能晚于今天。", field="离团日期")
    for post in data.posts:
        _check_post(session, post, clean.birth_date, today)


def _check_post(session: Session, post: PostInput, birth: date | None, today: date) -> None:
    if post.organisation_id is None:
        raise ValidationError("请为每个团内职务选择任职的团组织。", field="团内职务")
    get_live(session, Organisation, post.organisation_id, "任职团组织")
    post.post = LeaguePostKind.parse(post.post, field="团内职务").value
    post.title = post.title.strip()[:40] if post.post == LeaguePostKind.OTHER else ""
    if post.started_on and post.started_on > today:
        raise ValidationError("任职日期不能晚于今天。", field="团内职务")
    if post.started_on and post.ended_on and post.ended_on < post.started_on:
        raise ValidationError(
            f"{post_label(post.post, post.title)}的离任日期早于任职日期。", field="团内职务"
        )
    if post.started_on and birth and post.started_on < birth:
        raise ValidationError("任职日期早于出生日期，请核对。", field="团内职务")


def add_member(session: Session, data: MemberInput, today: date | None = None) -> LeagueMember:
    """A new 团员: a person on file (same ID number) gets the role, nobody is typed twice."""
    today = today or date.today()
    _check_member(session, data, None, today)
    existing = person_by_id_number(session, validate_person(data.person, today).id_number)
    member = _membership_of(session, existing.id) if existing is not None else None
    if member is not None and member.deleted_at is None:
        raise Conflict(f"“{existing.name}”已在团员名册中。")  # type: ignore[union-attr]
    person = person_for(session, data.person, today)
    if member is None:
        member = LeagueMember(person_id=person.id)
        session.add(member)
    member.deleted_at = None  # one that was in the recycle bin comes back
    _fill_member(member, data)
    session.flush()
    _save_posts(session, person.id, data.posts, today)
    return member


def update_member(
    session: Session, member_id: int, data: MemberInput, today: date | None = None
) -> LeagueMember:
    today = today or date.today()
    member = get_to_save(session, LeagueMember, member_id, data.version, "团员")
    _check_member(session, data, member_id, today)
    update_person(session, member.person_id, data.person, today)
    _fill_member(member, data)
    _save_posts(session, member.person_id, data.posts, today)
    return member


def _fill_member(member: LeagueMember, data: MemberInput) -> None:
    member.number = data.number or None
    member.status = data.status
    member.left_on, member.left_reason = data.left_on, data.left_reason.strip()[:200]
    member.note = data.note.strip()


def _membership_of(session: Session, person_id: int) -> LeagueMember | None:
    return session.scalar(select(LeagueMember).where(LeagueMember.person_id == person_id))


def _save_posts(session: Session, person_id: int, posts: Sequence[PostInput], today: date) -> None:
    """The person's posts become ``posts``: kept ones changed, new ones added, the rest removed
    (a post entered by mistake; a post that ended keeps its 离任日期 instead)."""
    held = {
        p.id: p
        for p in session.scalars(select(LeaguePost).where(LeaguePost.person_id == person_id))
    }
    touched = {p.organisation_id for p in held.values()}
    kept = set()
    for data in posts:
        row = held.get(data.id) if data.id is not None else None
        if row is None:
            row = LeaguePost(person_id=person_id)
            session.add(row)
        kept.add(row.id)
        row.organisation_id = data.organisation_id  # type: ignore[assignment]
        row.post, row.title = data.post, data.title
        row.started_on, row.ended_on = data.started_on, data.ended_on
        if data.organisation_id is not None:
            touched.add(data.organisation_id)
    for post_id, row in held.items():
        if post_id not in kept:
            session.delete(row)
    session.flush()
    sync_secretaries(session, [o for o in touched if o is not None], today)


def member_input(session: Session, member_id: int) -> MemberInput:
    member = get_live(session, LeagueMember, member_id, "团员")
    posts = session.scalars(
        select(LeaguePost)
        .where(LeaguePost.person_id == member.person_id)
        .order_by(LeaguePost.started_on, LeaguePost.id)
    )
    return MemberInput(
        person=person_input(member.person),
        number=member.number or "",
        status=member.status,
        left_on=member.left_on,
        left_reason=member.left_reason,
        note=member.note,
        posts=[
            PostInput(p.organisation_id, p.post, p.started_on, p.ended_on, p.title, p.id)
            for p in posts
        ],
        version=member.version,
    )


def delete_member(session: Session, member_id: int, today: date | None = None) -> None:
    """To the recycle bin: the 团员 role only (the person stays, with any other role); the posts
    they held end today."""
    today = today or date.today()
    member = get_live(session, LeagueMember, member_id, "团员")
    _end_posts(session, [member.person_id], today)
    move_to_recycle_bin(session, member)


def member_choices(session: Session, organisation_id: int | None = None) -> list[tuple[int, str]]:
    """(person id, name) of the members 在团, of an organisation and its branches or of all:
    the candidates for 书记 and for 推优."""
    stmt = (
        select(Person.id, Person.name, Person.department)
        .join(LeagueMember, LeagueMember.person_id == Person.id)
        .where(
            LeagueMember.deleted_at.is_(None),
            LeagueMember.status == MemberStatus.ACTIVE,
            Person.deleted_at.is_(None),
        )
        .order_by(Person.name_pinyin, Person.id)
    )
    if organisation_id is not None:
        stmt = stmt.where(Person.organisation_id.in_(organisation_subtree(organisation_id)))
    return [
        (row.id, f"{row.name}（{row.department}）" if row.department else row.name)
        for row in session.execute(stmt)
    ]


# --- many members at once ----------------------------------------------------------------------


def move_members(session: Session, member_ids: Sequence[int], organisation_id: int) -> int:
    """转入团组织: the members now belong to ``organisation_id`` (a branch split or merged)."""
    if not member_ids:
        raise ValidationError("请先选择要转入的团员。")
    org = get_live(session, Organisation, organisation_id, "团组织")
    for member_id in member_ids:
        get_live(session, LeagueMember, member_id, "团员").person.organisation_id = org.id
    return len(member_ids)


@dataclass
class LeavingResult:
    left: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # 姓名：why they stay

    @property
    def message(self) -> str:
        text = f"已为 {len(self.left)} 名团员办理离团。"
        if self.kept:
            text += "\n以下团员未办理：\n" + "\n".join(self.kept)
        return text


def record_leaving(
    session: Session,
    member_ids: Sequence[int],
    on: date,
    status: str = MemberStatus.AGED_OUT,
    reason: str = "",
    today: date | None = None,
) -> LeavingResult:
    """离团 with its date, kept in history (the register's 已离团 filter shows them). 超龄离团
    skips, and names, members the 团章 lets stay: those holding a 团内职务, those under 28."""
    today = today or date.today()
    status = MemberStatus.parse(status, field="离团方式")
    if status == MemberStatus.ACTIVE:
        raise ValidationError("请选择离团方式。", field="离团方式")
    if on > today:
        raise ValidationError("离团日期不能晚于今天。", field="离团日期")
    if not member_ids:
        raise ValidationError("请先选择要办理离团的团员。")
    result = LeavingResult()
    for member_id in member_ids:  # locked: another PC's 离团 of the same member waits, then sees it
        member = get_for_update(session, LeagueMember, member_id, "团员")
        person = member.person
        if member.status != MemberStatus.ACTIVE:
            result.kept.append(f"{person.name}：已是“{MemberStatus.label_of(member.status)}”")
            continue
        if status == MemberStatus.AGED_OUT:
            refusal = leaving_refusal(person.birth_date, on, holds_post(session, person.id, on))
            if refusal:
                result.kept.append(f"{person.name}：{refusal}")
                continue
        member.status, member.left_on, member.left_reason = status, on, reason.strip()[:200]
        _end_posts(session, [person.id], on)
        result.left.append(person.name)
    return result


def holds_post(session: Session, person_id: int, on: date) -> bool:
    return bool(
        session.scalar(
            select(exists().where(LeaguePost.person_id == person_id, post_is_current(on)))
        )
    )


def _end_posts(session: Session, person_ids: Sequence[int], on: date) -> None:
    posts = list(
        session.scalars(
            select(LeaguePost).where(LeaguePost.person_id.in_(person_ids), post_is_current(on))
        )
    )
    for post in posts:
        post.ended_on = on
    session.flush()
    sync_secretaries(session, {p.organisation_id for p in posts}, on)


# --- 书记 and counts per organisation ------------------------------------------------------------


def sync_secretaries(session: Session, organisation_ids: Iterable[int], today: date) -> None:
    """Each organisation's 书记 is the holder of its current 书记 post (the latest appointed)."""
    for org_id in set(organisation_ids):
        org = session.get(Organisation, org_id)
        if org is None:
            continue
        org.secretary_id = session.scalar(
            select(LeaguePost.person_id)
            .where(
                LeaguePost.organisation_id == org_id,
                LeaguePost.post == LeaguePostKind.SECRETARY,
                post_is_current(today),
            )
            .order_by(LeaguePost.started_on.desc().nulls_last(), LeaguePost.id.desc())
            .limit(1)
        )


def set_secretary(
    session: Session, organisation_id: int, person_id: int | None, today: date
) -> None:
    """The organisation form's 书记: the chosen member takes the 书记 post from today; whoever
    held it leaves it today. The 书记 must be a member 在团."""
    org = get_live(session, Organisation, organisation_id, "团组织")
    if person_id == org.secretary_id:
        return
    if person_id is not None:
        member = _membership_of(session, person_id)
        if member is None or member.deleted_at is not None:
            raise ValidationError("书记须是团员名册中的团员。", field="书记")
        if member.status != MemberStatus.ACTIVE:
            raise ValidationError(
                f"“{member.person.name}”已{MemberStatus.label_of(member.status)}，不能任书记。",
                field="书记",
            )
    for post in session.scalars(
        select(LeaguePost).where(
            LeaguePost.organisation_id == organisation_id,
            LeaguePost.post == LeaguePostKind.SECRETARY,
            post_is_current(today),
        )
    ):
        post.ended_on = today
    if person_id is not None:
        session.add(
            LeaguePost(
                person_id=person_id,
                organisation_id=organisation_id,
                post=LeaguePostKind.SECRETARY,
                started_on=today,
            )
        )
    session.flush()
    sync_secretaries(session, [organisation_id], today)


def member_counts(session: Session, as_of: date | None = None) -> dict[int, int]:
    """团员数 per organisation: the members 在团 whose 所在团组织 it is (not its branches').

    ``as_of`` a past day: those who had joined by then (or whose 入团日期 is not known) and had
    not left yet (在团 now, or left after that day), under their 所在团组织 of today."""
    in_league = LeagueMember.status == MemberStatus.ACTIVE
    if as_of is not None:
        in_league = and_(
            or_(in_league, LeagueMember.left_on > as_of),
            or_(Person.league_joined_on.is_(None), Person.league_joined_on <= as_of),
        )
    rows = session.execute(
        select(Person.organisation_id, func.count())
        .join(LeagueMember, LeagueMember.person_id == Person.id)
        .where(
            LeagueMember.deleted_at.is_(None),
            in_league,
            Person.deleted_at.is_(None),
            Person.organisation_id.is_not(None),
        )
        .group_by(Person.organisation_id)
    )
    return {org_id: count for org_id, count in rows if org_id is not None}
