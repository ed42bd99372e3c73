"""The fixed sets of values records take (statuses, kinds), stored as codes; the Chinese labels.

Code compares codes (``PlanItemStatus.DONE``), the database stores them (``"done"``), and the
clerk reads the label (已完成) on screen, in registers and in PDFs. Every label lives in
``LABELS`` at the end of this module, one mapping per set, so a translation has one place to go.

Typed input (a CLI option, a spreadsheet column, an old form value) may give either the code or
the label: ``parse`` takes both.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import Self, TypeVar

from desk_league.errors import ValidationError


class Code(StrEnum):
    """A stored value of a fixed set; ``label`` is the word the clerk reads."""

    @property
    def label(self) -> str:
        return LABELS[type(self)][self]

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code → label, for a list column or a register."""
        return {member.value: member.label for member in cls}

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored value; a value outside the set is shown as it is."""
        if value is None:
            return ""
        return cls.labels().get(value, value)

    @classmethod
    def parse(cls, text: object, *, field: str = "状态") -> Self:
        """The member named by its code, its label or one of the other words offices write for
        it (``ALIASES``: 团员 for 共青团员, 本科 for 大学本科); surrounding spaces ignored."""
        value = " ".join(str(text).split()) if text is not None else ""
        member = _words(cls).get(value)
        if member is not None:
            return member
        allowed = "、".join(member.label for member in cls)
        raise ValidationError(f"应为{allowed}之一（填写的是“{value}”）。", field=field)


C = TypeVar("C", bound=Code)


@functools.cache  # a roster asks 10,000 times
def _words(codes: type[C]) -> dict[str, C]:
    """Each word ``parse`` takes for a member of ``codes`` (its code, its label, its aliases) →
    the member; a word two members share names the first."""
    words: dict[str, C] = {}
    aliases = ALIASES.get(codes, {})
    for member in codes:
        for word in (member.value, member.label, *(a for a, m in aliases.items() if m == member)):
            words.setdefault(word, member)
    return words


# --- organisations and people ---------------------------------------------------------------


class OrgKind(Code):
    COUNCIL = "council"
    GENERAL = "general"
    BRANCH = "branch"

    @property
    def rank(self) -> int:
        """Its level in the league, 0 the highest: 团委 over 团总支 over 团支部."""
        return _ORG_RANKS[self]


_ORG_RANKS = {OrgKind.COUNCIL: 0, OrgKind.GENERAL: 1, OrgKind.BRANCH: 2}


class TermStatus(Code):
    """Where an organisation stands with its 换届 (worked out from its term, never stored)."""

    OK = "ok"
    SIX_MONTHS = "six_months"
    THREE_MONTHS = "three_months"
    OVERDUE = "overdue"
    MISSING = "missing"


class PoliticalStatus(Code):
    """政治面貌. A 党员 may still be a league member (团籍 kept: under 28, or holding a post)."""

    LEAGUE_MEMBER = "league"
    PROBATIONARY = "probationary"  # 中共预备党员
    PARTY_MEMBER = "party"
    DEMOCRATIC = "democratic"  # 民主党派
    MASSES = "masses"  # 群众

    @property
    def is_party(self) -> bool:
        return self in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)


class MemberStatus(Code):
    """A league member on the register, or one who left it (kept, with the date, in history)."""

    ACTIVE = "active"
    AGED_OUT = "aged_out"  # 超龄离团 at 28
    TRANSFERRED = "transferred"  # 组织关系转出 to a committee outside the office's system
    LEFT = "left"  # 退团 and the other ways out


class LeaguePostKind(Code):
    """团内职务: the posts of a league committee or branch (团干部)."""

    SECRETARY = "secretary"
    DEPUTY = "deputy"
    ORGANISING = "organising"  # 组织委员
    PUBLICITY = "publicity"  # 宣传委员
    COMMITTEE = "committee"  # 委员
    OTHER = "other"


class RecommendationStage(Code):
    """推优入党: how far a recommended member has come, in order; or stopped on the way."""

    RECOMMENDED = "recommended"
    ACTIVIST = "activist"  # 入党积极分子
    CANDIDATE = "candidate"  # 发展对象
    PROBATIONARY = "probationary"  # 预备党员
    FULL_MEMBER = "full_member"  # 正式党员
    STOPPED = "stopped"


class Education(Code):
    """学历, as the registers of the League and the Party ask it."""

    DOCTORATE = "doctorate"
    MASTER = "master"
    BACHELOR = "bachelor"
    COLLEGE = "college"  # 大学专科
    SECONDARY = "secondary"  # 中专、中技
    HIGH_SCHOOL = "high_school"
    JUNIOR = "junior"  # 初中及以下


# --- volunteers -----------------------------------------------------------------------------


class VolunteerStatus(Code):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class ServiceStatus(Code):
    """A service record: entered, approved (counted), or voided with a reason."""

    PENDING = "pending"
    APPROVED = "approved"
    VOID = "void"


# --- plan, activities, key dates, information reports -------------------------------------


class PlanStatus(Code):
    DRAFT = "draft"
    ISSUED = "issued"


class PlanItemKind(Code):
    SECTION = "section"
    TASK = "task"


class PlanItemStatus(Code):
    TODO = "todo"
    ONGOING = "ongoing"
    DONE = "done"
    CANCELLED = "cancelled"


class ActivityStatus(Code):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class CalendarKind(Code):
    SOLAR = "solar"
    LUNAR = "lunar"


class InfoReportStatus(Code):
    SUBMITTED = "submitted"
    ADOPTED = "adopted"


# --- honours --------------------------------------------------------------------------------


class RecipientKind(Code):
    PERSONAL = "personal"
    COLLECTIVE = "collective"


class HonourStatus(Code):
    DRAFT = "draft"  # put forward, not granted yet
    ACTIVE = "active"
    VOID = "void"  # revoked


class CommendationStatus(Code):
    DRAFT = "draft"  # nominations open
    APPROVED = "approved"


class NominationStatus(Code):
    NOMINATED = "nominated"
    PASSED = "passed"
    REJECTED = "rejected"


class ReviewKind(Code):
    """青年文明号 动态管理: a yearly review, the end-of-cycle review, a star up, or a sanction."""

    ANNUAL = "annual"
    CYCLE = "cycle"
    STAR_UP = "star_up"
    WARNING = "warning"
    STAR_DOWN = "star_down"
    REVOKE = "revoke"


class ReviewResult(Code):
    PASS = "pass"
    FAIL = "fail"


# --- the labels, one mapping per set ---------------------------------------------------------

LABELS: dict[type[Code], dict[Code, str]] = {
    OrgKind: {
        OrgKind.COUNCIL: "团委",
        OrgKind.GENERAL: "团总支",
        OrgKind.BRANCH: "团支部",
    },
    TermStatus: {
        TermStatus.OK: "正常",
        TermStatus.SIX_MONTHS: "6个月内届满",
        TermStatus.THREE_MONTHS: "3个月内届满",
        TermStatus.OVERDUE: "已超期",
        TermStatus.MISSING: "未填写换届时间",
    },
    PoliticalStatus: {
        PoliticalStatus.LEAGUE_MEMBER: "共青团员",
        PoliticalStatus.PROBATIONARY: "中共预备党员",
        PoliticalStatus.PARTY_MEMBER: "中共党员",
        PoliticalStatus.DEMOCRATIC: "民主党派",
        PoliticalStatus.MASSES: "群众",
    },
    MemberStatus: {
        MemberStatus.ACTIVE: "在团",
        MemberStatus.AGED_OUT: "超龄离团",
        MemberStatus.TRANSFERRED: "转出",
        MemberStatus.LEFT: "其他离团",
    },
    LeaguePostKind: {
        LeaguePostKind.SECRETARY: "书记",
        LeaguePostKind.DEPUTY: "副书记",
        LeaguePostKind.ORGANISING: "组织委员",
        LeaguePostKind.PUBLICITY: "宣传委员",
        LeaguePostKind.COMMITTEE: "委员",
        LeaguePostKind.OTHER: "其他职务",
    },
    RecommendationStage: {
        RecommendationStage.RECOMMENDED: "已推优",
        RecommendationStage.ACTIVIST: "入党积极分子",
        RecommendationStage.CANDIDATE: "发展对象",
        RecommendationStage.PROBATIONARY: "预备党员",
        RecommendationStage.FULL_MEMBER: "正式党员",
        RecommendationStage.STOPPED: "终止",
    },
    Education: {
        Education.DOCTORATE: "博士研究生",
        Education.MASTER: "硕士研究生",
        Education.BACHELOR: "大学本科",
        Education.COLLEGE: "大学专科",
        Education.SECONDARY: "中专",
        Education.HIGH_SCHOOL: "高中",
        Education.JUNIOR: "初中及以下",
    },
    VolunteerStatus: {
        VolunteerStatus.ACTIVE: "在册",
        VolunteerStatus.PAUSED: "暂停",
        VolunteerStatus.CLOSED: "注销",
    },
    ServiceStatus: {
        ServiceStatus.PENDING: "待审核",
        ServiceStatus.APPROVED: "已审核",
        ServiceStatus.VOID: "已作废",
    },
    PlanStatus: {
        PlanStatus.DRAFT: "草稿",
        PlanStatus.ISSUED: "已印发",
    },
    PlanItemKind: {
        PlanItemKind.SECTION: "板块",
        PlanItemKind.TASK: "事项",
    },
    PlanItemStatus: {
        PlanItemStatus.TODO: "未开始",
        PlanItemStatus.ONGOING: "进行中",
        PlanItemStatus.DONE: "已完成",
        PlanItemStatus.CANCELLED: "已取消",
    },
    ActivityStatus: {
        ActivityStatus.PLANNED: "计划中",
        ActivityStatus.DONE: "已完成",
        ActivityStatus.CANCELLED: "已取消",
    },
    CalendarKind: {
        CalendarKind.SOLAR: "公历",
        CalendarKind.LUNAR: "农历",
    },
    InfoReportStatus: {
        InfoReportStatus.SUBMITTED: "已报送",
        InfoReportStatus.ADOPTED: "已采用",
    },
    RecipientKind: {
        RecipientKind.PERSONAL: "个人",
        RecipientKind.COLLECTIVE: "集体",
    },
    HonourStatus: {
        HonourStatus.DRAFT: "推荐",
        HonourStatus.ACTIVE: "授予",
        HonourStatus.VOID: "撤销",
    },
    CommendationStatus: {
        CommendationStatus.DRAFT: "推荐中",
        CommendationStatus.APPROVED: "已批准",
    },
    NominationStatus: {
        NominationStatus.NOMINATED: "提名",
        NominationStatus.PASSED: "通过",
        NominationStatus.REJECTED: "未通过",
    },
    ReviewKind: {
        ReviewKind.ANNUAL: "年审",
        ReviewKind.CYCLE: "复核",
        ReviewKind.STAR_UP: "升星",
        ReviewKind.WARNING: "警示",
        ReviewKind.STAR_DOWN: "降星",
        ReviewKind.REVOKE: "撤销",
    },
    ReviewResult: {
        ReviewResult.PASS: "合格",
        ReviewResult.FAIL: "不合格",
    },
}

# Other words offices write for a value, read on input only (a spreadsheet, a CLI option).
ALIASES: dict[type[Code], dict[str, Code]] = {
    PoliticalStatus: {
        "团员": PoliticalStatus.LEAGUE_MEMBER,
        "中国共青团员": PoliticalStatus.LEAGUE_MEMBER,
        "共青团": PoliticalStatus.LEAGUE_MEMBER,
        "党员": PoliticalStatus.PARTY_MEMBER,
        "中共正式党员": PoliticalStatus.PARTY_MEMBER,
        "中国共产党党员": PoliticalStatus.PARTY_MEMBER,
        "正式党员": PoliticalStatus.PARTY_MEMBER,
        "预备党员": PoliticalStatus.PROBATIONARY,
        "中国共产党预备党员": PoliticalStatus.PROBATIONARY,
        "民主党派成员": PoliticalStatus.DEMOCRATIC,
        "无党派人士": PoliticalStatus.MASSES,
        "无": PoliticalStatus.MASSES,
    },
    LeaguePostKind: {
        "团委书记": LeaguePostKind.SECRETARY,
        "团总支书记": LeaguePostKind.SECRETARY,
        "团支部书记": LeaguePostKind.SECRETARY,
        "支部书记": LeaguePostKind.SECRETARY,
        "团委副书记": LeaguePostKind.DEPUTY,
        "团总支副书记": LeaguePostKind.DEPUTY,
        "团支部副书记": LeaguePostKind.DEPUTY,
        "组织": LeaguePostKind.ORGANISING,
        "宣传": LeaguePostKind.PUBLICITY,
        "团委委员": LeaguePostKind.COMMITTEE,
        "支委": LeaguePostKind.COMMITTEE,
        "支部委员": LeaguePostKind.COMMITTEE,
    },
    Education: {
        "博士": Education.DOCTORATE,
        "研究生（博士）": Education.DOCTORATE,
        "硕士": Education.MASTER,
        "研究生": Education.MASTER,
        "研究生（硕士）": Education.MASTER,
        "本科": Education.BACHELOR,
        "大学": Education.BACHELOR,
        "专科": Education.COLLEGE,
        "大专": Education.COLLEGE,
        "中专中技": Education.SECONDARY,
        "中技": Education.SECONDARY,
        "技校": Education.SECONDARY,
        "职高": Education.SECONDARY,
        "初中": Education.JUNIOR,
        "小学": Education.JUNIOR,
    },
    RecommendationStage: {
        "推优": RecommendationStage.RECOMMENDED,
        "已推荐": RecommendationStage.RECOMMENDED,
        "积极分子": RecommendationStage.ACTIVIST,
        "列为入党积极分子": RecommendationStage.ACTIVIST,
        "列为发展对象": RecommendationStage.CANDIDATE,
        "中共预备党员": RecommendationStage.PROBATIONARY,
        "已发展入党": RecommendationStage.PROBATIONARY,
        "中共党员": RecommendationStage.FULL_MEMBER,
        "未通过": RecommendationStage.STOPPED,
    },
    MemberStatus: {
        "在册": MemberStatus.ACTIVE,
        "离团": MemberStatus.LEFT,
        "已离团": MemberStatus.LEFT,
        "超龄": MemberStatus.AGED_OUT,
        "组织关系转出": MemberStatus.TRANSFERRED,
        "退团": MemberStatus.LEFT,
    },
}
