from decimal import Decimal

import pytest

from desk_league.domain.stars import (
    DEFAULT_STAR_THRESHOLDS,
    star_label,
    star_level,
    validate_hours,
    validate_thresholds,
)
from desk_league.errors import ValidationError


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        (0, 0),
        (99.5, 0),
        (100, 1),
        (299.5, 1),
        (300, 2),
        (600, 3),
        (999.5, 3),
        (1000, 4),
        (1500, 5),
        (20000, 5),
        (Decimal("600.0"), 3),
    ],
)
def test_volunteer_earns_stars_at_default_thresholds(hours: float, level: int) -> None:
    assert star_level(hours) == level


@pytest.mark.parametrize(
    ("hours", "level"), [(49, 0), (50, 1), (149.5, 2), (150, 3), (499.5, 4), (500, 5)]
)
def test_office_may_set_its_own_thresholds(hours: float, level: int) -> None:
    assert star_level(hours, (50, 100, 150, 200, 500)) == level


@pytest.mark.parametrize(
    ("level", "label"),
    [(0, ""), (1, "一星级"), (2, "二星级"), (3, "三星级"), (4, "四星级"), (5, "五星级")],
)
def test_certificate_prints_the_star_name(level: int, label: str) -> None:
    assert star_label(level) == label


@pytest.mark.parametrize("level", [-1, 6])
def test_star_label_rejects_levels_that_cannot_exist(level: int) -> None:
    with pytest.raises(ValueError):
        star_label(level)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (DEFAULT_STAR_THRESHOLDS, (100, 300, 600, 1000, 1500)),
        (["50", "100.5", 200, Decimal("300"), 400.0], (50, 100.5, 200, 300, 400)),
        (("５０", "100", "200", "300", "400"), (50, 100, 200, 300, 400)),
    ],
)
def test_office_saves_rising_thresholds(values: list[object], expected: tuple[float, ...]) -> None:
    assert validate_thresholds(values) == expected


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ((100, 300, 600, 1000), "应为5个数，实为4个"),
        ((100, 300, 600, 1000, 1500, 2000), "应为5个数，实为6个"),
        ((0, 300, 600, 1000, 1500), "一星门槛必须大于0"),
        ((-5, 300, 600, 1000, 1500), "一星门槛必须大于0"),
        ((100, 300, 300, 1000, 1500), r"三星门槛（300小时）必须大于二星门槛（300小时）"),
        ((100, 300, 600, 1500, 1000), r"五星门槛（1000小时）必须大于四星门槛（1500小时）"),
        ((100, "三百", 600, 1000, 1500), "星级门槛必须是数字：三百"),
        ((100, None, 600, 1000, 1500), "星级门槛不能为空"),
    ],
)
def test_bad_thresholds_are_refused_with_a_reason(values: tuple[object, ...], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        validate_thresholds(values)
    assert caught.value.field == "星级门槛"


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (0.5, 0.5),
        (1, 1.0),
        (2.5, 2.5),
        ("3.5", 3.5),
        ("４", 4.0),
        (Decimal("8.0"), 8.0),
        (24, 24.0),
    ],
)
def test_service_hours_in_half_hour_steps_are_accepted(hours: object, expected: float) -> None:
    assert validate_hours(hours) == expected


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        (0, "必须大于0"),
        (-2, "必须大于0"),
        (0.3, "应以0.5小时为单位"),
        ("1.25", "应以0.5小时为单位"),
        (24.5, "不能超过24小时"),
        (100, "不能超过24小时"),
        ("两小时", "必须是数字：两小时"),
        (float("inf"), "必须是数字"),
        (True, "必须是数字"),
        ("", "不能为空"),
        (None, "不能为空"),
    ],
)
def test_bad_service_hours_are_refused_with_a_reason(hours: object, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        validate_hours(hours)
    assert caught.value.field == "服务时长"
