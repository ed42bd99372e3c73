"""The ``desk-league`` command: the GUI by default, and subcommands for the office's chores.

Every subcommand takes ``--db PATH`` (or ``--url``), before or after its name. Command groups live in their
own modules and register themselves in ``COMMAND_MODULES``. Every error ends as a Chinese
message with exit code 1, never as a traceback: errors a clerk can act on say what to do, file
and disk errors say which file and why, and anything unexpected points to the log file, which
keeps the traceback (``desk_league.logs``).

Start light: building the parser imports nothing beyond argparse (``--version`` and ``--help``
load no third-party package), and each handler imports what its command needs when it runs —
the window shows before SQLAlchemy, the services, openpyxl or reportlab are loaded.
``tests/cli/test_start_light.py`` keeps it so.
"""

from __future__ import annotations

import argparse
import gc
import logging
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
    members,
    plan_commands,
    report,
    volunteers,
)
from desk_league.data.paths import data_dir
from desk_league.errors import DeskLeagueError, os_error_reason
from desk_league.logs import current_log_file, setup_logging

log = logging.getLogger("desk_league.cli")

COMMAND_MODULES = [core, export, imports, certificates, calendar, report, members]
# Modules that add entries to the import/export/certificates registries above when imported.
REGISTRY_MODULES = [plan_commands, volunteers, honours, members]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk-league", description=f"{APP_TITLE} desk_league")
    parser.add_argument("--version", action="version", version=f"desk-league {__version__}")
    core.add_database_options(parser)
    parser.add_argument(
        "--demo-if-new",
        action="store_true",
        help="数据库为空时先生成演示数据 (demo data on first run)",
    )
    parser.set_defaults(handler=core.run_gui, db=None, url=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command: the process's own command line (``argv`` None), or ``argv``."""
    try:
        return _run(argv)
    finally:
        if argv is None:  # the process ends with its command
            _leave_to_exit()


def _leave_to_exit() -> None:
    """Spare the process's exit a last search for reference cycles.

    What a command imported and made (SQLAlchemy, the models, openpyxl: some 100,000 objects)
    ends with the process; Python would first walk them all once more for cycles to collect, a
    tenth of a second of every command. Frozen, they are left to the exit as they are. Files and
    the database are closed by then, and logging flushes at exit as before.
    """
    gc.freeze()


def _run(argv: Sequence[str] | None) -> int:
    # The windowed desk-league.exe has no console at all (sys.stdout is None).
    encoding = getattr(sys.stdout, "encoding", None)
    if encoding and encoding.lower() not in ("utf-8", "utf8"):
        sys.stdout.reconfigure(encoding="utf-8")  # Windows consoles: print Chinese, not '?'
    args = build_parser().parse_args(argv)
    setup_logging(data_dir())
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except DeskLeagueError as exc:
        log.info("refused: %s", exc)
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the clerk gets a sentence, the log the traceback
        logged = current_log_file()
        if logged is not None:  # without a log file the record would print the traceback
            log.error("unexpected error in %s", sys.argv[1:2], exc_info=exc)
        print(f"错误：{_explain(exc, args)}", file=sys.stderr)
        if logged is not None:
            print(f"详细信息已记入日志：{logged}", file=sys.stderr)
        return 1


def _explain(exc: Exception, args: argparse.Namespace) -> str:
    if isinstance(exc, OSError):
        where = f"文件 {exc.filename}" if exc.filename else "文件"
        return f"无法读写{where}：{os_error_reason(exc)}。已保存的数据不受影响。"
    from desk_league.data.sqlite_files import storage_error

    problem = storage_error(exc, core.db_path(args))
    if problem is not None:
        return str(problem)
    return "程序遇到意外问题，操作没有完成；已保存的数据不受影响。"


if __name__ == "__main__":
    sys.exit(main())
