"""Volunteer star ratings (星级志愿者) from accumulated service hours.

The thresholds are office settings, so every function takes them as an argument.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from desk_league.domain.text import to_half_width
from desk_league.domain.volunteering import DAILY_HOURS_CAP
from desk_league.errors import ValidationError

Hours = int | float | Decimal

DEFAULT_STAR_THRESHOLDS: tuple[float, ...] = (100, 300, 600, 1000, 1500)
STAR_COUNT = 5
MAX_HOURS_PER_RECORD = DAILY_HOURS_CAP  # one record cannot hold more than a day
HOURS_FIELD = "服务时长"
THRESHOLDS_FIELD = "星级门槛"
_STAR_NAMES = ("一", "二", "三", "四", "五")


def star_level(hours: Hours, thresholds: Sequence[float] = DEFAULT_STAR_THRESHOLDS) -> int:
    """How many stars the hours have earned: 0 below the first threshold, 5 at the top."""
    return bisect_right(thresholds, hours)


def star_label(level: int) -> str:
    """The printed name of a level, e.g. 三星级; empty for no star."""
    if not 0 <= level <= STAR_COUNT:
        raise ValueError(f"star level out of range: {level}")
    return f"{_STAR_NAMES[level - 1]}星级" if level else ""


def validate_thresholds(values: Sequence[object]) -> tuple[float, ...]:
    """Check the office's five thresholds before they are saved: positive and rising."""
    if len(values) != STAR_COUNT:
        raise ValidationError(
            f"星级门槛应为{STAR_COUNT}个数，实为{len(values)}个", field=THRESHOLDS_FIELD
        )
    numbers = tuple(_to_number(value, THRESHOLDS_FIELD, "星级门槛") for value in values)
    previous = 0.0
    for level, number in enumerate(numbers, start=1):
        if number <= previous:
            raise ValidationError(
                _threshold_problem(level, number, previous), field=THRESHOLDS_FIELD
            )
        previous = number
    return numbers


def validate_hours(hours: object) -> float:
    """Check one service record's hours: positive, in half hours, at most a day."""
    number = _to_number(hours, HOURS_FIELD, "服务时长")
    if number <= 0:
        raise ValidationError("服务时长必须大于0", field=HOURS_FIELD)
    if number > MAX_HOURS_PER_RECORD:
        raise ValidationError(
            f"单次服务时长不能超过{MAX_HOURS_PER_RECORD:g}小时", field=HOURS_FIELD
        )
    if (number * 2) % 1:
        raise ValidationError("服务时长应以0.5小时为单位，如1.5、2", field=HOURS_FIELD)
    return float(number)


def _threshold_problem(level: int, number: float, previous: float) -> str:
    name = f"{_STAR_NAMES[level - 1]}星"
    if level == 1:
        return f"{name}门槛必须大于0"
    return f"{name}门槛（{number:g}小时）必须大于{_STAR_NAMES[level - 2]}星门槛（{previous:g}小时）"


def _to_number(value: object, field: str, what: str) -> float:
    """Read a number from a form, a spreadsheet cell or the settings table."""
    text = "" if value is None else to_half_width(str(value)).strip()
    if not text:
        raise ValidationError(f"{what}不能为空", field=field)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite():
        raise ValidationError(f"{what}必须是数字：{text}", field=field)
    return float(number)
