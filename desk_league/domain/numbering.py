"""The office's numbering patterns: volunteer numbers, certificate numbers, 志愿服务证明 numbers.

A pattern is Python format text with two places, ``{year}`` and ``{seq}`` (a running number,
usually padded, ``{seq:03d}``): ``{year}-{seq:03d}`` → 2025-007, ``志证〔{year}〕{seq:04d}号``
→ 志证〔2025〕0012号. Patterns are settings the clerk may type, so they are checked here.
"""

from __future__ import annotations

import functools
import re

from desk_league.errors import ValidationError

_PLACE = re.compile(r"\{(\w*)(?::[^{}]*)?\}")


@functools.lru_cache(maxsize=64)  # a batch numbers thousands of records with one pattern
def _places(pattern: str) -> frozenset[str]:
    return frozenset(_PLACE.findall(pattern))


def format_number(pattern: str, year: int, seq: int, *, field: str) -> str:
    """The ``seq``-th number of ``year``; a broken pattern is refused naming ``field``."""
    names = _places(pattern)
    if names - {"year", "seq"} or "seq" not in names:
        raise ValidationError(
            f"“{pattern}”有误：只能使用 {{year}}（年度）和 {{seq}}（序号），且必须包含 {{seq}}，"
            "如 {year}-{seq:03d}。",
            field=field,
        )
    try:
        return pattern.format(year=year, seq=seq)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(f"“{pattern}”有误：{exc}", field=field) from None


def check_number_pattern(pattern: str, *, field: str) -> str:
    """The pattern, trimmed, once it gives a different number for each sequence."""
    pattern = pattern.strip()
    if not pattern:
        raise ValidationError("不能为空。", field=field)
    if format_number(pattern, 2026, 1, field=field) == format_number(pattern, 2026, 2, field=field):
        raise ValidationError(f"“{pattern}”有误：不同序号得出了相同的编号。", field=field)
    return pattern
