"""The foundation commands: gui, demo, check, backup, restore, screenshot.

Like every command module, this one imports only argparse and the standard library at the top;
each handler imports the database layer and the services it uses when it runs.
"""

from __future__ import annotations

import argparse
import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk_league.data.paths import configured_database_url, default_db_path
from desk_league.errors import DeskLeagueError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desk_league.data.db import Database


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """``--db`` / ``--url``, before or after the command's name: an option left out after the
    name keeps the one given before it (``desk-league --db X demo`` builds the demo in X)."""
    keep = argparse.SUPPRESS
    parser.add_argument(
        "--db", type=Path, metavar="PATH", default=keep, help="数据库文件 (SQLite database file)"
    )
    parser.add_argument(
        "--url", metavar="URL", default=keep, help="数据库地址，如 postgresql://… (database URL)"
    )


def command(commands, name: str, help_text: str, handler) -> argparse.ArgumentParser:
    """Add a subcommand that takes the database options after its name."""
    parser = commands.add_parser(name, help=help_text, description=help_text)
    add_database_options(parser)
    parser.set_defaults(handler=handler)
    return parser


@dataclass(frozen=True)
class Kind:
    """One KIND of a grouped command (``import plan``, ``certificates service`` …)."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def register_kinds(
    commands, name: str, help_text: str, kinds: dict[str, Kind], *, file_argument: bool = False
) -> None:
    """``desk-league NAME KIND [FILE] …`` with the database options after the kind."""
    if not kinds:
        return
    parser = commands.add_parser(name, help=help_text)
    group = parser.add_subparsers(title="kinds", metavar="KIND", required=True)
    for kind_name, kind in kinds.items():
        sub = group.add_parser(kind_name, help=kind.help, description=kind.help)
        add_database_options(sub)
        if file_argument:
            sub.add_argument("file", type=Path, metavar="FILE")
        kind.add_arguments(sub)
        sub.set_defaults(handler=kind.run)


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def db_url(args: argparse.Namespace) -> str | None:
    return args.url or (None if args.db else configured_database_url())


@contextmanager
def opened(args: argparse.Namespace, *, writing: bool = False) -> Iterator[Database]:
    """The database for a command. Commands that write take the single-instance lock and, first,
    the quick check and a backup (skipped when nothing changed since the last one). A schema
    upgrade, whoever asks, always runs under the lock after a backup.

    The command has imported what it uses by now, and those objects (SQLAlchemy, the models,
    reportlab) live as long as the process: frozen, the garbage collector stops walking them
    again and again while the command makes its own objects (a tenth of a 500-page print)."""
    from desk_league.data.db import open_database

    gc.freeze()
    db = open_database(db_path(args), url=db_url(args), lock=writing, backup=writing)
    try:
        yield db
    finally:
        db.close()


def register(commands) -> None:
    command(commands, "gui", "打开团委工作台窗口 (default)", run_gui).add_argument(
        "--demo-if-new", action="store_true", help="数据库为空时先生成演示数据"
    )
    demo = command(commands, "demo", "生成演示数据库 (build a demo database)", run_demo)
    demo.add_argument(
        "--scale", type=int, default=1, help="规模倍数：50 ≈ 1万志愿者、10万条时长记录"
    )
    demo.add_argument("--replace", action="store_true", help="覆盖已有数据库（先自动备份）")
    check = command(
        commands, "check", "只读检查数据库：完整性、版本与数量 (read-only check)", run_check
    )
    check.add_argument("--json", action="store_true")
    check.add_argument(
        "--full",
        action="store_true",
        help="完整检查：integrity_check（含索引与表是否一致）和外键检查，较慢",
    )
    command(commands, "backup", "备份数据库 (back up)", run_backup).add_argument(
        "--to",
        type=Path,
        metavar="PATH",
        help="备份到此文件：.zip 含数据库和全部附件，.db 仅数据库（默认：自动备份文件夹）",
    )
    command(
        commands, "restore", "从备份文件恢复数据库（先自动备份当前数据）(restore)", run_restore
    ).add_argument("file", type=Path, metavar="FILE", help="备份文件：.zip 或 .db")
    shot = command(
        commands, "screenshot", "为每个标签页截图 (PNG per tab, offscreen)", run_screenshot
    )
    shot.add_argument("--out", type=Path, required=True, metavar="DIR")
    shot.add_argument("--width", type=int, default=1366)
    shot.add_argument("--height", type=int, default=768)


def run_gui(args: argparse.Namespace) -> int:
    from desk_league.ui.app import run_app  # Qt only when the window is wanted

    return run_app(db_path(args), url=db_url(args), demo_if_new=getattr(args, "demo_if_new", False))


def run_demo(args: argparse.Namespace) -> int:
    from desk_league.data.db import open_database
    from desk_league.data.server import is_server_url
    from desk_league.data.storage import ServerStorage, SqliteStorage, Storage
    from desk_league.services.demo import build_demo

    path, url = db_path(args), db_url(args)
    storage: Storage = ServerStorage(url) if url and is_server_url(url) else SqliteStorage(path)
    try:
        # before anything is touched: a program that has the database open keeps its data
        with storage.locked() as lock:
            if storage.holds_data() and not args.replace:
                raise DeskLeagueError(
                    f"数据库 {storage.describe()} 已有数据。若要用演示数据覆盖，请加 --replace"
                    "（会先自动备份）。"
                )
            storage.make_way(reason="before-demo")
            db = open_database(path, url=url, lock=lock or False, backup=False)
            try:
                with db.transaction() as session:
                    counts = build_demo(session, scale=args.scale)
                db.storage.settle()
            finally:
                db.close()
    finally:
        storage.close()
    print(f"演示数据库已生成：{storage.describe()}")
    print("，".join(f"{key} {value}" for key, value in counts.items()))
    return 0


COUNTED = [  # what ``check`` counts: (label, model class name)
    ("团组织", "Organisation"),
    ("人员", "Person"),
    ("志愿者", "Volunteer"),
    ("志愿服务记录", "ServiceRecord"),
    ("工作计划", "Plan"),
    ("计划事项", "PlanItem"),
    ("活动", "Activity"),
    ("信息报送", "InfoReport"),
    ("荣誉", "Honour"),
    ("表彰批次", "Commendation"),
    ("操作日志", "AuditLog"),
]


def _counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func, select

    from desk_league.data import models

    return {
        name: session.scalar(select(func.count()).select_from(getattr(models, model))) or 0
        for name, model in COUNTED
    }


def run_check(args: argparse.Namespace) -> int:
    """Read-only: the file is never changed, locked or upgraded. Exit code 1 when it fails."""
    from desk_league.data import migrate
    from desk_league.data.db import open_database
    from desk_league.data.integrity import find_problems
    from desk_league.data.server import is_server_url

    url = db_url(args)
    if url and is_server_url(url):
        return _check_server(args, url)
    path = db_path(args)
    problems = find_problems(path, full=args.full) if path.exists() else []
    db = open_database(path, read_only=True)
    try:
        current, head = migrate.current_revision(db.engine), migrate.head_revision()
        if current is None:
            raise DeskLeagueError(f"{db.describe()} 不是团委工作台的数据库（没有数据结构版本）。")
        with db.reading() as session:
            counts = _counts(session)
    finally:
        db.close()
    report = {
        "database": db.describe(),
        "check": "integrity_check + foreign_key_check" if args.full else "quick_check",
        "integrity": "ok" if not problems else "failed",
        "problems": problems,
        "schema": current,
        "schema_head": head,
        "schema_current": current == head,
        "counts": counts,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"数据库：{report['database']}")
        depth = "完整检查" if args.full else "快速检查"
        print(f"{depth}：{'通过' if not problems else '未通过'}")
        for problem in problems:
            print(f"  {problem}")
        state = "最新" if current == head else f"待升级到 {head}（下次打开时自动升级）"
        print(f"数据结构版本：{current}（{state}）")
        for name, n in counts.items():
            print(f"  {name}：{n}")
    return 1 if problems else 0


def _check_server(args: argparse.Namespace, url: str) -> int:
    """What can be checked from here, said as such: the connection, the schema version, every
    table and column the program needs, the rows (``--full``: every row of every table read)."""
    from desk_league.data import migrate
    from desk_league.data.db import open_database
    from desk_league.data.server import server_version

    db = open_database(url=url, lock=False, migrate_schema=False)
    try:
        with db.engine.connect() as conn:
            version = server_version(conn)
        current, head = migrate.current_revision(db.engine), migrate.head_revision()
        if current is None:
            raise DeskLeagueError(f"数据库 {db.describe()} 是空的（还没有团委工作台的数据结构）。")
        problems = db.storage.find_problems(full=args.full)
        with db.reading() as session:
            counts = _counts(session)
    finally:
        db.close()
    checked = "connection, schema version, tables and columns" + (
        ", every row of every table read" if args.full else ""
    )
    report = {
        "database": db.describe(),
        "server": f"PostgreSQL {version}",
        "check": checked,
        "not_checked": "data pages and indexes (the server's own: amcheck)",
        "integrity": "ok" if not problems else "failed",
        "problems": problems,
        "schema": current,
        "schema_head": head,
        "schema_current": current == head,
        "counts": counts,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    print(f"数据库：{report['database']}")
    print(f"连接：正常（PostgreSQL {version}）")
    print(f"数据结构：{'完整（程序需要的每张表、每一列都在）' if not problems else '不完整'}")
    for problem in problems:
        print(f"  {problem}")
    if args.full:
        print("逐表读取全部记录：完成")
    print("未检查：数据页与索引（由 PostgreSQL 服务器维护，管理员可用 amcheck 检查）")
    state = "最新" if current == head else f"待升级到 {head}（下次打开时自动升级）"
    print(f"数据结构版本：{current}（{state}）")
    for name, n in counts.items():
        print(f"  {name}：{n}")
    return 1 if problems else 0


def run_backup(args: argparse.Namespace) -> int:
    from desk_league.data.integrity import quick_check
    from desk_league.data.server import is_server_url
    from desk_league.services.maintenance import backup_now, backup_to_file

    url = db_url(args)
    if url and is_server_url(url):
        with opened(args) as db:
            dest = backup_now(db, args.to)
        print(f"已备份到：{dest}（服务器数据库的逻辑备份：全部表的全部记录）")
        return 0
    path = db_path(args)
    if not path.exists():
        raise DeskLeagueError(f"数据库文件不存在：{path}")
    quick_check(path)
    dest = backup_to_file(path, args.to)
    print(f"已备份到：{dest}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Under the lock (a server: only while no other PC has it open), after a backup."""
    from desk_league.services.maintenance import restore_from_file

    with opened(args, writing=True) as db:
        restored = restore_from_file(db, args.file)
    print(restored.describe())
    print(f"数据库：{db.describe()}")
    return 0


def run_screenshot(args: argparse.Namespace) -> int:
    from desk_league.data.db import open_database
    from desk_league.ui.screenshot import save_screenshots

    db = open_database(db_path(args), url=db_url(args), lock=False, backup=False)
    try:
        for file in save_screenshots(db, args.out, size=(args.width, args.height)):
            print(file)
    finally:
        db.close()
    return 0
