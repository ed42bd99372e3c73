"""SQLAlchemy 2.0 typed models: every table of the office's data, from DESIGN.md.

Conventions:
- ``id`` integer primary keys; ``created_at``/``updated_at`` on the records a clerk edits.
- ``deleted_at`` marks a row that sits in the recycle bin (soft delete); queries for lists filter it.
- Statuses and kinds are codes from ``desk_league.domain.codes`` (active, done …); the words
  the clerk reads are their labels. Open vocabularies (activity categories, honour levels,
  channels) are the office's own words: they are data.
- ID numbers and phones are text, never numbers.
- ``version`` on the records a clerk edits: every UPDATE checks and bumps it (SQLAlchemy's
  ``version_id_col``), and a form saves only over the version it loaded, so a change made on
  another PC in between is never overwritten unseen.
- Rules two PCs could break at the same moment are the database's too: unique numbers, one
  nomination per batch, honour and nominee (partial unique indexes over the live rows).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from desk_league.domain.codes import (
    ActivityStatus,
    CalendarKind,
    CommendationStatus,
    HonourStatus,
    InfoReportStatus,
    MemberStatus,
    NominationStatus,
    PlanItemKind,
    PlanItemStatus,
    PlanStatus,
    RecipientKind,
    RecommendationStage,
    ServiceStatus,
    VolunteerStatus,
)


class Base(DeclarativeBase):
    pass


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


class SoftDelete:
    """Rows with ``deleted_at`` set are in the recycle bin: hidden, restorable."""

    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None, index=True)
    if TYPE_CHECKING:  # every such table has an integer ``id`` of its own (not a mixin column)
        id: Mapped[int]


# --- organisations and people ----------------------------------------------------------------


class Organisation(Timestamps, SoftDelete, Base):
    """A league organisation (团委 / 团总支 / 团支部) in a health unit; the tree of the system."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # OrgKind
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(100), default="")  # the health unit, 市人民医院
    short_name: Mapped[str] = mapped_column(String(40), default="")
    # the holder of its current 书记 post (kept by services/members.py from the posts)
    secretary_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", use_alter=True, name="fk_org_secretary")
    )
    contact: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    established_on: Mapped[date | None] = mapped_column(Date)
    term_start: Mapped[date | None] = mapped_column(Date)
    term_years: Mapped[int | None] = mapped_column(Integer)  # None: the setting for its kind
    # a student branch (学校的学生团支部) has one-year terms (团支部工作条例); migration 0009
    student: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")
    secretary: Mapped[Person | None] = relationship(foreign_keys=[secretary_id])


