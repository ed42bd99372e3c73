"""The ``desk-league`` command: the GUI by default, and subcommands for the office's chores.

Every subcommand takes ``--db PATH`` (or ``--url``) after its name. Command groups live in their
own modules and register themselves in ``COMMAND_MODULES``; errors a clerk can act on are
printed in Chinese with exit code 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desk_league import APP_TITLE, __version__
from desk_league.cli import (
    calendar,
    certificates,
    core,
    export,
    honours,
    imports,
    plan_commands,
    report,
    volunteers,
)
from desk_league.errors import DeskLeagueError

COMMAND_MODULES = [core, export, imports, certificates, calendar, report]
# Modules that add entries to the import/export/certificates registries above when imported.
REGISTRY_MODULES = [plan_commands, volunteers, honours]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk-league", description=f"{APP_TITLE} desk_league")
    parser.add_argument("--version", action="version", version=f"desk-league {__version__}")
    core.add_database_options(parser)
    parser.add_argument(
        "--demo-if-new",
        action="store_true",
        help="数据库为空时先生成演示数据 (demo data on first run)",
    )
    parser.set_defaults(handler=core.run_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The windowed desk-league.exe has no console at all (sys.stdout is None).
    encoding = getattr(sys.stdout, "encoding", None)
    if encoding and encoding.lower() not in ("utf-8", "utf8"):
        sys.stdout.reconfigure(encoding="utf-8")  # Windows consoles: print Chinese, not '?'
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except DeskLeagueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
