"""The one register writer behind every Excel export of the app.

A register is the form a Chinese office files: a merged title, the office and date (and any
lines every row shares, such as a batch's 文号), a frozen header, bordered rows (optionally in
sections: 一、优秀共青团员), an optional 合计 row and a 填表人/审核人 line, set up to print on A4.
Rows stream through openpyxl's write-only mode, so 100,000 of them cost no more memory than ten.

Printing right in Excel, WPS and LibreOffice alike: none of them grows a row for wrapped text
when it opens the file, so every row gets the height its longest cell needs (an estimate from
the column width and the font size, counting a Chinese character as two Latin ones). Columns are
sized to their content (read from the first rows, within the widths the caller allows), and
the page turns to landscape only when they do not fit across a portrait A4.

This module is what a register is (its columns, the page it fits) and is light to import: every
service declares its registers with it. The cells, styles and page set-up are written with
openpyxl by ``exports/xlsx.py``, imported when a register is actually written.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

Progress = Callable[[int, int | None], None]
Row = Union[Mapping[str, Any], Sequence[Any], "Section"]  # a Section opens a group of rows

# "code": text that never wraps (志愿者编号, 证书编号): its column is as wide as its longest value
KINDS = ("text", "code", "int", "number", "hours", "date", "percent", "id_number", "phone")
NUMERIC_KINDS = ("int", "number", "hours", "percent")

# Excel (and LibreOffice, and every CSV round trip) treats these as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")

PROGRESS_EVERY = 500
HEADER_ROW = 3  # without note lines; the header follows the title, office line and notes

# Page geometry (points). Binding margin: the left edge of a portrait page, the top of a
# landscape one (it is bound along its long side with the portrait pages).
A4_SHORT, A4_LONG = 595.3, 841.9
BINDING_MARGIN, OUTER_MARGIN = 25 / 25.4, 15 / 25.4  # inches, as openpyxl takes them
# Excel column widths are in units of the default font's digit (7 px at 96 dpi) plus 5 px.
_PX_PER_UNIT, _PX_PER_COLUMN, _PT_PER_PX = 7, 5, 0.75
# Character widths in those units at 11 points, with a margin for the font a PC substitutes
# for 宋体 (LibreOffice's Noto Serif CJK, WPS's SimSun): full-width characters take two.
NARROW_UNITS, WIDE_UNITS = 1.1, 2.15
BODY_SIZE = 11
TITLE_SIZE = 16
LINE_HEIGHT = 16.0  # points per line of 11-point text, Noto Serif CJK's line gap included
DEFAULT_ROW_HEIGHT = 18.0
ROW_PADDING = 4.0
MIN_WIDTH = 4.5
# A table may be this much wider than the page: fit-to-width then prints it at 89 % or more,
# which reads better than wrapping every row (and a table that nearly fits portrait A4 does
# not leave a third of a landscape page empty).
PRINT_SCALE_ALLOWANCE = 1.12
SAMPLE_ROWS = 2000  # rows read ahead to size the columns
EXCEL_MAX_TEXT = 32767
SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column of a register; ``key`` picks the value out of each row mapping."""

    key: str
    title: str
    width: float = 12  # the widest the column may grow (Excel character units)
    kind: str = "text"
    total: bool = False  # sum into the 合计 row

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; expected one of {KINDS}")
        if self.total and self.kind not in NUMERIC_KINDS:
            raise ValueError(f"column {self.key!r}: only numeric columns can be totalled")


@dataclass(frozen=True)
class TotalsBy:
    """A 合计 that says what it adds up: only rows whose ``key`` value is in ``counted`` go into
    it (合计（已审核，1,234条）); every other value seen gets a line of its own under it, marked
    不计入合计 (待审核 56条 …), so pending and voided hours are shown apart, never added in."""

    key: str  # the row mapping's key holding the group (the status label)
    counted: tuple[str, ...]  # the group values 合计 adds up
    unit: str = "条"  # what a row is: 条, 项, 人


@dataclass
class Register:
    """What a register looks like; the rows are passed separately so they can stream."""

    title: str  # e.g. "市直卫生系统团组织换届情况表"
    columns: Sequence[Column]
    office: str = ""  # e.g. "填报单位：市卫生健康委团委"
    date: dt.date | None = None  # printed as "填报日期：2026年11月26日"
    sheet_name: str = ""  # "" = the title, cut to Excel's 31 characters
    signature: bool = True  # the 填表人/审核人 line under the data
    filler: str = ""  # 填表人's name; "" leaves room to sign by hand
    reviewer: str = ""  # 审核人's name
    mask_ids: bool = False  # 110105********1234
    landscape: bool | None = None  # None = landscape when the columns are too wide for portrait
    notes: Sequence[str] = ()  # lines under the office line: what every row shares (文号 …)
    totals_by: TotalsBy | None = None  # 合计 of some rows only, the others shown apart

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"register {self.title!r} has no columns")

    @property
    def header_row(self) -> int:
        return HEADER_ROW + len(self.notes)


@dataclass(frozen=True)
class Section:
    """A row across the whole table that opens a group of rows: 一、优秀共青团员（24名）."""

    text: str


def text_units(text: str, size: float = BODY_SIZE) -> float:
    """How many Excel width units one line of ``text`` takes at ``size`` points."""
    narrow = len(text)
    wide = (len(text.encode("utf-8")) - narrow) // 2  # a CJK character is 3 bytes, 1 char
    return (NARROW_UNITS * (narrow - wide) + WIDE_UNITS * wide) * size / BODY_SIZE


