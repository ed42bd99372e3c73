"""League membership ages and branch terms (换届): the dates the office must not miss.

The ages of the 团章 and of 推优: one joins the League from 14 (周岁), leaves it at 28 unless
holding a 团内职务 (团干部 keep 团籍 while in post; a 党员 under 28 keeps it as well), and may be
recommended to the Party (推优) as a 共青团员 aged 18 or over and under 28 on the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from desk_league.domain.codes import MemberStatus, OrgKind, PoliticalStatus
from desk_league.domain.dates import add_months, add_years, age_on
from desk_league.errors import ValidationError

LEAGUE_MIN_AGE = 14
LEAGUE_MAX_AGE = 28
RECOMMEND_MIN_AGE = 18

ReminderKind = Literal["six_months", "three_months", "overdue", "missing"]
REMINDER_MONTHS_BEFORE: tuple[tuple[int, ReminderKind], ...] = (
    (6, "six_months"),
    (3, "three_months"),
)


@dataclass(frozen=True)
class Reminder:
    """One 换届 reminder: when it falls due, what kind it is, and what the clerk reads."""

    date: date
    kind: ReminderKind
    text: str


def age_out_date(birth: date) -> date:
    """The day a member turns 28 and leaves the League (离团)."""
    return add_years(birth, LEAGUE_MAX_AGE)


def age_warning(birth: date, on: date, months_ahead: int = 6) -> str | None:
    """A roster note for members who have reached 28 or will within ``months_ahead``."""
    leaves = age_out_date(birth)
    if leaves <= on:
        return f"已满{LEAGUE_MAX_AGE}周岁"
    if leaves <= add_months(on, months_ahead):
        return f"将于{leaves:%Y-%m-%d}满{LEAGUE_MAX_AGE}周岁"
    return None


# How long a term may run (years, inclusive), by the 团章: 团的基层委员会 three to five years,
# 团总支 and 团支部 two or three; a student branch one year (团支部工作条例). The office may edit
# them (setting ``term_year_ranges``); these are the defaults.
STUDENT_BRANCH = "student_branch"  # the key of a student branch's range
DEFAULT_TERM_YEAR_RANGES: dict[str, tuple[int, int]] = {
    OrgKind.COUNCIL: (3, 5),
    OrgKind.GENERAL: (2, 3),
    OrgKind.BRANCH: (2, 3),
    STUDENT_BRANCH: (1, 1),
}
TERM_YEARS_LIMIT = (1, 10)  # no rule set by an office may leave this


def term_rule_key(kind: str, student: bool = False) -> str:
    """Which range applies: a student branch has its own, every other organisation its kind's."""
    return STUDENT_BRANCH if student and kind == OrgKind.BRANCH else kind


def term_rule_label(key: str) -> str:
    return "学生团支部" if key == STUDENT_BRANCH else OrgKind.label_of(key)


def allowed_term_text(low: int, high: int) -> str:
    return f"{low}年" if low == high else f"{low}至{high}年"


def check_term_years(
    years: int,
    kind: str,
    *,
    student: bool = False,
    ranges: dict[str, tuple[int, int]] | None = None,
    field: str = "任期",
) -> int:
    """A term length allowed for this kind of organisation (the office's ranges, or the 团章's)."""
    key = term_rule_key(kind, student)
    low, high = (ranges or DEFAULT_TERM_YEAR_RANGES).get(key, DEFAULT_TERM_YEAR_RANGES[key])
    if not low <= years <= high:
        raise ValidationError(
            f"{term_rule_label(key)}每届任期应为{allowed_term_text(low, high)}，"
            f"填写的是{years}年。",
            field=field,
        )
    return years


