"""Volunteer commands: ``import volunteers|service-hours``, ``certificates service``,
``export volunteers|service-records|hours``.

Importing this module adds its entries to the shared ``IMPORTS``, ``CERTIFICATES`` and
``EXPORTS`` registries; it has no command group of its own.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desk_league.cli.certificates import CERTIFICATES
from desk_league.cli.core import Kind, opened
from desk_league.cli.export import EXPORTS, ExportKind, order_argument
from desk_league.cli.imports import IMPORTS
from desk_league.domain.codes import VolunteerStatus
from desk_league.errors import ValidationError

if TYPE_CHECKING:
    from desk_league.data.db import Database
    from desk_league.services.volunteer_import import ImportPreview

MAX_ERRORS_PRINTED = 50
MAX_UNITS_PRINTED = 10


# --- import -----------------------------------------------------------------------------------


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sheet", metavar="NAME", help="工作表名称（默认：第一个）")
    parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
    parser.add_argument(
        "--errors-out", type=Path, metavar="ERR.xlsx", help="把错误清单和有错误的行导出为 Excel"
    )
    parser.add_argument(
        "--valid-only",
        action="store_true",
        help="只导入正确的行，有错误的行写入错误清单（默认：有错误时什么都不导入）",
    )


def _roster_import_arguments(parser: argparse.ArgumentParser) -> None:
    _import_arguments(parser)
    parser.add_argument(
        "--update-duplicates",
        action="store_true",
        help="身份证号已登记的志愿者：用文件中的信息更新（默认：跳过）",
    )
    parser.add_argument(
        "--create-units",
        action="store_true",
        help="团组织名单中没有的单位：新建为团支部（默认：作为错误）",
    )


def _hours_import_arguments(parser: argparse.ArgumentParser) -> None:
    _import_arguments(parser)
    parser.add_argument(
        "--keep-status",
        action="store_true",
        help="保留文件“状态”列中的“已审核”（默认：全部导入为待审核）",
    )
    parser.add_argument(
        "--accept-duplicates",
        action="store_true",
        help="与已录入记录（或文件中前面的行）相同的服务记录也导入：确是同一天的另一次服务时使用"
        "（默认：作为错误）",
    )


def _run_import(kind: str):
    def run(args: argparse.Namespace) -> int:
        from desk_league.services import volunteer_import

        on_duplicate = (
            volunteer_import.UPDATE
            if getattr(args, "update_duplicates", False)
            else volunteer_import.SKIP
        )
        errors_out = args.errors_out
        if args.valid_only and errors_out is None:
            errors_out = args.file.with_name(f"{args.file.stem}_未导入.xlsx")
        with opened(args, writing=not args.dry_run) as db, db.transaction() as session:
            preview, result = volunteer_import.import_file(
                session,
                args.file,
                kind,
                sheet=args.sheet,
                on_duplicate=on_duplicate,
                dry_run=args.dry_run,
                valid_only=args.valid_only,
                create_units=getattr(args, "create_units", False),
                keep_status=getattr(args, "keep_status", False),
                accept_duplicates=getattr(args, "accept_duplicates", False),
            )
            if errors_out and preview.errors:
                # inside the transaction: if the list cannot be written, nothing is imported
                path = volunteer_import.export_import_errors(errors_out, preview)
                print(f"错误清单已导出：{path}")
        _print_preview(args.file.name, preview)
        if result is None:
            if not preview.ok:
                print("有错误，未导入任何内容。" if preview.importable else "没有可以导入的行。")
                return 1
            print("检查通过（未保存，--dry-run）。")
            return 0
        print(f"已导入：{result}")
        return 0

    return run


def _print_preview(file_name: str, preview: ImportPreview) -> None:
    sheet = preview.sheet.name if preview.sheet is not None else ""
    where = f"（工作表“{sheet}”）" if sheet and not file_name.startswith(f"{sheet}.") else ""
    print(f"{file_name}{where}：{preview.summary()}")
    for line in preview.skipped_lines():
        print(f"  {line}")
    for line in preview.duplicate_lines():
        print(f"  重复：{line}")
    for unit in preview.new_units:
        print(f"  新建团组织：{unit}")
    if preview.unknown_units:
        shown = "、".join(preview.unknown_units[:MAX_UNITS_PRINTED])
        more = (
            f" 等 {len(preview.unknown_units)} 个"
            if len(preview.unknown_units) > MAX_UNITS_PRINTED
            else ""
        )
        print(f"  不在团组织名单中：{shown}{more}（加 --create-units 可在导入时新建）")
    for error in preview.errors[:MAX_ERRORS_PRINTED]:
        print(f"  {error}")
    if len(preview.errors) > MAX_ERRORS_PRINTED:
        print(f"  ……另有 {len(preview.errors) - MAX_ERRORS_PRINTED} 条错误")


IMPORTS["volunteers"] = Kind(
    "导入志愿者名册 (.xlsx/.xls/.csv)", _roster_import_arguments, _run_import("volunteers")
)
IMPORTS["service-hours"] = Kind(
    "导入志愿服务时长 (.xlsx/.xls/.csv，导入后为待审核)",
    _hours_import_arguments,
    _run_import("service_records"),
)


# --- certificates -----------------------------------------------------------------------------


def _proof_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--volunteer",
        action="append",
        required=True,
        metavar="N",
        help="志愿者编号或身份证号（可重复或用逗号分隔，批量出具）",
    )
    parser.add_argument(
        "--from", dest="start", required=True, metavar="DATE", help="服务期间起，如 2026-01-01"
    )
    parser.add_argument("--to", dest="end", required=True, metavar="DATE", help="服务期间止")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    parser.add_argument("--mask-ids", action="store_true", help="证件号码中间打码")


def _run_proofs(args: argparse.Namespace) -> int:
    from desk_league.domain.dates import parse_date
    from desk_league.services import volunteers
    from desk_league.services.service_proofs import issue_service_proofs

    start, end = parse_date(args.start, field="--from"), parse_date(args.end, field="--to")
    keys = [
        key
        for value in args.volunteer
        for key in value.replace("，", ",").split(",")
        if key.strip()
    ]
    with opened(args, writing=True) as db, db.transaction() as session:
        ids = [volunteers.find_volunteer(session, key).id for key in keys]
        numbers = issue_service_proofs(session, ids, start, end, args.out, mask_ids=args.mask_ids)
    print(f"已出具志愿服务证明 {len(numbers)} 份（{'、'.join(numbers)}）：{args.out}")
    return 0


CERTIFICATES["service"] = Kind("志愿服务证明 PDF", _proof_arguments, _run_proofs)


# --- registers --------------------------------------------------------------------------------


def _roster_arguments(parser: argparse.ArgumentParser) -> None:
    order_argument(parser)
    parser.add_argument("--show-ids", action="store_true", help="显示完整身份证号（默认打码）")
    labels = "、".join(VolunteerStatus.labels().values())
    parser.add_argument(
        "--status", type=_volunteer_status, help=f"只导出该状态的志愿者（{labels}）"
    )


def _volunteer_status(text: str) -> VolunteerStatus:
    """``--status 在册`` or ``--status active``: the label the clerk reads or the code."""
    try:
        return VolunteerStatus.parse(text, field="--status")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


def _roster(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import volunteers
    from desk_league.services.listing import ListQuery

    query = ListQuery(filters={"status": args.status})
    with db.reading() as session:
        return volunteers.export_volunteer_roster(
            session, args.out, query, mask_ids=not args.show_ids, order=args.order
        )


def _hours(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import volunteers

    if not 2000 <= args.year <= date.today().year + 1:
        raise ValidationError(f"年度不合理：{args.year}", field="--year")
    with db.reading() as session:
        return volunteers.export_hours_statistics(session, args.out, args.year, order=args.order)


def _records(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import volunteers
    from desk_league.services.listing import ListQuery

    with db.reading() as session:
        return volunteers.export_service_records_register(
            session, args.out, ListQuery(filters={"year": args.year})
        )


EXPORTS["volunteers"] = ExportKind("志愿者花名册（身份证号默认打码）", _roster, _roster_arguments)
EXPORTS["hours"] = ExportKind(
    "志愿服务时长统计（按志愿者、按单位，--year 年度）", _hours, order_argument
)
EXPORTS["service-records"] = ExportKind("志愿服务记录明细（--year 年度）", _records)
