"""Identity documents: the resident ID (身份证) is checked in full, other documents loosely.

The check digit comes from ``stdnum.cn.ric`` so it is never re-derived by hand here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric

from desk_league.domain.text import remove_spaces
from desk_league.errors import ValidationError

RESIDENT_ID = "居民身份证"
ID_TYPES = (RESIDENT_ID, "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "护照", "其他")
ID_FIELD = "身份证号"
NUMBER_FIELD = "证件号码"
EARLIEST_BIRTH_YEAR = 1900
MAX_OTHER_ID_LENGTH = 30

# What Excel shows after it has turned an 18-digit ID into a number: 1.10105E+17.
_EXCEL_NUMBER = re.compile(r"\d(\.\d+)?E\+?\d+")
_OTHER_ID = re.compile(r"[A-Z0-9()\-]+")


@dataclass(frozen=True)
class IdInfo:
    """What a resident ID number says about its holder."""

    number: str
    birth_date: date
    gender: str
    region_code: str


def normalize_id_number(text: str) -> str:
    """Make a typed or pasted number comparable: no spaces, half-width, upper-case X."""
    return remove_spaces(text).upper()


def parse_id_number(text: str, today: date | None = None) -> IdInfo:
    """Validate a resident ID and read birth date, gender and region from it.

    ``today``, when given, also rejects birth dates in the future.
    """
    number = normalize_id_number(text)
    _check_shape(number)
    birth_date = _birth_date(number, today)
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError("校验位错误，请逐位核对身份证号", field=ID_FIELD)
    gender = "男" if int(number[16]) % 2 else "女"
    return IdInfo(number=number, birth_date=birth_date, gender=gender, region_code=number[:6])


def check_id_matches(
    info: IdInfo, birth_date: date | None = None, gender: str | None = None
) -> None:
    """Catch a form whose birth date or gender was typed differently from the ID."""
    if birth_date is not None and birth_date != info.birth_date:
        raise ValidationError(
            f"出生日期与身份证号不符（身份证号显示为{info.birth_date:%Y-%m-%d}）", field="出生日期"
        )
    if gender and gender != info.gender:
        raise ValidationError(f"性别与身份证号不符（身份证号显示为{info.gender}）", field="性别")


def mask_id_number(number: str) -> str:
    """Hide the middle of a number for lists and printouts; short numbers keep only the last 2."""
    number = normalize_id_number(number)
    if len(number) > 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return "*" * max(len(number) - 2, 0) + number[-2:]


def validate_id(id_type: str, number: str) -> str:
    """Check a number against its document type and return it normalized."""
    if id_type not in ID_TYPES:
        raise ValidationError(f"证件类型应为：{'、'.join(ID_TYPES)}", field="证件类型")
    if id_type == RESIDENT_ID:
        return parse_id_number(number).number
    return _validate_other_id(id_type, normalize_id_number(number))


def _check_shape(number: str) -> None:
    if not number:
        raise ValidationError("身份证号不能为空", field=ID_FIELD)
    if _EXCEL_NUMBER.fullmatch(number):
        raise ValidationError("身份证号被Excel当成了数字，请把该列设为文本格式", field=ID_FIELD)
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise ValidationError(
            "这是15位的第一代身份证号，已停用：请填写现在的18位身份证号", field=ID_FIELD
        )
    if len(number) != 18:
        raise ValidationError(f"身份证号应为18位，实为{len(number)}位", field=ID_FIELD)
    body, last = number[:17], number[17]
    if not (body.isascii() and body.isdigit() and (last.isdigit() or last == "X")):
        raise ValidationError("身份证号只能是数字，最后一位可以是X", field=ID_FIELD)


def _birth_date(number: str, today: date | None) -> date:
    """The YYYYMMDD of a number ``_check_shape`` passed (what ``ric.get_birth_date`` reads, without
    its cleaning the number again: a roster has thousands)."""
    try:
        born: date | None = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < EARLIEST_BIRTH_YEAR or (today and born > today):
        raise ValidationError(f"身份证号中的出生日期{number[6:14]}不存在", field=ID_FIELD)
    return born


def _validate_other_id(id_type: str, number: str) -> str:
    if not number:
        raise ValidationError(f"{id_type}号码不能为空", field=NUMBER_FIELD)
    if _EXCEL_NUMBER.fullmatch(number):
        raise ValidationError("证件号码被Excel当成了数字，请把该列设为文本格式", field=NUMBER_FIELD)
    if len(number) > MAX_OTHER_ID_LENGTH:
        raise ValidationError(f"证件号码不应超过{MAX_OTHER_ID_LENGTH}位", field=NUMBER_FIELD)
    if id_type != "其他" and not _OTHER_ID.fullmatch(number):
        raise ValidationError(f"{id_type}号码只能包含字母和数字", field=NUMBER_FIELD)
    return number
