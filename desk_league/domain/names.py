"""The order of Chinese names on official lists: 姓氏笔画 or 拼音.

姓氏笔画: by the stroke count of the surname, then of the next characters; characters of equal
count by pinyin, and the same character always together. Stroke counts are Unihan's
kTotalStrokes (resources/text/total_strokes.txt, extracted by packaging/make_fonts.py); pinyin
is pypinyin's most common reading of each character (names are read character by character:
a phrase dictionary would read 张乐 as a word).

Keys are plain ASCII of fixed width per character ([0-9a-z] only), so a database orders them
the same under any collation (SQLite's BINARY, PostgreSQL's C or en_US): a list of 100,000
people sorts by an indexed column, not in Python.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from desk_league.resources import resource_path

T = TypeVar("T")

STROKES, PINYIN = "strokes", "pinyin"
ORDER_LABELS = {STROKES: "姓氏笔画", PINYIN: "拼音"}
KEY_CHARACTERS = 8  # characters of a name that take part in its key
_PINYIN_WIDTH = 6  # zhuang, shuang: the longest syllables
_KEY_WIDTH = 2 + _PINYIN_WIDTH + 1 + 5  # strokes, pinyin, tone, code point
KEY_LENGTH = KEY_CHARACTERS * _KEY_WIDTH


@functools.cache
def _stroke_table() -> dict[str, int]:
    table: dict[str, int] = {}
    path = resource_path("text", "total_strokes.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            count, chars = line.split("\t", 1)
            table.update(dict.fromkeys(chars, int(count)))
    return table


def stroke_count(char: str) -> int | None:
    """The total strokes of a Han character (王 4, 刘 6, 张 7), None for anything else."""
    return _stroke_table().get(char)


@functools.lru_cache(maxsize=20000)
def _reading(char: str) -> tuple[str, int]:
    """(syllable without tone, tone 0–4) of a Han character; ("", 0) when it has none."""
    # loaded on first use: the window starts without it. Names are read character by
    # character, so pypinyin's phrase dictionary (0.3-0.6 s to load, most of its import) is
    # never consulted: its documented switch leaves it out. Every character reads the same
    # with and without it (all 41,923 of pypinyin 0.55's single-character dictionary).
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")  # no custom dictionary: no copy
    from pypinyin import Style, pinyin

    reading = pinyin(char, style=Style.TONE3, heteronym=False, errors=lambda _: [""])  # type: ignore[arg-type,return-value]  # pypinyin accepts a list
    text = reading[0][0] if reading and reading[0] else ""
    if not text or not text.isascii():
        return "", 0
    tone = int(text[-1]) if text[-1].isdigit() else 0
    return text.rstrip("01234")[:_PINYIN_WIDTH], tone  # lü is lv: after lu, as in 汉语拼音方案


@functools.lru_cache(maxsize=20000)  # names share their characters: 王, 李, 伟, 芳 …
def _char_key(char: str, order: str) -> str:
    strokes = stroke_count(char)
    if strokes is None:  # a Latin letter or digit sorts as itself, before the Han characters
        folded = unicodedata.normalize("NFKD", char)[:1].lower()
        syllable = folded if folded.isascii() and folded.isalnum() else ""
        return "00" + syllable.ljust(_PINYIN_WIDTH, "0") + "0" + f"{ord(char):05x}"[-5:]
    syllable, tone = _reading(char)
    padded = (syllable or "zzzzzz").ljust(_PINYIN_WIDTH, "0")
    code = f"{ord(char):05x}"
    if order == STROKES:
        return f"{min(strokes, 99):02d}{padded}{tone}{code}"
    return f"{padded}{tone}{min(strokes, 99):02d}{code}"


def name_key(name: str, order: str = PINYIN) -> str:
    """The sort key of ``name`` in ``order`` (STROKES or PINYIN); spaces and · are ignored."""
    if order not in ORDER_LABELS:
        raise ValueError(f"unknown name order {order!r}")
    chars = [c for c in (name or "").strip() if not c.isspace() and c not in "·•."]
    return "".join([_char_key(c, order) for c in chars[:KEY_CHARACTERS]])


def sort_by_name(items: Iterable[T], order: str, name: Callable[[T], str]) -> list[T]:
    """``items`` in ``order`` of the name each one carries (stable for equal names)."""
    return sorted(items, key=lambda item: name_key(name(item), order))
