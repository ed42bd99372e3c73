"""The plan's commands: ``import plan FILE --year Y`` and ``export plan --year Y --out FILE``.

Registers itself in the ``import`` and ``export`` registries when imported (by cli/__init__).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from desk_league.cli.core import Kind, opened
from desk_league.cli.export import EXPORTS, ExportKind
from desk_league.cli.imports import IMPORTS
from desk_league.data.db import Database
from desk_league.errors import Conflict
from desk_league.imports.plan_text import ParsedPlan, parse_plan_text, read_plan_file
from desk_league.services import plan_import, plan_outputs


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="计划年度，如 2026")
    parser.add_argument("--dry-run", action="store_true", help="只识别并显示，不保存")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出识别结果")
    parser.add_argument(
        "--replace", action="store_true", help="该年度已有计划时替换（原计划进入回收站）"
    )


def run_import(args: argparse.Namespace) -> int:
    parsed = parse_plan_text(read_plan_file(args.file))
    if args.json:
        print(json.dumps(parsed.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_tree(parsed)
    if args.dry_run:
        if not args.json:
            print("（试运行：未保存）")
        return 0
    with opened(args, writing=True) as db, db.transaction() as session:
        try:
            plan = plan_import.import_plan(session, parsed, args.year, replace=args.replace)
        except Conflict as exc:
            raise Conflict(f"{exc}（命令行加 --replace）") from None
        title = plan.title
    if not args.json:
        print(
            f"已导入 {args.year}年工作计划“{title}”：板块 {parsed.count('section')} 个，事项 {parsed.count('task')} 项。"
        )
    return 0


def _print_tree(parsed: ParsedPlan) -> None:
    print(f"标题：{parsed.title}")
    print(f"总体思路：{parsed.approach}")
    for item in parsed.all_items():
        mark = f"  〔推测：{'；'.join(item.guesses)}〕" if item.guesses else ""
        print(f"{'    ' * (item.level - 1)}{item.number}{item.title}{mark}")
    for warning in parsed.warnings:
        print(f"提示：{warning}")


def _export(db: Database, args: argparse.Namespace) -> Path:
    """The progress register (.xlsx), or the plan document when the file name ends in .pdf."""
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
