from datetime import date, datetime

import pytest

from desk_league.domain.dates import add_months, add_years, age_on, chinese_date, parse_date
from desk_league.errors import ValidationError

MAY_FOURTH = date(2025, 5, 4)


@pytest.mark.parametrize(
    "value",
    [
        date(2025, 5, 4),
        datetime(2025, 5, 4, 14, 30),
        "2025-05-04",
        "2025-5-4",
        "2025.5.4",
        "2025.05.04",
        "2025/5/4",
        "2025年5月4日",
        "2025年05月04日",
        "2025 年 5 月 4 日",
        "2025年5月4号",
        "2025年5月4",
        "20250504",
        "２０２５年５月４日",
        "２０２５－０５－０４",
        "  2025-05-04\t",
        "\u30002025/5/4\u3000",
        "2025-05-04 00:00:00",
        "2025-05-04T08:30",
        45781,
        45781.0,
        45781.75,
        "45781",
        " 45781.5 ",
        "４５７８１",
    ],
)
def test_may_fourth_is_read_however_it_was_typed(value: object) -> None:
    assert parse_date(value) == MAY_FOURTH


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (25569, date(1970, 1, 1)),
        (36526, date(2000, 1, 1)),
        (36585, date(2000, 2, 29)),
        (43831, date(2020, 1, 1)),
        (45658, date(2025, 1, 1)),
        (45781, date(2025, 5, 4)),
    ],
)
def test_excel_serial_numbers_become_the_dates_excel_showed(serial: int, expected: date) -> None:
    assert parse_date(serial) == expected


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2026年3月", "只写到了月份"),
        ("2026.03", "只写到了月份"),
        ("202603", "只写到了月份"),
        ("3月5日", "缺少年份"),
        ("3.5", "缺少年份"),
        ("03-05", "缺少年份"),
    ],
)
def test_a_date_without_its_day_or_year_says_what_is_missing(value: str, hint: str) -> None:
    with pytest.raises(ValidationError, match=f"无法识别的日期：{value}（{hint}"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2025-02-30", "无法识别的日期：2025-02-30（该日期不存在）"),
        ("2025年13月1日", "该日期不存在"),
        ("2025-5.4", "无法识别的日期：2025-5.4"),
        ("5/4/2025", "无法识别的日期：5/4/2025"),
        ("五月四日", "无法识别的日期：五月四日"),
        ("2025", "无法识别的日期：2025"),
        ("2025-05", "无法识别的日期：2025-05"),
        (2025, "无法识别的日期：2025"),
        (-1, "无法识别的日期"),
        (10**9, "无法识别的日期"),
        (float("nan"), "无法识别的日期"),
        (True, "无法识别的日期"),
        ([2025, 5, 4], "无法识别的日期"),
        ("", "日期不能为空"),
        ("   ", "日期不能为空"),
        (None, "日期不能为空"),
    ],
)
def test_unreadable_date_is_refused_with_the_text_shown(value: object, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        parse_date(value)


def test_date_error_names_the_field_it_came_from() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date("明天", field="活动日期")
    assert caught.value.field == "活动日期"
    assert str(caught.value) == "“活动日期”：无法识别的日期：明天"


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2026, 5, 4), "二〇二六年五月四日"),
        (date(2026, 10, 1), "二〇二六年十月一日"),
        (date(2026, 10, 10), "二〇二六年十月十日"),
        (date(2026, 11, 11), "二〇二六年十一月十一日"),
        (date(2026, 12, 21), "二〇二六年十二月二十一日"),
        (date(2026, 6, 20), "二〇二六年六月二十日"),
        (date(2026, 9, 30), "二〇二六年九月三十日"),
        (date(2026, 1, 31), "二〇二六年一月三十一日"),
        (date(2000, 1, 19), "二〇〇〇年一月十九日"),
        (date(2010, 2, 9), "二〇一〇年二月九日"),
    ],
)
def test_certificate_dates_are_written_in_chinese(day: date, written: str) -> None:
    assert chinese_date(day) == written


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2021, 5, 4), 5, date(2026, 5, 4)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2026, 5, 4), -3, date(2023, 5, 4)),
        (date(2025, 12, 31), 0, date(2025, 12, 31)),
    ],
)
def test_adding_years_keeps_the_day_or_falls_back_from_feb_29(
    start: date, years: int, expected: date
) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 5, 4), 6, date(2025, 11, 4)),
        (date(2025, 11, 4), 3, date(2026, 2, 4)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2026, 5, 4), -6, date(2025, 11, 4)),
        (date(2025, 12, 15), -12, date(2024, 12, 15)),
        (date(2025, 8, 31), 13, date(2026, 9, 30)),
    ],
)
def test_adding_months_falls_back_to_the_last_day_of_short_months(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1998, 5, 4), date(2026, 5, 3), 27),
        (date(1998, 5, 4), date(2026, 5, 4), 28),
        (date(1998, 5, 4), date(2026, 12, 31), 28),
        (date(2000, 2, 29), date(2027, 2, 27), 26),
        (date(2000, 2, 29), date(2027, 2, 28), 27),
        (date(2000, 2, 29), date(2028, 2, 28), 27),
        (date(2000, 2, 29), date(2028, 2, 29), 28),
        (date(2012, 12, 31), date(2026, 12, 31), 14),
        (date(2026, 5, 4), date(2026, 5, 4), 0),
    ],
)
def test_age_counts_completed_years(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age
