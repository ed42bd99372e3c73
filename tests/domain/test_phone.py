import pytest

from desk_league.domain.phone import normalize_phone, validate_mobile, validate_phone
from desk_league.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８　１２３４　５６７８", "13812345678"),
        ("(0634)1234567", "06341234567"),
        ("+86 634 1234567", "06341234567"),
    ],
)
def test_phone_is_stripped_of_what_people_type_around_it(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "199 0000 1111",
        "+86 159-3456-7890",
        "１５９３４５６７８９０",
        " 17712345678 ",
    ],
)
def test_volunteer_mobile_is_accepted_in_any_common_spelling(typed: str) -> None:
    assert validate_mobile(typed) == normalize_phone(typed)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "手机号不能为空"),
        ("1381234567", "应为11位，实为10位"),
        ("138123456789", "应为11位，实为12位"),
        ("12812345678", "不是有效的手机号"),
        ("0634-1234567", "不是有效的手机号"),
        ("138l2345678", "不是有效的手机号"),
    ],
)
def test_bad_mobile_is_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        validate_mobile(typed)
    assert caught.value.field == "手机号"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0634-1234567", "0634-1234567"),
        ("0634 12345678", "0634-12345678"),
        ("(0634)1234567", "0634-1234567"),
        ("（0634）1234567", "0634-1234567"),
        ("06341234567", "0634-1234567"),
        ("010-12345678", "010-12345678"),
        ("021 87654321", "021-87654321"),
        ("+86 634 1234567", "0634-1234567"),
        ("8123456", "8123456"),
    ],
)
def test_office_phone_may_be_mobile_or_landline(typed: str, expected: str) -> None:
    assert validate_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "联系电话不能为空"),
        ("12345", "不是有效的电话号码"),
        ("0634-0123456", "不是有效的电话号码"),
        ("0634-1234567转801", "座机如0634-1234567"),
    ],
)
def test_bad_phone_is_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        validate_phone(typed)
    assert caught.value.field == "联系电话"
