"""The fixed sets of values records take (statuses, kinds), stored as codes; the Chinese labels.

Code compares codes (``PlanItemStatus.DONE``), the database stores them (``"done"``), and the
clerk reads the label (已完成) on screen, in registers and in PDFs. Every label lives in
``LABELS`` at the end of this module, one mapping per set, so a translation has one place to go.

Typed input (a CLI option, a spreadsheet column, an old form value) may give either the code or
the label: ``parse`` takes both.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

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
        """The member named by its code or its label (surrounding spaces ignored)."""
        value = str(text).strip() if text is not None else ""
        for member in cls:
            if value in (member.value, member.label):
                return member
        allowed = "、".join(member.label for member in cls)
        raise ValidationError(f"应为{allowed}之一（填写的是“{value}”）。", field=field)


# --- organisations and people ---------------------------------------------------------------


class OrgKind(Code):
    COUNCIL = "council"
    GENERAL = "general"
    BRANCH = "branch"


class TermStatus(Code):
    """Where an organisation stands with its 换届 (worked out from its term, never stored)."""

    OK = "ok"
    SIX_MONTHS = "six_months"
    THREE_MONTHS = "three_months"
    OVERDUE = "overdue"
    MISSING = "missing"


class RecommendationOutcome(Code):
    """推优: how far a recommended member has come."""

    RECOMMENDED = "recommended"
    ACTIVIST = "activist"
    CANDIDATE = "candidate"
    ADMITTED = "admitted"
    REJECTED = "rejected"


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
    RecommendationOutcome: {
        RecommendationOutcome.RECOMMENDED: "已推荐",
        RecommendationOutcome.ACTIVIST: "列为入党积极分子",
        RecommendationOutcome.CANDIDATE: "列为发展对象",
        RecommendationOutcome.ADMITTED: "已发展入党",
        RecommendationOutcome.REJECTED: "未通过",
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