class Person(Timestamps, SoftDelete, Base):
    """One human being, whatever roles they hold: 团员 (``LeagueMember``), 团干部 (``LeaguePost``),
    volunteer, nominee, 推优 candidate. Nobody is typed twice."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_id_number", "id_number", unique=True),
        Index("ix_person_name_pinyin", "name_pinyin", "id"),
        Index("ix_person_name_strokes", "name_strokes", "id"),
        # the 团员 list sorts by them, and its age filters read birth dates (migration 0010)
        Index("ix_person_birth_date_id", "birth_date", "id"),
        Index("ix_person_league_joined_on_id", "league_joined_on", "id"),
    )

    # no index on deleted_at (see Volunteer)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str] = mapped_column(String(2), default="")  # 男 / 女
    ethnicity: Mapped[str] = mapped_column(String(20), default="", server_default="")  # 汉族
    id_type: Mapped[str] = mapped_column(String(20), default="居民身份证")
    id_number: Mapped[str | None] = mapped_column(String(30))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(30), default="")
    # the league organisation of their unit (所在团组织): a member's branch, a volunteer's unit
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    department: Mapped[str] = mapped_column(String(60), default="")  # 科室
    political_status: Mapped[str] = mapped_column(String(20), default="")  # PoliticalStatus
    education: Mapped[str] = mapped_column(String(12), default="", server_default="")  # Education
    league_joined_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # sort keys of the name (domain/names.py), kept by services/people.py: lists order by them
    name_pinyin: Mapped[str] = mapped_column(String(112), default="", server_default="")
    name_strokes: Mapped[str] = mapped_column(String(112), default="", server_default="")

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])


class LeagueMember(Timestamps, SoftDelete, Base):
    """The 团员 role of a person: on the register (在团) or left it, with the date (history)."""

    __tablename__ = "league_member"
    __table_args__ = (Index("ix_league_member_number", "number", unique=True),)
    # no index on deleted_at (see Volunteer)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    number: Mapped[str | None] = mapped_column(String(30))  # 团员编号, optional
    status: Mapped[str] = mapped_column(String(12), default=MemberStatus.ACTIVE, index=True)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship()


class LeaguePost(Timestamps, Base):
    """A 团内职务 held (团干部): which post, in which organisation, from when until when."""

    __tablename__ = "league_post"
    __table_args__ = (Index("ix_league_post_organisation", "organisation_id", "post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    post: Mapped[str] = mapped_column(String(12))  # LeaguePostKind
    title: Mapped[str] = mapped_column(String(40), default="")  # the wording of an OTHER post
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # None: still in post

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation] = relationship()


class LeagueRecommendation(Timestamps, SoftDelete, Base):
    """推优入党: a league member recommended to the Party, and each stage after it with its date.

    ``stage`` is the latest stage reached (kept from the dates by services/recommendations.py).
    """

    __tablename__ = "league_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    recommended_on: Mapped[date] = mapped_column(Date)
    activist_on: Mapped[date | None] = mapped_column(Date)  # 列为入党积极分子
    candidate_on: Mapped[date | None] = mapped_column(Date)  # 列为发展对象
    probationary_on: Mapped[date | None] = mapped_column(Date)  # 接收为预备党员
    full_member_on: Mapped[date | None] = mapped_column(Date)  # 转为正式党员
    stopped_on: Mapped[date | None] = mapped_column(Date)  # 终止 (not admitted, withdrawn …)
    stage: Mapped[str] = mapped_column(String(20), default=RecommendationStage.RECOMMENDED)
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


# --- volunteers -------------------------------------------------------------------------------


class Volunteer(Timestamps, SoftDelete, Base):
    __tablename__ = "volunteer"
    __table_args__ = (  # the columns the list sorts by, each with id for paging (migration 0010)
        Index("ix_volunteer_registered_on_id", "registered_on", "id"),
        Index("ix_volunteer_team_id", "team", "id"),
        Index("ix_volunteer_status_id", "status", "id"),
    )
    # no index: nearly every row has NULL here, and SQLite without statistics took such an index
    # for a narrow one and sorted the whole table instead of reading the list's order (0010)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    registered_on: Mapped[date | None] = mapped_column(Date)
    team: Mapped[str] = mapped_column(
        String(40), default=""
    )  # 卫生下乡 / 无偿献血 / 健康教育 / 卫生应急
    skills: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(8), default=VolunteerStatus.ACTIVE)
    # under 18 at registration: the guardian's written consent is on file (migration 0009)
    guardian_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship()


class ServiceRecord(Timestamps, Base):
    """Certified volunteer hours. Never deleted: an approved record is voided with a reason."""

    __tablename__ = "service_record"
    __table_args__ = (
        Index("ix_service_record_volunteer_date", "volunteer_id", "served_on"),
        # Covers the period's figures (hours by status, by month, by volunteer): the overview,
        # the annual workbook and the summary read the year from the index alone (migration 0011).
        Index(
            "ix_service_record_status_date_hours", "status", "served_on", "volunteer_id", "hours"
        ),
        # Covers the approved-hours sums of the volunteer list (migration 0002).
        Index("ix_service_record_volunteer_hours", "volunteer_id", "status", "served_on", "hours"),
        # The records list opens newest first: read in index order, not a sort (migration 0003).
        Index("ix_service_record_date_id", "served_on", "id"),
        # the other columns the list sorts by, each with id for paging (migration 0010)
        Index("ix_service_record_place_id", "place", "id"),
        Index("ix_service_record_organiser_id", "organiser", "id"),
        Index("ix_service_record_hours_id", "hours", "id"),
        Index("ix_service_record_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    served_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    content: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    organiser: Mapped[str] = mapped_column(String(100), default="")
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default=ServiceStatus.PENDING)
    verified_by: Mapped[str] = mapped_column(String(40), default="")
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str] = mapped_column(String(200), default="")

    volunteer: Mapped[Volunteer] = relationship()
    activity: Mapped[Activity | None] = relationship()


class ServiceCertificate(Base):
    """A 志愿服务证明 issued: keeps proof numbers unique and sequential per year."""

    __tablename__ = "service_certificate"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float, default=0)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(40), default="")


# --- plan -------------------------------------------------------------------------------------


class Plan(Timestamps, SoftDelete, Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    approach: Mapped[str] = mapped_column(Text, default="")  # 总体思路
    status: Mapped[str] = mapped_column(String(10), default=PlanStatus.DRAFT)

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position", cascade="all, delete-orphan"
    )


plan_item_activity = Table(
    "plan_item_activity",
    Base.metadata,
    Column("plan_item_id", ForeignKey("plan_item.id"), primary_key=True),
    Column("activity_id", ForeignKey("activity.id"), primary_key=True, index=True),
)


class PlanItem(Timestamps, SoftDelete, Base):
    """A section (一、) or task (1、) of a plan; ``parent_id`` makes the tree."""

    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_plan_parent", "plan_id", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10), default=PlanItemKind.TASK)
    number: Mapped[str] = mapped_column(String(20), default="")  # 一、 (一) 1、 as written
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(60), default="")  # 责任人
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    time_node: Mapped[str] = mapped_column(String(60), default="")  # “五四前后”
    due_date: Mapped[date | None] = mapped_column(Date)
    key_date_id: Mapped[int | None] = mapped_column(ForeignKey("key_date.id"))
    status: Mapped[str] = mapped_column(String(10), default=PlanItemStatus.TODO)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="items")
    lead_unit: Mapped[Organisation | None] = relationship()
    key_date: Mapped[KeyDate | None] = relationship()
    activities: Mapped[list[Activity]] = relationship(secondary=plan_item_activity)


# --- activities, key dates, information reports ----------------------------------------------

ACTIVITY_CATEGORIES = (
    "主题教育",
    "青年文明号",
    "志愿服务",
    "组织建设",
    "文体活动",
    "技能竞赛",
    "培训",
    "宣传信息",
    "其他",
)


class Activity(Timestamps, SoftDelete, Base):
    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(20), default="其他")
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100), default="")
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    co_organisers: Mapped[str] = mapped_column(String(300), default="")
    participant_count: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    key_date_id: Mapped[int | None] = mapped_column(ForeignKey("key_date.id"))
    status: Mapped[str] = mapped_column(String(10), default=ActivityStatus.PLANNED)

    organiser: Mapped[Organisation | None] = relationship()
    key_date: Mapped[KeyDate | None] = relationship()
    participants: Mapped[list[ActivityParticipant]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )
    plan_items: Mapped[list[PlanItem]] = relationship(secondary=plan_item_activity, viewonly=True)


class ActivityParticipant(Base):
    __tablename__ = "activity_participant"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(30), default="")

    activity: Mapped[Activity] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()


class Attachment(Timestamps, SoftDelete, Base):
    """A photo or file copied into the data folder; ``owner_table``/``owner_id`` say whose it is."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_table", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_table: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(260))  # as the user named it
    stored_path: Mapped[str] = mapped_column(String(500))  # relative to the attachments folder
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(String(200), default="")