def check_term_year_ranges(ranges: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The office's edited ranges: whole years, low ≤ high, within ``TERM_YEARS_LIMIT``."""
    floor, ceiling = TERM_YEARS_LIMIT
    checked = {}
    for key, (low, high) in ranges.items():
        if key not in DEFAULT_TERM_YEAR_RANGES:
            raise ValidationError(f"未知的团组织类别：{key}", field="任期范围")
        label = term_rule_label(key)
        if not floor <= int(low) <= int(high) <= ceiling:
            raise ValidationError(
                f"{label}的任期范围应在{floor}到{ceiling}年之间，且最短不超过最长。",
                field=f"{label}任期",
            )
        checked[key] = (int(low), int(high))
    return checked


def term_end(term_start: date, years: int) -> date:
    """The day a term of ``years`` years runs out."""
    if years <= 0:
        raise ValidationError("任期年限必须大于0", field="任期年限")
    return add_years(term_start, years)


def term_reminders(term_start: date | None, years: int, today: date) -> list[Reminder]:
    """Reminders that have fallen due by ``today``, oldest first.

    Six and three months before the term ends, then one a month from the end day on until the
    branch records a new term. A branch without a term start gets a single 'missing' reminder.
    """
    if term_start is None:
        return [Reminder(today, "missing", "未填写换届时间")]
    end = term_end(term_start, years)
    due = [
        Reminder(add_months(end, -months), kind, _ahead_text(end, months))
        for months, kind in REMINDER_MONTHS_BEFORE
    ]
    due += _overdue_reminders(end, today)
    return [reminder for reminder in due if reminder.date <= today]


def _overdue_reminders(end: date, today: date) -> list[Reminder]:
    reminders = []
    months_late = 0
    while (when := add_months(end, months_late)) <= today:
        reminders.append(Reminder(when, "overdue", _overdue_text(end, months_late)))
        months_late += 1
    return reminders


def _ahead_text(end: date, months: int) -> str:
    return f"本届任期将于{end:%Y-%m-%d}届满（还有{months}个月），请着手准备换届"


def _overdue_text(end: date, months_late: int) -> str:
    late = f"，已超期{months_late}个月" if months_late else ""
    return f"本届任期已于{end:%Y-%m-%d}届满{late}，请尽快换届"


def age_warning_cutoffs(on: date, months_ahead: int = 6) -> tuple[date, date]:
    """The birth dates at or before which ``age_warning`` reads 已满 / 将满 28, for lists that
    filter in SQL. (Only a 29 February birthday can land a day apart from ``age_warning``.)"""
    return add_years(on, -LEAGUE_MAX_AGE), add_years(add_months(on, months_ahead), -LEAGUE_MAX_AGE)


def next_term_reminder(term_start: date | None, years: int, today: date) -> date | None:
    """The day the next 换届 reminder falls due after ``today`` (None when no term is recorded)."""
    if term_start is None:
        return None
    end = term_end(term_start, years)
    for months, _kind in REMINDER_MONTHS_BEFORE:
        if (when := add_months(end, -months)) > today:
            return when
    months_late = 0
    while (when := add_months(end, months_late)) <= today:
        months_late += 1
    return when


# --- joining, leaving at 28, 推优 --------------------------------------------------------------


def check_join_age(birth: date | None, joined_on: date | None) -> None:
    """入团: at 14 or older, never before birth. Missing dates are not checked."""
    if birth is None or joined_on is None:
        return
    if joined_on < birth:
        raise ValidationError("入团日期早于出生日期，请核对。", field="入团日期")
    age = age_on(birth, joined_on)
    if age < LEAGUE_MIN_AGE:
        raise ValidationError(
            f"入团时（{joined_on:%Y-%m-%d}）只有{age}周岁；入团须年满{LEAGUE_MIN_AGE}周岁，请核对入团日期"
            "或出生日期。",
            field="入团日期",
        )


@dataclass(frozen=True)
class AgeOut:
    """A member reaching 28 in a year (or already past it): must leave, or keeps 团籍."""

    turns_28_on: date
    keeps_membership: bool  # holds a 团内职务: the 团章 lets them stay while in post

    @property
    def note(self) -> str:
        if self.keeps_membership:
            return "任团内职务，保留团籍"
        return "应办理超龄离团"


def age_out_in_year(birth: date | None, year: int, holds_post: bool) -> AgeOut | None:
    """Whether a member reaches 28 by the end of ``year`` (this year's list: those turning 28
    and those already over)."""
    if birth is None:
        return None
    leaves = age_out_date(birth)
    if leaves.year > year:
        return None
    return AgeOut(leaves, holds_post)


def leaving_refusal(birth: date | None, on: date, holds_post: bool) -> str | None:
    """Why a member may not be recorded as 超龄离团 on ``on`` (None: they may)."""
    if holds_post:
        return "现任团内职务，按团章保留团籍"
    if birth is None:
        return "未填写出生日期，无法确认已满28周岁"
    if age_out_date(birth) > on:
        return f"到{on:%Y-%m-%d}还未满{LEAGUE_MAX_AGE}周岁（{age_out_date(birth):%Y-%m-%d}满）"
    return None


def recommendation_refusal(
    political_status: str, member_status: str | None, birth: date | None, on: date
) -> str | None:
    """Why a person may not be 推优 on ``on`` (None: they may). Only a 共青团员 on the register,
    aged 18 or over and under 28 on the day."""
    if member_status is None:
        return "不在团员名册中，请先登记为团员"
    if member_status != MemberStatus.ACTIVE:
        return f"团员状态为“{MemberStatus.label_of(member_status)}”，已不在团"
    if political_status != PoliticalStatus.LEAGUE_MEMBER:
        shown = PoliticalStatus.label_of(political_status) or "未填写"
        return f"政治面貌为“{shown}”，推优对象须为共青团员"
    if birth is None:
        return "未填写出生日期，无法核对年龄（须年满18周岁、未满28周岁）"
    age = age_on(birth, on)
    if age < RECOMMEND_MIN_AGE:
        return f"{on:%Y-%m-%d}时{age}周岁，未满{RECOMMEND_MIN_AGE}周岁"
    if age >= LEAGUE_MAX_AGE:
        return f"{on:%Y-%m-%d}时{age}周岁，已满{LEAGUE_MAX_AGE}周岁"
    return None


# Age bands of the member register's filter: (key, label, lowest age, first age beyond).
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("under_18", "未满18周岁", 0, 18),
    ("18_22", "18～22周岁", 18, 23),
    ("23_25", "23～25周岁", 23, 26),
    ("26_27", "26～27周岁", 26, 28),
    ("28_up", "28周岁及以上", 28, None),
)


def birth_range(band: str, today: date) -> tuple[date | None, date]:
    """The birth dates of an age band on ``today``: (born after, born on or before)."""
    for key, _label, low, high in AGE_BANDS:
        if key == band:
            after = add_years(today, -high) if high is not None else None
            return after, add_years(today, -low)
    raise ValueError(f"unknown age band {band!r}")
