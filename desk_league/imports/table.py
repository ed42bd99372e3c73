"""The one table reader behind every roster and hours import: .xlsx, .xls and .csv alike.

``read_table`` decides the format from the file's first bytes (a zip is .xlsx, an OLE2
compound file is .xls, anything else is text), not from its name, since offices rename files.
Every reader yields the same ``SheetRows`` within the same ``TableLimits``.
"""

from __future__ import annotations

from pathlib import Path

from desk_league.imports.legacy import read_csv, read_xls, xls_sheet_names
from desk_league.imports.sheet import LIMITS, Progress, SheetRows, TableLimits, refuse
from desk_league.imports.workbook import read_xlsx, xlsx_sheet_names

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.csv *.txt);;所有文件 (*)"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _format(path: Path) -> str:
    if not path.is_file():
        raise refuse(path.name, "文件不存在。")
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError as exc:
        raise refuse(path.name, f"无法读取（{exc.strerror or exc}）。") from exc
    if head.startswith(_ZIP):
        return "xlsx"
    if head == _OLE2:
        return "xls"
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise refuse(
            path.name, "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏或只是改了扩展名。"
        )
    return "csv"


def sheet_names(path: str | Path, limits: TableLimits = LIMITS) -> list[str]:
    """The sheets a file offers; a .csv has one, named after the file."""
    path = Path(path)
    kind = _format(path)
    if kind == "xlsx":
        return xlsx_sheet_names(path, limits)
    if kind == "xls":
        return xls_sheet_names(path, limits)
    return [path.stem]


def read_table(
    path: str | Path,
    sheet: str | None = None,
    progress: Progress | None = None,
    limits: TableLimits = LIMITS,
    rows: int | None = None,
) -> SheetRows:
    """The rows of one sheet (the first by default) of an .xlsx, .xls or .csv file; only its
    first ``rows`` when given (to see its header without reading 10,000 people)."""
    path = Path(path)
    kind = _format(path)
    if kind == "xlsx":
        return read_xlsx(path, sheet, progress, limits, rows)
    if kind == "xls":
        return read_xls(path, sheet, progress, limits, rows)
    return read_csv(path, progress, limits, rows)
