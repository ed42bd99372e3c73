"""``desk-league calendar --year Y [--json]``: the year's key dates resolved to solar dates."""

from __future__ import annotations

import argparse
import json
from datetime import date

from desk_league.cli.core import command, opened


def register(commands) -> None:
    parser = command(
        commands, "calendar", "列出某年的重要节点及其公历日期 (key dates of a year)", run_calendar
    )
    parser.add_argument("--year", type=int, default=date.today().year, help="年份（默认今年）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run_calendar(args: argparse.Namespace) -> int:
    from desk_league.services.calendar import calendar_year_rows

    with opened(args) as db, db.reading() as session:
        rows = calendar_year_rows(session, args.year)
    if args.json:
        print(json.dumps({"year": args.year, "key_dates": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.year}年重要节点：")
    for row in rows:
        print(f"  {row['date']}  {row['name']}（{row['rule']}）")
    return 0
