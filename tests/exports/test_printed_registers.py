"""Every register printed as a reader sees it: LibreOffice Calc turns the .xlsx into PDF pages,
and no line of text may leave its cell, print over another line or run off the page.

Excel grows rows for wrapped text when it opens a file; LibreOffice and WPS do not, so a register
that looks right in Excel can print one row's text over the next. The check reads the text and
the cell borders back from LibreOffice's PDF (pdfplumber). Skipped only where LibreOffice is
not installed (.ci/run installs it).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_league.cli.export import EXPORTS
from desk_league.data.models import Activity, Honour, Organisation, PlanItem
from desk_league.services.statistics import export_annual_statistics

pdfplumber = pytest.importorskip("pdfplumber")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]

YEAR = 2026
TOLERANCE = 1.0  # points: rounding in LibreOffice's PDF, never a visible overlap
LONG_SUMMARY = (
    "组织青年志愿者深入社区和乡镇卫生院开展健康宣教、义诊咨询、慢病随访和政策宣讲，"
    "发放宣传资料，现场测量血压血糖，解答群众关心的医保报销和家庭医生签约问题，"
)


def export_every_register(db, folder: Path) -> list[Path]:
    """One file per `desk-league export` kind, plus the annual statistics workbook."""
    import desk_league.cli  # noqa: F401 - its modules add their kinds to EXPORTS

    files = []
    for name, kind in EXPORTS.items():
        args = argparse.Namespace(
            out=folder / f"{name}.xlsx",
            year=YEAR,
            batch=1,
            order="strokes",
            show_ids=False,
            status=None,
        )
        files.append(kind.write(db, args))
    with db.reading() as session:
        files.append(
            export_annual_statistics(
                session, folder / "annual.xlsx", year=YEAR, today=date(YEAR, 11, 26)
            )
        )
    return files


def print_with_libreoffice(files: list[Path], folder: Path) -> list[Path]:
    """All files in one soffice run (a private profile, so parallel runs never collide)."""
    profile = folder / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    pdfs = [folder / f"{f.stem}.pdf" for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return pdfs


# --- reading the printed page -------------------------------------------------------------


def _box(chars) -> tuple[float, float, float, float]:
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )


def _overlap(a, b) -> bool:
    return (
        a[0] < b[2] - TOLERANCE
        and b[0] < a[2] - TOLERANCE
        and a[1] < b[3] - TOLERANCE
        and b[1] < a[3] - TOLERANCE
    )


def _inside(box, cell) -> bool:
    return (
        box[0] >= cell[0] - TOLERANCE
        and box[1] >= cell[1] - TOLERANCE
        and box[2] <= cell[2] + TOLERANCE
        and box[3] <= cell[3] + TOLERANCE
    )


def _lines(chars) -> list[list[dict]]:
    """Characters of one cell as printed lines (same baseline, side by side)."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        last = lines[-1][-1] if lines else None
        if (
            last is not None
            and abs(char["top"] - last["top"]) <= 0.5
            and char["x0"] - last["x1"] <= 2 * char["size"]
        ):
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def overprints(pdf_path: Path) -> list[str]:
    """Lines that leave their cell, print over another line or run off the page."""
    problems = []
    with pdfplumber.open(pdf_path) as document:
        for number, page in enumerate(document.pages, start=1):
            cells = [
                cell
                for found in page.find_tables(
                    {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
                )
                for cell in found.cells
            ]
            by_cell: dict[tuple | None, list[dict]] = {}
            for char in page.chars:
                if not char["text"].strip():
                    continue
                x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
                homes = [c for c in cells if c[0] <= x <= c[2] and c[1] <= y <= c[3]]
                home = min(homes, key=lambda c: (c[2] - c[0]) * (c[3] - c[1])) if homes else None
                by_cell.setdefault(home, []).append(char)
            printed = []
            for cell, chars in by_cell.items():
                for line in _lines(chars):
                    text, box = "".join(c["text"] for c in line), _box(line)
                    printed.append((text, box))
                    where = f"{pdf_path.stem} 第{number}页“{text[:20]}”"
                    if box[2] > page.width + TOLERANCE or box[3] > page.height + TOLERANCE:
                        problems.append(f"{where} 超出页面")
                    elif cell is not None and not _inside(box, cell):
                        problems.append(f"{where} 超出所在单元格")
                    elif cell is None and any(_overlap(box, c) for c in cells):
                        problems.append(f"{where} 压在表格上")
            for i, (text, box) in enumerate(printed):
                for other, other_box in printed[i + 1 :]:
                    if _overlap(box, other_box):
                        problems.append(
                            f"{pdf_path.stem} 第{number}页“{text[:20]}”压住“{other[:20]}”"
                        )
    return problems


# --- the registers ------------------------------------------------------------------------


def _with_long_texts(db) -> None:
    """What real offices type: 200-character 活动概况, long places and tasks, 6-character
    collective names."""
    with db.transaction() as session:
        for activity in session.scalars(select(Activity)):
            activity.summary = (LONG_SUMMARY * 3)[:200]
            activity.place = f"{activity.place}（门诊楼三楼多功能报告厅）"
        for item in session.scalars(select(PlanItem)):
            item.title = f"{item.title}，并按季度报送工作进展和佐证材料"
        for organisation in session.scalars(select(Organisation)):
            organisation.unit = f"{organisation.unit}（医疗集团）"
        for honour in session.scalars(select(Honour).where(Honour.person_id.is_(None))):
            honour.collective_name = "急诊科护理组"


@pytest.mark.parametrize("texts", ["demo", "long"])
def test_every_register_prints_without_overprint_in_libreoffice(demo_db, tmp_path, texts):
    if texts == "long":
        _with_long_texts(demo_db)
    files = export_every_register(demo_db, tmp_path)
    pdfs = print_with_libreoffice(files, tmp_path)

    problems = [problem for pdf in pdfs for problem in overprints(pdf)]

    assert not problems, "\n".join(problems[:30])


def test_the_check_sees_text_printed_over_the_next_row(tmp_path):
    from desk_league.exports.register import Column, Register, write_register

    register = Register(
        "活动台账", [Column("no", "序号", 6, "int"), Column("summary", "活动概况", 20)]
    )
    path = write_register(
        tmp_path / "台账.xlsx",
        register,
        [{"no": 1, "summary": LONG_SUMMARY}, {"no": 2, "summary": "短"}],
    )
    # what the writer did before it set row heights: every row one line high
    from openpyxl import load_workbook

    book = load_workbook(path)
    for dimension in book.active.row_dimensions.values():
        dimension.height = None
    book.save(path)

    (pdf,) = print_with_libreoffice([path], tmp_path)

    assert overprints(pdf)
