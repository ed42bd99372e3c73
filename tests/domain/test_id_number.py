from datetime import date

import pytest

from desk_league.domain.id_number import (
    IdInfo,
    check_id_matches,
    mask_id_number,
    normalize_id_number,
    parse_id_number,
    validate_id,
)
from desk_league.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("110105\u300019491231002ｘ", "11010519491231002X"),
        ("\ufeff120103198806018241\u200b", "120103198806018241"),
    ],
)
def test_pasted_id_number_is_cleaned_up(typed: str, expected: str) -> None:
    assert normalize_id_number(typed) == expected


@pytest.mark.parametrize(
    ("number", "birth_date", "gender", "region"),
    [
        ("11010519491231002X", date(1949, 12, 31), "女", "110105"),
        ("11010519491231002x", date(1949, 12, 31), "女", "110105"),
        ("120103198806018241", date(1988, 6, 1), "女", "120103"),
        ("360426199101010071", date(1991, 1, 1), "男", "360426"),
    ],
)
def test_clerk_reads_birth_date_and_gender_from_id(
    number: str, birth_date: date, gender: str, region: str
) -> None:
    info = parse_id_number(number)
    assert info == IdInfo(normalize_id_number(number), birth_date, gender, region)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("360426199101010072", "校验位错误"),
        ("11010519491231002", "应为18位，实为17位"),
        ("1101051949123100211", "应为18位，实为19位"),
        ("110105491231002", "15位的第一代身份证号，已停用"),
        ("11010519491231O02X", "只能是数字"),
        ("X10105194912310021", "只能是数字"),
        ("1.10105E+17", "身份证号被Excel当成了数字，请把该列设为文本格式"),
        ("1.10105194912310E+17", "被Excel当成了数字"),
        ("1.20103e17", "被Excel当成了数字"),
        ("110105194902300021", "出生日期19490230不存在"),
        ("110105194913310021", "出生日期19491331不存在"),
        ("110105189912310021", "出生日期18991231不存在"),
        ("", "不能为空"),
        ("   ", "不能为空"),
    ],
)
def test_bad_id_number_is_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        parse_id_number(typed)
    assert caught.value.field == "身份证号"


def test_id_with_birth_date_in_the_future_is_refused_when_today_is_known() -> None:
    with pytest.raises(ValidationError, match="出生日期20300101不存在"):
        parse_id_number("110105203001010011", today=date(2026, 5, 4))


@pytest.mark.parametrize(
    ("birth_date", "gender"),
    [(None, None), (date(1949, 12, 31), None), (None, "女"), (date(1949, 12, 31), "女")],
)
def test_form_agreeing_with_id_passes(birth_date: date | None, gender: str | None) -> None:
    check_id_matches(parse_id_number("11010519491231002X"), birth_date=birth_date, gender=gender)


@pytest.mark.parametrize(
    ("birth_date", "gender", "field", "reason"),
    [
        (date(1949, 12, 30), None, "出生日期", "身份证号显示为1949-12-31"),
        (None, "男", "性别", "身份证号显示为女"),
    ],
)
def test_form_disagreeing_with_id_is_caught(
    birth_date: date | None, gender: str | None, field: str, reason: str
) -> None:
    info = parse_id_number("11010519491231002X")
    with pytest.raises(ValidationError, match=reason) as caught:
        check_id_matches(info, birth_date=birth_date, gender=gender)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("110105194912310021", "110105********0021"),
        ("11010519491231002X", "110105********002X"),
        ("E12345678", "*******78"),
        ("", ""),
    ],
)
def test_printed_lists_hide_the_middle_of_id_numbers(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("id_type", "number", "expected"),
    [
        ("居民身份证", " 11010519491231002x ", "11010519491231002X"),
        ("港澳居民来往内地通行证", "h12345678", "H12345678"),
        ("台湾居民来往大陆通行证", "12345678", "12345678"),
        ("护照", "E 1234 5678", "E12345678"),
        ("其他", "军官证 第123号", "军官证第123号"),
    ],
)
def test_each_document_type_is_checked_its_own_way(
    id_type: str, number: str, expected: str
) -> None:
    assert validate_id(id_type, number) == expected


@pytest.mark.parametrize(
    ("id_type", "number", "reason"),
    [
        ("居民身份证", "360426199101010072", "校验位错误"),
        ("护照", "", "护照号码不能为空"),
        ("护照", "E1234#5678", "只能包含字母和数字"),
        ("其他", "1" * 31, "不应超过30位"),
        ("其他", "1.10105E+17", "被Excel当成了数字"),
        ("驾驶证", "123", "证件类型应为"),
    ],
)
def test_bad_document_is_refused(id_type: str, number: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        validate_id(id_type, number)
