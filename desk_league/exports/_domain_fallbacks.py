"""Stand-ins for ``domain.dates.chinese_date`` and ``domain.id_number.mask_id_number``.

The domain modules are written by another engineer at the same time; exports import them when
present and fall back to these otherwise. Delete this file once both domain modules exist.
"""

from __future__ import annotations

from datetime import date

_DIGITS = "〇一二三四五六七八九"


def chinese_date(d: date) -> str:
    """``date(2026, 5, 4)`` → ``"二〇二六年五月四日"``, the form printed on certificates."""
    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_small_number(d.month)}月{_small_number(d.day)}日"


def _small_number(n: int) -> str:
    """1‥31 in Chinese numerals: 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def mask_id_number(number: str) -> str:
    """Keep the region code and the last four: ``110105********1234``."""
    number = number.strip()
    if len(number) <= 10:
        return number  # not a resident ID; nothing meaningful to hide
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
