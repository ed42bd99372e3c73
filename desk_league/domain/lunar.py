"""Lunar-calendar key dates (重阳, 春节, …) as solar dates, via ``lunar_python``.

Key dates recur yearly, so a day a given year lacks is moved to the nearest earlier day, the same
rule for 29 February and for a lunar month's 30th.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date

from lunar_python import Lunar as LunarDate
from lunar_python import LunarMonth, Solar
from lunar_python.util import LunarUtil

from desk_league.domain.codes import CalendarKind
from desk_league.errors import ValidationError

_FIELD = "日期"


def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The solar date of lunar ``month``/``day`` in lunar year ``year`` (春节 is 1/1)."""
    _check_lunar_day(year, month, day)
    solar = LunarDate.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def solar_to_lunar_text(d: date) -> str:
    """The lunar month and day as printed on a calendar, e.g. 九月初九, 闰六月初六."""
    lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return f"{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def resolve_key_date(year: int, calendar: str, month: int, day: int) -> date:
    """This year's date of a yearly key date kept as solar or lunar month and day."""
    if calendar == CalendarKind.SOLAR:
        return _solar_key_date(year, month, day)
    if calendar == CalendarKind.LUNAR:
        _check_lunar_day_number(day)
        return lunar_to_solar(year, month, min(day, _lunar_month_length(year, month)))
    raise ValidationError("历法应为公历或农历", field="历法")


def _solar_key_date(year: int, month: int, day: int) -> date:
    if (month, day) == (2, 29) and not isleap(year):
        day = 28
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"公历没有{month}月{day}日", field=_FIELD) from None


def _check_lunar_day(year: int, month: int, day: int) -> None:
    _check_lunar_day_number(day)
    if day > _lunar_month_length(year, month):
        raise ValidationError(f"农历{year}年{month}月只有29天", field=_FIELD)


def _check_lunar_day_number(day: int) -> None:
    if not 1 <= day <= 30:
        raise ValidationError(f"农历日期应在初一到三十之间，实为{day}", field=_FIELD)


def _lunar_month_length(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValidationError(f"农历月份应在1到12之间，实为{month}", field=_FIELD)
    return LunarMonth.fromYm(year, month).getDayCount()


def key_date_rule_text(calendar: str, month: int, day: int) -> str:
    """How the rule reads to the clerk: 公历3月5日, 农历九月初九."""
    if calendar == CalendarKind.LUNAR and 1 <= month <= 12 and 1 <= day <= 30:
        return f"{CalendarKind.LUNAR.label}{LunarUtil.MONTH[month]}月{LunarUtil.DAY[day]}"
    return f"{CalendarKind.SOLAR.label}{month}月{day}日"
