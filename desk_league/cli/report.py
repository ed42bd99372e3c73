"""``desk-league report KIND``: the year's figures and summary the upper committee asks for.

- ``report annual --year Y --out X.xlsx``: the annual statistics workbook (a sheet per area);
- ``report summary --year Y --out X.pdf`` (or ``.txt``): the year-end summary draft as
  generated from the records, or the clerk's saved edit of it with ``--saved``.
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
    annual.set_defaults(handler=run_annual)

    summary = kinds.add_parser(
        "summary",
        help="年度工作总结草稿 (.pdf 或 .txt)",
        description="年度工作总结草稿，依据系统记录生成",
    )
    add_database_options(summary)
    summary.add_argument("--year", type=int, default=date.today().year)
    summary.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.txt")
    summary.add_argument("--saved", action="store_true", help="使用在程序中修改并保存的草稿")
    summary.set_defaults(handler=run_summary)


def run_annual(args: argparse.Namespace) -> int:
    from desk_league.services.statistics import export_annual_statistics

    with opened(args) as db, db.reading() as session:
        path = export_annual_statistics(session, args.out, year=args.year, today=date.today())
    print(f"已导出：{path}")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from desk_league.services.year_end_summary import (
        build_summary_draft,
        export_summary_pdf,
        saved_summary_draft,
    )

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".txt"):
        raise DeskLeagueError(f"输出文件应为 .pdf 或 .txt：{args.out}")
    with opened(args) as db, db.reading() as session:
        text = saved_summary_draft(session, args.year) if args.saved else None
        if args.saved and text is None:
            raise DeskLeagueError(
                f"没有保存过{args.year}年度工作总结的草稿；去掉 --saved 可按记录生成。"
            )
        text = text if text is not None else build_summary_draft(session, args.year, date.today())
    if suffix == ".txt":
        args.out.write_text(text, encoding="utf-8")
        path = args.out
    else:
        path = export_summary_pdf(args.out, text, year=args.year)
    print(f"已导出：{path}")
    return 0
