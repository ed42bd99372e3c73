"""The one way dates are read and written, so forms, imports and certificates agree."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, timedelta

from desk_league.domain.text import to_half_width
from desk_league.errors import ValidationError

# Excel's serial 1 is 1900-01-01 but it also counts a 1900-02-29 that never was (serial 60), so
# from serial 61 on, the day Excel calls 0 is effectively 1899-12-30. Serials before 1920 are
# refused below, so that is the only epoch needed.
_EXCEL_EPOCH = date(1899, 12, 30)
# Serials outside 1920..2099 are far more likely a stray number (a year, a count) than a date.
EXCEL_SERIAL_MIN = (date(1920, 1, 1) - _EXCEL_EPOCH).days
EXCEL_SERIAL_MAX = (date(2099, 12, 31) - _EXCEL_EPOCH).days

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_SERIAL = re.compile(r"\d+(\.\d+)?")
# 出生年月 / 入团时间 as registers write them, to the month: 1999.02, 1999-2, 1999年2月, 199902
_YEAR_MONTH = re.compile(r"(?P<y>\d{4})\s*(?:[-./]|年)?\s*(?P<m>\d{1,2})\s*月?")
# 3月5日, 3.5, 03-05: a day whose year the clerk left to the sheet's title
_MONTH_DAY = re.compile(r"\d{1,2}\s*(?:月|[-./])\s*\d{1,2}\s*[日号]?")
_CHINESE_DIGITS = "〇一二三四五六七八九"


def parse_date(value: object, *, field: str | None = None) -> date:
    """Read a date from whatever a clerk or a spreadsheet hands over."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_excel_serial(value, shown=value, field=field)
    if isinstance(value, str):
        return _parse_text(value, field)
    if value is None:
        raise ValidationError("日期不能为空", field=field)
    raise ValidationError(f"无法识别的日期：{value}", field=field)


def parse_year_month(value: object) -> date | None:
    """The first of the month a year-and-month text names (1999.02, 1999年2月, 199902), or None
    when ``value`` is not one (a full date, a number, anything else)."""
    if isinstance(value, float) and not value.is_integer():  # 1999.02 typed into Excel
        value = f"{value:.2f}"
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = to_half_width(str(value)).strip()
    found = _YEAR_MONTH.fullmatch(text)
    if found is None:
        return None
    year, month = int(found["y"]), int(found["m"])
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def chinese_date(d: date) -> str:
    """Write a date the way official documents do: 二〇二六年五月四日."""
    year = "".join(_CHINESE_DIGITS[int(digit)] for digit in str(d.year))
    return f"{year}年{chinese_number(d.month)}月{chinese_number(d.day)}日"


def add_years(d: date, years: int) -> date:
    """Same day some years on; a 29 February lands on the 28th in common years."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """Same day some months on, moved back to the month's last day when it is shorter."""
    year, month_index = divmod(d.year * 12 + d.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(d.day, last_day))


def age_on(birth: date, on: date) -> int:
    """Completed years (周岁) on a day; consistent with ``add_years`` for 29 February birthdays."""
    age = on.year - birth.year
    return age - 1 if add_years(birth, age) > on else age


def _parse_text(value: str, field: str | None) -> date:
    text = to_half_width(value).strip()
    if not text:
        raise ValidationError("日期不能为空", field=field)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), value, field)
    hint = ""
    if parse_year_month(text) is not None:  # a monthly sheet's 2026年3月: which day is not said
        hint = "（只写到了月份，请写到日，如 2026-03-05）"
    elif _MONTH_DAY.fullmatch(text):
        hint = "（缺少年份，请写成如 2026-03-05）"
    elif _SERIAL.fullmatch(text):
        return _from_excel_serial(float(text), shown=value, field=field)
    raise ValidationError(f"无法识别的日期：{value.strip()}{hint}", field=field)


def _make_date(year: int, month: int, day: int, shown: str, field: str | None) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"无法识别的日期：{shown.strip()}（该日期不存在）", field=field
        ) from None


def _from_excel_serial(serial: float, *, shown: object, field: str | None) -> date:
    if not math.isfinite(serial) or not EXCEL_SERIAL_MIN <= serial <= EXCEL_SERIAL_MAX:
        raise ValidationError(f"无法识别的日期：{str(shown).strip()}", field=field)
    return _EXCEL_EPOCH + timedelta(days=int(serial))  # a fraction is the time of day


def chinese_number(n: int) -> str:
    """1..99 as written in dates and list headings: 十, 十二, 二十, 二十一, 三十."""
    tens, ones = divmod(n, 10)
    tens_text = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
    return tens_text + (_CHINESE_DIGITS[ones] if ones else "")
