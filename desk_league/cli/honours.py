"""Honour commands: ``certificates honours`` and the registers ``export honours`` /
``export commendation`` / ``export youth-civilization``.

Importing this module adds its entries to the shared ``CERTIFICATES`` and ``EXPORTS`` registries.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desk_league.cli.certificates import CERTIFICATES
from desk_league.cli.core import Kind, opened
from desk_league.cli.export import EXPORTS, ExportKind, order_argument
from desk_league.errors import ValidationError

if TYPE_CHECKING:
    from desk_league.data.db import Database


def _certificate_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--batch", type=int, metavar="ID", help="表彰批次编号")
    target.add_argument("--honours", metavar="ID,ID,…", help="荣誉记录编号（逗号分隔）")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出文件夹")
    parser.add_argument(
        "--template", type=int, metavar="ID", help="证书模板编号（默认：批次所用模板）"
    )
    parser.add_argument(
        "--separate", action="store_true", help="另外每人生成一个文件（证书编号_姓名.pdf）"
    )
    parser.add_argument("--no-combined", action="store_true", help="不生成合并文件")


def _run_certificates(args: argparse.Namespace) -> int:
    from desk_league.exports.certificates import describe_glyph_problems
    from desk_league.services.honour_certificates import (
        MissingGlyphs,
        prepare_certificates,
        write_job,
    )
    from desk_league.services.progress import Progress

    honour_ids = None
    if args.honours:
        try:
            honour_ids = [int(part) for part in args.honours.split(",") if part.strip()]
        except ValueError:
            raise ValidationError(
                f"荣誉记录编号应为逗号分隔的数字：{args.honours}", field="--honours"
            ) from None
    with opened(args) as db, db.reading() as session:
        job = prepare_certificates(
            session, batch_id=args.batch, honour_ids=honour_ids, template_id=args.template
        )
    try:
        output = write_job(
            job,
            args.out,
            combined=not args.no_combined,
            separate=args.separate,
            progress=Progress(),
        )
    except MissingGlyphs as exc:
        listed, more = describe_glyph_problems(exc.problems, limit=1000)
        print("所选字体缺少以下字符，未生成证书（请换用含这些字的字体）：")
        print(listed + more)
        return 1
    print(f"已生成 {output.count} 份荣誉证书：")
    if output.combined:
        print(f"  {output.combined}")
    if output.files:
        print(f"  每人一个文件 {len(output.files)} 个，在 {args.out}")
    return 0


CERTIFICATES["honours"] = Kind(
    "荣誉证书：一个表彰批次或所选荣誉", _certificate_arguments, _run_certificates
)


def _honours(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import honours

    with db.reading() as session:
        query = honours.year_honours_query(args.year)
        if getattr(args, "all_statuses", False):
            query.filters.pop("status")
        return honours.export_honour_register(
            session, args.out, today=date.today(), query=query, order=args.order
        )


def _commendation(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import commendations

    if args.batch is None:
        raise ValidationError("请用 --batch 指定表彰批次编号。", field="--batch")
    with db.reading() as session:
        return commendations.export_commendation_list(
            session, args.batch, args.out, today=date.today(), order=args.order
        )


def _youth_civilization(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import honours

    with db.reading() as session:
        return honours.export_youth_civilization_register(
            session, args.out, today=date.today(), order=args.order
        )


def _batch_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", type=int, metavar="ID", help="表彰批次编号")
    order_argument(parser)


def _honours_arguments(parser: argparse.ArgumentParser) -> None:
    order_argument(parser)
    parser.add_argument(
        "--all-statuses",
        action="store_true",
        help="也列出推荐中和已撤销的荣誉（默认只列“授予”的，与年度统计一致）",
    )


EXPORTS["honours"] = ExportKind(
    "荣誉登记表（--year 年份：按授予日期，与年度统计一致）", _honours, _honours_arguments
)
EXPORTS["commendation"] = ExportKind("表彰名单（--batch 批次）", _commendation, _batch_argument)
EXPORTS["youth-civilization"] = ExportKind(
    "青年文明号集体登记表", _youth_civilization, order_argument
)
