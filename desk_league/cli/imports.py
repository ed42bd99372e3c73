"""``desk-league import KIND FILE``: bringing outside files in (a plan text, a volunteer roster).

Each kind is one entry of ``IMPORTS``: how to add its options, and the handler that runs it.
Imports write, so they hold the single-instance lock and take a backup first.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desk_league.cli.core import add_database_options


@dataclass(frozen=True)
class ImportKind:
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


IMPORTS: dict[str, ImportKind] = {}


def register(commands) -> None:
    if not IMPORTS:
        return
    parser = commands.add_parser("import", help="导入文件 (import a plan text or a roster)")
    kinds = parser.add_subparsers(title="kinds", metavar="KIND", required=True)
    for name, kind in IMPORTS.items():
        sub = kinds.add_parser(name, help=kind.help, description=kind.help)
        add_database_options(sub)
        sub.add_argument("file", type=Path, metavar="FILE")
        kind.add_arguments(sub)
        sub.set_defaults(handler=kind.run)
