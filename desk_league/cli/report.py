"""``desk-league report KIND``: the year's figures and summary the upper committee asks for.

- ``report annual --year Y --out X.xlsx``: the annual statistics workbook (a sheet per area);
- ``report summary --year Y --out X.docx`` (or ``.pdf``, ``.txt``): the year-end summary draft
  as generated from the records, or the clerk's saved edit of it with ``--saved``.
``--half`` gives the first half of the year instead (上半年工作总结, its figures).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desk_league.cli.core import add_database_options, opened
from desk_league.errors import DeskLeagueError


def register(commands) -> None:
    parser = commands.add_parser(
        "report", help="年度统计与工作总结 (annual statistics and summary)"
    )
    kinds = parser.add_subparsers(title="reports", metavar="KIND", required=True)

    annual = kinds.add_parser(
        "annual",
        help="年度统计工作簿 (.xlsx)",
        description="年度统计：每个方面一张工作表，另有汇总表",
    )
    add_database_options(annual)
    annual.add_argument("--year", type=int, default=date.today().year)
    annual.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    annual.add_argument("--half", action="store_true", help="只统计上半年（1月1日至6月30日）")
    annual.set_defaults(handler=run_annual)

    summary = kinds.add_parser(
        "summary",
        help="年度工作总结草稿 (.docx、.pdf 或 .txt)",
        description="年度工作总结草稿（主要工作和成绩、存在的问题和不足、下一年工作思路），"
        "依据系统记录生成",
    )
    add_database_options(summary)
    summary.add_argument("--year", type=int, default=date.today().year)
    summary.add_argument("--out", type=Path, required=True, metavar="FILE.docx|FILE.pdf|FILE.txt")
    summary.add_argument("--half", action="store_true", help="上半年工作总结")
    summary.add_argument("--saved", action="store_true", help="使用在程序中修改并保存的草稿")
    summary.set_defaults(handler=run_summary)


def run_annual(args: argparse.Namespace) -> int:
    from desk_league.services.figures import Period
    from desk_league.services.statistics import export_annual_statistics

    period = Period.first_half(args.year) if args.half else Period.year(args.year)
    with opened(args) as db, db.reading() as session:
        path = export_annual_statistics(
            session, args.out, year=args.year, today=date.today(), period=period
        )
    print(f"已导出：{path}")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from desk_league.services.year_end_summary import (
        build_summary_draft,
        export_summary_docx,
        export_summary_pdf,
        saved_summary_draft,
        summary_file_kinds,
    )

    suffix = args.out.suffix.lower()
    if suffix not in summary_file_kinds():
        raise DeskLeagueError(f"输出文件应为 .docx、.pdf 或 .txt：{args.out}")
    what = f"{args.year}年上半年工作总结" if args.half else f"{args.year}年度工作总结"
    with opened(args) as db, db.reading() as session:
        text = saved_summary_draft(session, args.year, half=args.half) if args.saved else None
        if args.saved and text is None:
            raise DeskLeagueError(f"没有保存过{what}的草稿；去掉 --saved 可按记录生成。")
        if text is None:
            text = build_summary_draft(session, args.year, date.today(), half=args.half)
    if suffix == ".txt":
        args.out.write_text(text, encoding="utf-8")
        path = args.out
    else:
        export = export_summary_docx if suffix == ".docx" else export_summary_pdf
        path = export(args.out, text, year=args.year, half=args.half)
    print(f"已导出：{path}")
    return 0
