"""``desk-league export KIND --out FILE``: the registers the office sends upward.

Each register is one entry of ``EXPORTS``: its options and the service call that writes it
(imported when the register is asked for, not when the parser is built).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desk_league.cli.core import add_database_options, opened
from desk_league.domain.names import ORDER_LABELS, STROKES

if TYPE_CHECKING:
    from desk_league.data.db import Database


@dataclass(frozen=True)
class ExportKind:
    help: str
    write: Callable[[Database, argparse.Namespace], Path]
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None  # options of its own


def _organisations(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import organisations

    with db.reading() as session:
        return organisations.export_organisations_register(session, args.out, today=date.today())


def _activities(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import activities

    with db.reading() as session:
        return activities.export_activity_register(
            session, args.out, year=args.year, today=date.today()
        )


def _terms(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import organisations

    with db.reading() as session:
        return organisations.export_terms_register(session, args.out, today=date.today())


def _info_reports(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import info_reports

    with db.reading() as session:
        return info_reports.export_info_report_tally(
            session, args.out, year=args.year, today=date.today()
        )


EXPORTS: dict[str, ExportKind] = {
    "organisations": ExportKind("团组织名册及换届情况表", _organisations),
    "activities": ExportKind("活动台账（--year 年度）", _activities),
    "terms": ExportKind("团组织换届情况表", _terms),
    "info-reports": ExportKind("信息报送情况统计表（--year 年度）", _info_reports),
}


def order_argument(parser: argparse.ArgumentParser) -> None:
    """--order for registers of names: 姓氏笔画 (the default of official lists) or 拼音."""
    parser.add_argument(
        "--order",
        choices=tuple(ORDER_LABELS),
        default=STROKES,
        help="姓名排序：strokes 按姓氏笔画（默认），pinyin 按拼音",
    )


def register(commands) -> None:
    parser = commands.add_parser("export", help="导出 Excel 登记表 (Excel registers)")
    kinds = parser.add_subparsers(title="registers", metavar="KIND", required=True)
    for name, kind in EXPORTS.items():
        sub = kinds.add_parser(name, help=kind.help, description=kind.help)
        add_database_options(sub)
        sub.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
        sub.add_argument("--year", type=int, default=date.today().year, required=False)
        if kind.add_arguments is not None:
            kind.add_arguments(sub)
        sub.set_defaults(handler=_run, kind=kind)


def _run(args: argparse.Namespace) -> int:
    with opened(args) as db:
        path = args.kind.write(db, args)
    print(f"已导出：{path}")
    return 0