class KeyDate(Timestamps, SoftDelete, Base):
    """A node of the year: 五四 (solar 5/4) or 重阳 (lunar 9/9), with days of advance reminder."""

    __tablename__ = "key_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    calendar: Mapped[str] = mapped_column(String(6), default=CalendarKind.SOLAR)
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    remind_days: Mapped[int] = mapped_column(Integer, default=14)
    note: Mapped[str] = mapped_column(String(200), default="")


INFO_CHANNELS = ("上级团委", "报刊", "网站", "公众号", "电视", "其他")


class InfoReport(Timestamps, SoftDelete, Base):
    """信息报送: a news item a unit sent upward; counted per year, adopted or not."""

    __tablename__ = "info_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), default="上级团委")
    status: Mapped[str] = mapped_column(String(10), default=InfoReportStatus.SUBMITTED)
    adopted_by: Mapped[str] = mapped_column(String(100), default="")
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation | None] = relationship()
    activity: Mapped[Activity | None] = relationship()


# --- honours and commendations ---------------------------------------------------------------

HONOUR_LEVELS = ("国家级", "省级", "市级", "系统级", "单位级")


class HonourType(Timestamps, SoftDelete, Base):
    __tablename__ = "honour_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    recipient_kind: Mapped[str] = mapped_column(String(10), default=RecipientKind.PERSONAL)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # eligibility rules, e.g. {"max_age": 28, "min_member_years": 3, "min_hours": 20}
    rules: Mapped[dict] = mapped_column(JSON, default=dict)


