"""The plan's commands: ``import plan FILE --year Y`` and ``export plan --year Y --out FILE``.

Registers itself in the ``import`` and ``export`` registries when imported (by cli/__init__).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desk_league.cli.core import Kind, db_path, db_url, opened
from desk_league.cli.export import EXPORTS, ExportKind
from desk_league.cli.imports import IMPORTS
from desk_league.errors import Conflict, ValidationError

if TYPE_CHECKING:
    from desk_league.data.db import Database
    from desk_league.imports.plan_text import ParsedPlan


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=int, help="计划年度，如 2026（默认：标题中的年份，如“2027年…工作计划”）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只识别并显示，不保存")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出识别结果")
    parser.add_argument(
        "--replace", action="store_true", help="该年度已有计划时替换（原计划进入回收站）"
    )


def run_import(args: argparse.Namespace) -> int:
    from desk_league.imports.plan_prose import read_plan_text, resolve_dates
    from desk_league.imports.plan_text import read_plan_file
    from desk_league.services import plan_import
    from desk_league.services.reference import seed_reference_data

    parsed = read_plan_text(read_plan_file(args.file))
    year = args.year or parsed.year
    if year is None:
        raise ValidationError("标题中没有年份，请用 --year 指定计划年度，如 --year 2027。")
    if args.dry_run and not db_url(args) and not db_path(args).exists():
        resolve_dates(
            parsed, plan_import.default_key_date_rules(), year
        )  # a dry run creates nothing
        _show(parsed, year, args)
        return 0
    with opened(args, writing=not args.dry_run) as db:
        with db.reading() as session:
            rules = plan_import.key_date_rules(session) or plan_import.default_key_date_rules()
        resolve_dates(parsed, rules, year)
        _show(parsed, year, args)
        if args.dry_run:
            return 0
        with db.transaction() as session:
            seed_reference_data(session)  # one made from the command line has no key dates yet
            try:
                plan = plan_import.import_plan(session, parsed, year, replace=args.replace)
            except Conflict as exc:
                raise Conflict(f"{exc}（命令行加 --replace）") from None
            title = plan.title
    if not args.json:
        print(
            f"已导入 {year}年工作计划“{title}”：板块 {parsed.count('section')} 个，"
            f"事项 {parsed.count('task')} 项。"
        )
    return 0


def _show(parsed: ParsedPlan, year: int, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(parsed.as_dict(), ensure_ascii=False, indent=2))
        return
    _print_tree(parsed, year)
    if args.dry_run:
        print("（试运行：未保存）")


def _print_tree(parsed: ParsedPlan, year: int) -> None:
    print(f"标题：{parsed.title}（{year}年）")
    print(f"总体思路：{parsed.approach}")
    for item in parsed.all_items():
        when = ""
        if item.time_node:
            linked = f"→{item.key_date_name}" if item.key_date_name else ""
            due = f" {item.due_date:%Y-%m-%d}" if item.due_date else ""
            when = f"  〔{item.time_node}{linked}{due}〕"
        mark = f"  〔推测：{'；'.join(item.guesses)}〕" if item.guesses else ""
        print(f"{'    ' * (item.level - 1)}{item.number}{item.title}{when}{mark}")
    for warning in parsed.warnings:
        print(f"提示：{warning}")


def _export(db: Database, args: argparse.Namespace) -> Path:
    """The progress register (.xlsx), or the plan document when the file name ends in .pdf."""
    from desk_league.services import plan_outputs

    today = date.today()
    with db.reading() as session:
        if Path(args.out).suffix.lower() == ".pdf":
            result = plan_outputs.export_plan_document(session, args.year, args.out, today=today)
            if result.missing_glyphs:
                print(f"注意：字体缺少这些字，打印为方框：{''.join(result.missing_glyphs)}")
            return result.path
        return plan_outputs.export_plan_register(session, args.year, args.out, today=today)


IMPORTS["plan"] = Kind("导入工作计划文本 (.txt/.docx)", _import_arguments, run_import)
EXPORTS["plan"] = ExportKind("工作计划推进情况表（.xlsx）或计划文本（.pdf）", _export)