@functools.lru_cache(maxsize=8192)  # registers repeat their places, units and contents
def line_count(text: str, width: float, size: float = BODY_SIZE) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (its own line breaks included)."""
    usable = max(width - 0.5, 1.0)
    if len(text) * WIDE_UNITS * size / BODY_SIZE <= usable and "\n" not in text:
        return 1  # the common case, decided without measuring
    return sum(max(1, math.ceil(text_units(line, size) / usable)) for line in text.split("\n"))


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    return max(DEFAULT_ROW_HEIGHT, lines * LINE_HEIGHT * size / BODY_SIZE + ROW_PADDING)


def page_width_units(columns: int, landscape: bool) -> float:
    """The sum of column widths that fits across A4 between the margins."""
    paper = A4_LONG if landscape else A4_SHORT
    margins = (2 * OUTER_MARGIN if landscape else BINDING_MARGIN + OUTER_MARGIN) * 72
    pixels = (paper - margins) / _PT_PER_PX
    return (pixels - _PX_PER_COLUMN * columns) / _PX_PER_UNIT


@dataclass(frozen=True)
class PageLayout:
    """Column widths and orientation for one register, decided from its content."""

    widths: list[float]
    landscape: bool

    @classmethod
    def fit(cls, register: Register, sample: Sequence[list[Any]]) -> PageLayout:
        columns = register.columns
        least = [_least_width(c) for c in columns]
        wanted = [
            min(c.width, max(low, _content_width(c, [row[i] for row in sample])))
            for i, (c, low) in enumerate(zip(columns, least, strict=True))
        ]
        if register.landscape is not None:
            landscape = register.landscape
        else:
            portrait_room = page_width_units(len(columns), landscape=False)
            landscape = sum(wanted) > portrait_room * PRINT_SCALE_ALLOWANCE
        room = page_width_units(len(columns), landscape) * PRINT_SCALE_ALLOWANCE
        return cls(_shrink_text_columns(columns, wanted, least, room), landscape)


def _least_width(column: Column) -> float:
    """Narrowest a column may get: its title on at most two lines, numbers and dates whole."""
    title = text_units(column.title)
    least = max(MIN_WIDTH, min(title + 1, title / 2 + 1.5))
    if column.kind == "date":
        least = max(least, 11.5)
    elif column.kind == "id_number":
        least = max(least, 20.5)
    elif column.kind == "phone":
        least = max(least, 13.5)
    return least


def _content_width(column: Column, values: Sequence[Any]) -> float:
    widest = 0.0
    for value in values:
        if value is None:
            continue
        text = value if isinstance(value, str) else _display(column, value)
        for line in text.split("\n"):
            widest = max(widest, text_units(line))
    return widest + 1.5


def _display(column: Column, value: Any) -> str:
    if column.kind == "date":
        return "2026-12-31"
    if column.kind == "percent" and _is_number(value):
        return f"{value:.1%}"
    if column.kind in ("hours", "number") and _is_number(value):
        return f"{value:.2f}"
    return str(value)


def _shrink_text_columns(
    columns: Sequence[Column], wanted: list[float], least: list[float], room: float
) -> list[float]:
    """Narrow the widest text columns first, down to one common cap, until the table fits
    ``room``: short columns keep their one-line width and only long texts wrap. Columns stop at
    their least width; if that is still too wide, the print scales to the page width."""
    text_columns = [i for i, c in enumerate(columns) if c.kind == "text"]
    fixed = sum(w for i, w in enumerate(wanted) if i not in text_columns)

    def width_with_cap(cap: float) -> list[float]:
        return [
            max(least[i], min(w, cap)) if i in text_columns else w for i, w in enumerate(wanted)
        ]

    if sum(wanted) <= room or not text_columns:
        return [round(w, 1) for w in wanted]
    low, high = 0.0, max(wanted[i] for i in text_columns)
    if fixed + sum(least[i] for i in text_columns) >= room:
        return [round(w, 1) for w in width_with_cap(0.0)]
    for _ in range(40):  # bisect the cap to a hundredth of a unit
        cap = (low + high) / 2
        if sum(width_with_cap(cap)) > room:
            high = cap
        else:
            low = cap
    return [
        round(w - 0.05, 1) if i in text_columns else round(w, 1)
        for i, w in enumerate(width_with_cap(low))
    ]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def write_register(
    path: str | os.PathLike[str],
    register: Register,
    rows: Iterable[Row],
    *,
    progress: Progress | None = None,
) -> Path:
    """Write one register to ``path`` (replacing it whole, or leaving it untouched on failure)."""
    return write_workbook(path, [(register, rows)], progress=progress)


def write_workbook(
    path: str | os.PathLike[str],
    sheets: Sequence[tuple[Register, Iterable[Row]]],
    progress: Progress | None = None,
) -> Path:
    """Write several registers as sheets of one workbook (the annual statistics).

    ``progress(done, total)`` is called every few hundred rows; ``total`` is None when the rows
    are a generator. An exception it raises (Cancel) propagates and no file is written.
    """
    from desk_league.exports import xlsx  # openpyxl, only now

    return xlsx.write_workbook(path, sheets, progress)
