"""Opening a workbook someone sent us, safely: never trust its size, its XML or its extension.

openpyxl parses with defusedxml when it is installed (it is a dependency), which stops entity
tricks; the zip's declared uncompressed size is checked before anything is inflated, which
stops a small file from expanding into gigabytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from desk_league.errors import ValidationError

# A 10,000-row roster is about 5 MB inflated; 300 MB leaves room for anything honest.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
HEADER_SEARCH_ROWS = 15

Progress = Callable[[int, int | None], None]


@dataclass
class SheetRows:
    """The cell values of one sheet (row 1 first); ``rows[i]`` is Excel row ``i + 1``."""

    name: str
    rows: list[tuple[Any, ...]]


def _refuse(path: Path, reason: str) -> ValidationError:
    return ValidationError(f"无法打开文件“{path.name}”：{reason}")


def check_workbook_file(path: str | Path) -> Path:
    """Refuse what is not a real, reasonably sized .xlsx before openpyxl touches it."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(path, "文件不存在。")
    if path.suffix.lower() == ".xls":
        raise _refuse(path, "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。")
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏或只是改了扩展名。")
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, f"文件已损坏（{exc}）。") from exc
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            path,
            f"解压后超过 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB，不像是一份名册，已拒绝。",
        )
    if "xl/workbook.xml" not in names:
        raise _refuse(
            path, "压缩包里没有 Excel 工作簿内容（可能是 Word 文档或其他文件改了扩展名）。"
        )
    return path


def _open(path: Path):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refuse(path, f"文件已损坏或格式不受支持（{type(exc).__name__}）。") from exc
    except Exception as exc:  # noqa: BLE001 - defusedxml and expat raise their own kinds
        raise _refuse(path, f"文件内容无法解析（{type(exc).__name__}）。") from exc


def sheet_names(path: str | Path) -> list[str]:
    path = check_workbook_file(path)
    workbook = _open(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_sheet(
    path: str | Path, sheet: str | None = None, progress: Progress | None = None
) -> SheetRows:
    """All values of one sheet (the first by default), trailing empty rows dropped."""
    path = check_workbook_file(path)
    workbook = _open(path)
    try:
        name = sheet or workbook.sheetnames[0]
        if name not in workbook.sheetnames:
            raise _refuse(path, f"没有名为“{name}”的工作表。")
        rows = list(_values(workbook[name], progress))
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet part surfaces only while reading
        raise _refuse(path, f"读取工作表时出错（{type(exc).__name__}）。") from exc
    finally:
        workbook.close()
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    return SheetRows(name, rows)


def _values(worksheet, progress: Progress | None) -> Iterator[tuple[Any, ...]]:
    for n, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if progress is not None and n % 500 == 0:
            progress(n, worksheet.max_row)
        yield row


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(row: tuple[Any, ...]) -> bool:
    return all(_blank(v) for v in row)
