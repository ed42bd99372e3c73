"""推优入党: a branch recommends a 共青团员 to the Party; the stages after it, each with its date.

Only a 共青团员 on the member register, aged 18 or over and under 28 on the day, may be
recommended (``domain.league.recommendation_refusal`` names the reason otherwise). The stages
follow in order — 推优 → 入党积极分子 → 发展对象 → 预备党员 → 正式党员 — or stop; the person's
政治面貌 follows them (预备党员, then 中共党员).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from desk_league.data.models import LeagueMember, LeagueRecommendation, Organisation, Person
from desk_league.domain.codes import Education, PoliticalStatus, RecommendationStage
from desk_league.domain.league import recommendation_refusal
from desk_league.errors import Conflict, ValidationError
from desk_league.exports.register import Column, write_register
from desk_league.services.common import (
    get_live,
    get_to_save,
    move_to_recycle_bin,
    organisation_subtree,
    saved_values,
)
from desk_league.services.listing import ListColumn, Listing, ListQuery
from desk_league.services.progress import Progress
from desk_league.services.registers import office_register

# each stage after 推优: its date column and what it is called on the form
STAGE_DATES: tuple[tuple[RecommendationStage, str, str], ...] = (
    (RecommendationStage.ACTIVIST, "activist_on", "列为入党积极分子"),
    (RecommendationStage.CANDIDATE, "candidate_on", "列为发展对象"),
    (RecommendationStage.PROBATIONARY, "probationary_on", "接收为预备党员"),
    (RecommendationStage.FULL_MEMBER, "full_member_on", "转为正式党员"),
)
# the 政治面貌 a stage gives the person
STAGE_POLITICAL = {
    RecommendationStage.PROBATIONARY: PoliticalStatus.PROBATIONARY,
    RecommendationStage.FULL_MEMBER: PoliticalStatus.PARTY_MEMBER,
}

_rec_org = aliased(Organisation)
_home_org = aliased(Organisation)

RECOMMENDATIONS = Listing(
    name="recommendations",
    columns=[
        ListColumn("id", "编号", LeagueRecommendation.id, "int", hidden=True),
        ListColumn("name", "姓名", Person.name, width=70, sort_expr=Person.name_pinyin),
        ListColumn("gender", "性别", Person.gender, width=40),
        ListColumn("ethnicity", "民族", Person.ethnicity, hidden=True),
        ListColumn("birth_date", "出生日期", Person.birth_date, "date", width=90),
        ListColumn("education", "学历", Person.education, hidden=True, labels=Education.labels()),
        ListColumn("league_joined_on", "入团日期", Person.league_joined_on, "date", hidden=True),
        ListColumn("unit", "工作单位", _home_org.unit, hidden=True),
        ListColumn("department", "科室", Person.department, hidden=True),
        ListColumn("branch", "推荐团组织", _rec_org.name, width=190),
        ListColumn(
            "recommended_on", "推优日期", LeagueRecommendation.recommended_on, "date", width=90
        ),
        ListColumn("activist_on", "积极分子", LeagueRecommendation.activist_on, "date", width=90),
        ListColumn("candidate_on", "发展对象", LeagueRecommendation.candidate_on, "date", width=90),
        ListColumn(
            "probationary_on", "预备党员", LeagueRecommendation.probationary_on, "date", width=90
        ),
        ListColumn(
            "full_member_on", "正式党员", LeagueRecommendation.full_member_on, "date", width=90
        ),
        ListColumn(
            "stage",
            "当前阶段",
            LeagueRecommendation.stage,
            width=90,
            labels=RecommendationStage.labels(),
        ),
        ListColumn("note", "备注", LeagueRecommendation.note, width=200),
    ],
    base=select(LeagueRecommendation)
    .join(Person, LeagueRecommendation.person_id == Person.id)
    .outerjoin(_rec_org, LeagueRecommendation.organisation_id == _rec_org.id)
    .outerjoin(_home_org, Person.organisation_id == _home_org.id)
    .where(LeagueRecommendation.deleted_at.is_(None)),
    search=[Person.name, _rec_org.name],
    filters={
        "organisation_id": lambda org_id: LeagueRecommendation.organisation_id == org_id,
        "organisation_ids": lambda ids: LeagueRecommendation.organisation_id.in_(list(ids)),
        "organisation_tree": lambda org_id: LeagueRecommendation.organisation_id.in_(
            organisation_subtree(org_id)
        ),
        "stage": lambda stage: LeagueRecommendation.stage == stage,
        "year": lambda year: and_(
            LeagueRecommendation.recommended_on >= date(int(year), 1, 1),
            LeagueRecommendation.recommended_on <= date(int(year), 12, 31),
        ),
    },
    default_sort=[LeagueRecommendation.recommended_on.desc(), LeagueRecommendation.id.desc()],
)


@dataclass
class RecommendationInput:
    person_id: int | None
    organisation_id: int | None
    recommended_on: date
    activist_on: date | None = None
    candidate_on: date | None = None
    probationary_on: date | None = None
    full_member_on: date | None = None
    stopped_on: date | None = None
    note: str = ""
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it

    @property
    def stage(self) -> RecommendationStage:
        """The latest stage reached; 终止 once stopped."""
        if self.stopped_on is not None:
            return RecommendationStage.STOPPED
        reached = RecommendationStage.RECOMMENDED
        for stage, column, _label in STAGE_DATES:
            if getattr(self, column) is not None:
                reached = stage
        return reached


def refusal(session: Session, person_id: int, on: date) -> str | None:
    """Why ``person_id`` may not be 推优 on ``on``, as the clerk reads it (None: they may)."""
    person = get_live(session, Person, person_id, "人员")
    member = session.scalar(
        select(LeagueMember).where(
            LeagueMember.person_id == person_id, LeagueMember.deleted_at.is_(None)
        )
    )
    reason = recommendation_refusal(
        person.political_status, member.status if member else None, person.birth_date, on
    )
    return f"{person.name}不能推优：{reason}。" if reason else None


def _validate(session: Session, data: RecommendationInput, today: date, rec_id: int | None) -> None:
    if data.person_id is None:
        raise ValidationError("请选择被推荐的团员。", field="姓名")
    if data.organisation_id is None:
        raise ValidationError("请选择推荐的团组织。", field="推荐团组织")
    get_live(session, Organisation, data.organisation_id, "团组织")
    previous = session.get(LeagueRecommendation, rec_id) if rec_id else None
    recheck = previous is None or (previous.person_id, previous.recommended_on) != (
        data.person_id,
        data.recommended_on,
    )
    if recheck:  # an open record first: its stages are what is to be entered
        _refuse_second(session, data.person_id, rec_id)
    if recheck and (reason := refusal(session, data.person_id, data.recommended_on)):
        raise ValidationError(reason, field="姓名")
    _check_dates(data, today)


def _refuse_second(session: Session, person_id: int, rec_id: int | None) -> None:
    other = session.scalar(
        select(LeagueRecommendation).where(
            LeagueRecommendation.person_id == person_id,
            LeagueRecommendation.deleted_at.is_(None),
            LeagueRecommendation.stage != RecommendationStage.STOPPED,
            LeagueRecommendation.id != (rec_id or 0),
        )
    )
    if other is not None:
        raise Conflict(
            f"“{other.person.name}”已于 {other.recommended_on:%Y-%m-%d} 推优"
            f"（{RecommendationStage.label_of(other.stage)}），请在原记录上登记后续阶段。"
        )


def _check_dates(data: RecommendationInput, today: date) -> None:
    previous_label, previous_date = "推优", data.recommended_on
    for _stage, column, label in (
        *STAGE_DATES,
        (RecommendationStage.STOPPED, "stopped_on", "终止"),
    ):
        when = getattr(data, column)
        if when is None:
            continue
        if when > today:
            raise ValidationError(f"{label}日期 {when:%Y-%m-%d} 晚于今天。", field=label)
        if when < previous_date:
            raise ValidationError(
                f"{label}日期 {when:%Y-%m-%d} 早于{previous_label}日期 {previous_date:%Y-%m-%d}。",
                field=label,
            )
        if column != "stopped_on":
            previous_label, previous_date = label, when
    if data.recommended_on > today:
        raise ValidationError(
            f"推优日期 {data.recommended_on:%Y-%m-%d} 晚于今天。", field="推优日期"
        )


def create_recommendation(
    session: Session, data: RecommendationInput, today: date
) -> LeagueRecommendation:
    _validate(session, data, today, None)
    rec = LeagueRecommendation(**saved_values(data), stage=data.stage)
    session.add(rec)
    session.flush()
    _follow_political_status(session, rec)
    return rec


def update_recommendation(
    session: Session, rec_id: int, data: RecommendationInput, today: date
) -> LeagueRecommendation:
    rec = get_to_save(session, LeagueRecommendation, rec_id, data.version, "推优记录")
    _validate(session, data, today, rec_id)
    for key, value in saved_values(data).items():
        setattr(rec, key, value)
    rec.stage = data.stage
    _follow_political_status(session, rec)
    return rec


def _follow_political_status(session: Session, rec: LeagueRecommendation) -> None:
    """预备党员 and 正式党员 change the person's 政治面貌 (they stay on the member register:
    a 党员 under 28 keeps 团籍)."""
    status = STAGE_POLITICAL.get(RecommendationStage(rec.stage))
    if status is not None:
        get_live(session, Person, rec.person_id, "人员").political_status = status


def delete_recommendation(session: Session, rec_id: int) -> None:
    move_to_recycle_bin(session, get_live(session, LeagueRecommendation, rec_id, "推优记录"))


def recommendation_form(session: Session, rec_id: int) -> RecommendationInput:
    r = get_live(session, LeagueRecommendation, rec_id, "推优记录")
    return RecommendationInput(
        r.person_id,
        r.organisation_id,
        r.recommended_on,
        r.activist_on,
        r.candidate_on,
        r.probationary_on,
        r.full_member_on,
        r.stopped_on,
        r.note,
        version=r.version,
    )


# --- 推荐对象名册 --------------------------------------------------------------------------------

REGISTER_COLUMNS = [
    Column("seq", "序号", 6, "int"),
    Column("name", "姓名", 9),
    Column("gender", "性别", 5),
    Column("ethnicity", "民族", 7),
    Column("birth_date", "出生日期", 11, "date"),
    Column("education", "学历", 10),
    Column("league_joined_on", "入团日期", 11, "date"),
    Column("unit", "工作单位", 20),
    Column("department", "科室", 10),
    Column("branch", "推荐团组织", 24),
    Column("recommended_on", "推优日期", 11, "date"),
    Column("activist_on", "列为积极分子", 11, "date"),
    Column("candidate_on", "列为发展对象", 11, "date"),
    Column("probationary_on", "接收预备党员", 11, "date"),
    Column("full_member_on", "转为正式党员", 11, "date"),
    Column("stage", "当前阶段", 10),
    Column("note", "备注", 20),
]


def export_recommendation_register(
    session: Session,
    path: str | Path,
    query: ListQuery | None = None,
    *,
    year: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """推优入党推荐对象名册 (of ``year``, or of the page's filters)."""
    query = query or ListQuery(filters={"year": year} if year else {})
    title = f"{year}年度推优入党推荐对象名册" if year else "推优入党推荐对象名册"
    rows = (
        dict(row, seq=seq)
        for seq, row in enumerate(
            RECOMMENDATIONS.iter_rows(
                session,
                query,
                order_by=[LeagueRecommendation.recommended_on, LeagueRecommendation.id],
                labelled=True,
            ),
            start=1,
        )
    )
    register = office_register(session, title, REGISTER_COLUMNS, today=today)
    return write_register(path, register, rows, progress=progress)
