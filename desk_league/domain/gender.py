"""性别 as the registers write it (男 or 女), and the words other systems export for it."""

from __future__ import annotations

GENDERS = ("男", "女")
GENDER_PROBLEM = "性别应为“男”或“女”"
# What a cell may say, and the 性别 it means: 男性/女性 as personnel and volunteer systems export it.
GENDER_WORDS = {"男": "男", "女": "女", "男性": "男", "女性": "女"}


def read_gender(text: str) -> str | None:
    """The 性别 a cell means (男 or 女), or None when it is neither."""
    return GENDER_WORDS.get(text)
