"""League membership age and branch terms (换届): the dates the office must not miss."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

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
