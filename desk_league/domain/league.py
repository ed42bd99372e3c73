"""League membership age and branch terms (换届): the dates the office must not miss."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from desk_league.domain.codes import OrgKind
from desk_league.domain.dates import add_months, add_years
from desk_league.errors import ValidationError

LEAGUE_MIN_AGE = 14
LEAGUE_MAX_AGE = 28

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
