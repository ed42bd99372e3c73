"""The office's numbering patterns: what they give, and which ones are refused."""

from __future__ import annotations

import pytest

from desk_league.domain.numbering import check_number_pattern, format_number
from desk_league.errors import ValidationError


@pytest.mark.parametrize(
    ("pattern", "seq", "number"),
    [
        ("{year}-{seq:03d}", 7, "2025-007"),
        ("卫团荣〔{year}〕{seq}号", 12, "卫团荣〔2025〕12号"),
        ("志证〔{year}〕{seq:04d}号", 3, "志证〔2025〕0003号"),
        ("WJ{year}{seq:05d}", 42, "WJ202500042"),
        ("No.{seq}", 5, "No.5"),  # without the year the numbers run on across years
    ],
)
def test_a_number_follows_the_office_pattern(pattern, seq, number):
    assert format_number(pattern, 2025, seq, field="编号格式") == number


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("{year}-{name}", "只能使用"),  # an unknown place
        ("{year}-001", "必须包含"),  # every number would be the same
        ("{year}-{seq:q}", "有误"),  # a format Python does not know
        ("{year}-{}", "只能使用"),  # an empty place
        ("{year-{seq}", "有误"),  # unbalanced braces
        ("   ", "不能为空"),
    ],
)
def test_a_broken_pattern_is_refused_naming_its_field(pattern, why):
    with pytest.raises(ValidationError, match=why) as refused:
        check_number_pattern(pattern, field="证书编号格式")
    assert refused.value.field == "证书编号格式"
    assert "证书编号格式" in str(refused.value)


def test_a_good_pattern_comes_back_trimmed():
    assert check_number_pattern("  {year}-{seq:03d} ", field="证书编号格式") == "{year}-{seq:03d}"
