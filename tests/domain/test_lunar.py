from datetime import date

import pytest

from desk_league.domain.lunar import lunar_to_solar, resolve_key_date, solar_to_lunar_text
from desk_league.errors import ValidationError

# Published calendar dates, checked independently of lunar_python.
DOUBLE_NINTH = [
    (2024, date(2024, 10, 11)),
    (2025, date(2025, 10, 29)),
    (2026, date(2026, 10, 18)),
    (2027, date(2027, 10, 8)),
]
SPRING_FESTIVAL = [
    (2024, date(2024, 2, 10)),
    (2025, date(2025, 1, 29)),
    (2026, date(2026, 2, 17)),
    (2027, date(2027, 2, 6)),
]


@pytest.mark.parametrize(("year", "expected"), DOUBLE_NINTH)
def test_double_ninth_visit_to_the_elderly_falls_on_the_right_day(
    year: int, expected: date
) -> None:
    assert lunar_to_solar(year, 9, 9) == expected
    assert resolve_key_date(year, "lunar", 9, 9) == expected
    assert solar_to_lunar_text(expected) == "九月初九"


@pytest.mark.parametrize(("year", "expected"), SPRING_FESTIVAL)
def test_spring_festival_greetings_fall_on_the_right_day(year: int, expected: date) -> None:
    assert lunar_to_solar(year, 1, 1) == expected
    assert resolve_key_date(year, "lunar", 1, 1) == expected
    assert solar_to_lunar_text(expected) == "正月初一"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 1, 28), "腊月廿九"),
        (date(2025, 2, 12), "正月十五"),
        (date(2025, 5, 31), "五月初五"),
        (date(2025, 7, 30), "闰六月初六"),
        (date(2025, 10, 6), "八月十五"),
        (date(2024, 2, 9), "腊月三十"),
    ],
)
def test_calendar_shows_the_lunar_day(day: date, text: str) -> None:
    assert solar_to_lunar_text(day) == text


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2025, 5, 4, date(2025, 5, 4)),
        (2024, 2, 29, date(2024, 2, 29)),
        (2025, 2, 29, date(2025, 2, 28)),
        (2026, 12, 31, date(2026, 12, 31)),
    ],
)
def test_solar_key_date_recurs_yearly(year: int, month: int, day: int, expected: date) -> None:
    assert resolve_key_date(year, "solar", month, day) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2023, date(2024, 2, 9)), (2024, date(2025, 1, 28)), (2025, date(2026, 2, 16))],
)
def test_new_years_eve_on_the_30th_moves_to_the_29th_when_the_month_is_short(
    year: int, expected: date
) -> None:
    assert resolve_key_date(year, "lunar", 12, 30) == expected


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((2025, "solar", 4, 31), "公历没有4月31日"),
        ((2025, "solar", 13, 1), "公历没有13月1日"),
        ((2025, "lunar", 13, 1), "农历月份应在1到12之间，实为13"),
        ((2025, "lunar", 9, 0), "农历日期应在初一到三十之间，实为0"),
        ((2025, "lunar", 9, 31), "农历日期应在初一到三十之间，实为31"),
        ((2025, "gregorian", 5, 4), "历法应为公历或农历"),
    ],
)
def test_impossible_key_date_is_refused(args: tuple, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        resolve_key_date(*args)


def test_lunar_day_30_is_refused_when_that_month_has_29_days() -> None:
    with pytest.raises(ValidationError, match="农历2025年12月只有29天"):
        lunar_to_solar(2025, 12, 30)