class Commendation(Timestamps, SoftDelete, Base):
    """表彰: one batch, e.g. 2025年度市直卫生系统共青团先进集体和先进个人."""

    __tablename__ = "commendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    decided_on: Mapped[date | None] = mapped_column(Date)
    reference_date: Mapped[date | None] = mapped_column(Date)  # ages are checked on this day
    document_number: Mapped[str] = mapped_column(String(60), default="")
    granting_body: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(10), default=CommendationStatus.DRAFT)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_template.id"))
    # this year's eligibility rules per honour type id (as text), where they differ from the type's
    rules: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")


class CommendationQuota(Base):
    __tablename__ = "commendation_quota"
    __table_args__ = (UniqueConstraint("commendation_id", "honour_type_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commendation_id: Mapped[int] = mapped_column(ForeignKey("commendation.id"), index=True)
    honour_type_id: Mapped[int] = mapped_column(ForeignKey("honour_type.id"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id")
    )  # None: total
    quota: Mapped[int] = mapped_column(Integer)


# Partial indexes keep their WHERE here and are given it for the engine in use when one is made
# (``partial_index_conditions``): naming ``postgresql_where`` in the Index itself makes SQLAlchemy
# import its whole PostgreSQL dialect (asyncpg, asyncio, ssl) on every start and every command
# on SQLite, 0.06-0.1 s. The migrations create these indexes with their own WHERE.
_PARTIAL_INDEXES: list[tuple[Index, str]] = []


def _live(index: Index, condition: str) -> Index:
    """``index`` only over live rows (a nominee in the recycle bin may come back)."""
    _PARTIAL_INDEXES.append((index, f"deleted_at IS NULL AND {condition}"))
    return index


def partial_index_conditions(dialect_name: str) -> None:
    """Give the partial indexes their WHERE for ``dialect_name`` (sqlite, postgresql)."""
    for index, where in _PARTIAL_INDEXES:
        options = index.dialect_options[dialect_name]
        if options.get("where") is None:
            options["where"] = text(where)


class Nomination(Timestamps, SoftDelete, Base):
    """A branch's nomination for a batch; approval turns it into an Honour."""

    __tablename__ = "nomination"
    __table_args__ = (
        # one live nomination per batch, honour type and nominee (person, organisation or
        # collective): two PCs nominating the same person at once leave one nomination
        _live(
            Index(
                "uq_nomination_person",
                "commendation_id",
                "honour_type_id",
                "person_id",
                unique=True,
            ),
            "person_id IS NOT NULL",
        ),
        _live(
            Index(
                "uq_nomination_organisation",
                "commendation_id",
                "honour_type_id",
                "organisation_id",
                unique=True,
            ),
            "person_id IS NULL AND collective_name = ''",
        ),
        _live(
            Index(
                "uq_nomination_collective",
                "commendation_id",
                "honour_type_id",
                "collective_name",
                unique=True,
            ),
            "collective_name != ''",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commendation_id: Mapped[int] = mapped_column(ForeignKey("commendation.id"), index=True)
    honour_type_id: Mapped[int] = mapped_column(ForeignKey("honour_type.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    collective_name: Mapped[str] = mapped_column(String(100), default="")
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=NominationStatus.NOMINATED)
    honour_id: Mapped[int | None] = mapped_column(ForeignKey("honour.id"))

    honour_type: Mapped[HonourType] = relationship()
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    nominated_by: Mapped[Organisation | None] = relationship(foreign_keys=[nominated_by_id])


class Honour(Timestamps, SoftDelete, Base):
    """An honour held by a person, an organisation, or a collective such as 市人民医院急诊科."""

    __tablename__ = "honour"

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_type_id: Mapped[int] = mapped_column(ForeignKey("honour_type.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")  # the wording on the certificate
    level: Mapped[str] = mapped_column(String(10), default="系统级")  # HONOUR_LEVELS
    year: Mapped[int] = mapped_column(Integer, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    collective_name: Mapped[str] = mapped_column(String(100), default="")
    granting_body: Mapped[str] = mapped_column(String(100), default="")
    document_number: Mapped[str] = mapped_column(String(60), default="")
    granted_on: Mapped[date | None] = mapped_column(Date)
    certificate_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    commendation_id: Mapped[int | None] = mapped_column(ForeignKey("commendation.id"), index=True)
    status: Mapped[str] = mapped_column(String(6), default=HonourStatus.ACTIVE)
    star: Mapped[int | None] = mapped_column(Integer)  # 青年文明号 一星…五星
    note: Mapped[str] = mapped_column(Text, default="")

    honour_type: Mapped[HonourType] = relationship()
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    commendation: Mapped[Commendation | None] = relationship()
    reviews: Mapped[list[HonourReview]] = relationship(
        back_populates="honour", order_by="HonourReview.reviewed_on"
    )

    @property
    def recipient_name(self) -> str:
        """Whom the honour names: the person, else the collective, else the organisation."""
        if self.person is not None:
            return self.person.name
        return self.collective_name or (self.organisation.name if self.organisation else "")


class HonourReview(Timestamps, Base):
    """青年文明号 动态管理: an annual review result or a sanction (警示 / 降星 / 撤销)."""

    __tablename__ = "honour_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    honour_id: Mapped[int] = mapped_column(ForeignKey("honour.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # ReviewKind
    result: Mapped[str] = mapped_column(String(20), default="")  # ReviewResult; "" for sanctions
    reason: Mapped[str] = mapped_column(Text, default="")

    honour: Mapped[Honour] = relationship(back_populates="reviews")


class CertificateTemplate(Timestamps, SoftDelete, Base):
    """A certificate layout: page, border or background, title, body with {placeholders}, seal."""

    __tablename__ = "certificate_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10), default="honour")  # honour / service
    page_size: Mapped[str] = mapped_column(String(4), default="A4")
    landscape: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str] = mapped_column(String(60), default="荣誉证书")
    body: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(Text, default="")
    # everything about placement (mm offsets, sizes, fonts, images, QR) lives here
    layout: Mapped[dict] = mapped_column(JSON, default=dict)


# --- audit and settings ----------------------------------------------------------------------


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_table_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    user: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(10))  # create / update / delete / restore / purge
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Office data that travels with the database: office name, seal image, star thresholds."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
