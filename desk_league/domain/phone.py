"""Phone numbers as people write them: with spaces, dashes, brackets, +86 or full-width digits."""

from __future__ import annotations

import re

from desk_league.domain.text import remove_spaces
from desk_league.errors import ValidationError

MOBILE_FIELD = "手机号"
PHONE_FIELD = "联系电话"

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Beijing (010) and the 02x cities have 3-digit area codes, every other city 4 digits.
_LANDLINE = re.compile(r"(?P<area>010|02\d|0[3-9]\d{2})?(?P<local>[1-9]\d{6,7})")
_COUNTRY_CODE = re.compile(r"(\+86|0086)")
_SEPARATORS = str.maketrans("", "", "-－—–()（）.")


def normalize_phone(text: str) -> str:
    """Strip spaces, dashes, brackets and the +86 prefix, leaving the digits to validate."""
    number = remove_spaces(text).translate(_SEPARATORS)
    prefix = _COUNTRY_CODE.match(number)
    if prefix:
        number = number[prefix.end() :]
        # Dialled from abroad a landline loses its leading 0: +86 634 1234567.
        if number and not number.startswith(("0", "1")):
            number = "0" + number
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    return number


def validate_mobile(text: str) -> str:
    """Accept a mainland mobile number and return its 11 digits."""
    number = normalize_phone(text)
    if not number:
        raise ValidationError("手机号不能为空", field=MOBILE_FIELD)
    if _MOBILE.fullmatch(number):
        return number
    if number.isdigit() and len(number) != 11:
        raise ValidationError(f"手机号应为11位，实为{len(number)}位", field=MOBILE_FIELD)
    raise ValidationError(f"不是有效的手机号：{text.strip()}", field=MOBILE_FIELD)


def validate_phone(text: str) -> str:
    """Accept a mobile or a landline; landlines come back as 0634-1234567."""
    number = normalize_phone(text)
    if not number:
        raise ValidationError("联系电话不能为空", field=PHONE_FIELD)
    if _MOBILE.fullmatch(number):
        return number
    landline = _LANDLINE.fullmatch(number)
    if landline:
        area = landline["area"]
        return f"{area}-{landline['local']}" if area else landline["local"]
    raise ValidationError(
        f"不是有效的电话号码：{text.strip()}（手机号为11位，座机如0634-1234567）", field=PHONE_FIELD
    )
