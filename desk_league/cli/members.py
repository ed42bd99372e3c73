"""团员 commands: ``import members|cadres|organisations``, ``export members|cadres|tuiyou`` and
``template KIND`` (a blank import template for every roster kind).

Importing this module adds its entries to the shared ``IMPORTS`` and ``EXPORTS`` registries;
``template`` is a command of its own (``register``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from desk_league.cli.core import Kind, add_database_options, opened
from desk_league.cli.export import EXPORTS, ExportKind, order_argument
from desk_league.cli.imports import IMPORTS
from desk_league.cli.volunteers import _import_arguments, _run_import
from desk_league.domain.codes import MemberStatus
from desk_league.errors import ValidationError

if TYPE_CHECKING:
    from desk_league.data.db import Database

# ``template KIND``: the CLI's kind names (as ``import`` spells them) → roster kinds
TEMPLATE_KINDS = {
    "volunteers": ("volunteers", "志愿者名册"),
    "service-hours": ("service_records", "志愿服务时长"),
    "members": ("members", "团员名册"),
    "cadres": ("cadres", "团干部名册"),
    "organisations": ("organisations", "团组织名单（团委、团总支、团支部及其上级）"),
}


def _people_import_arguments(parser: argparse.ArgumentParser) -> None:
    _import_arguments(parser)
    parser.add_argument(
        "--update-duplicates",
        action="store_true",
        help="已在名册中的（身份证号相同）：用文件中的信息更新（默认：跳过）",
    )
    parser.add_argument(
        "--create-units",
        action="store_true",
        help="团组织名单中没有的团组织：新建（按名称定类别，默认团支部；默认：作为错误）",
    )


def _organisation_import_arguments(parser: argparse.ArgumentParser) -> None:
    _import_arguments(parser)
    parser.add_argument(
        "--update-duplicates", action="store_true", help="已有的团组织：用文件中的信息更新"
    )


IMPORTS["members"] = Kind(
    "导入团员名册 (.xlsx/.xls/.csv；已登记的人员只增加团员身份)",
    _people_import_arguments,
    _run_import("members"),
)
IMPORTS["cadres"] = Kind(
    "导入团干部名册（每个职务一行）", _people_import_arguments, _run_import("cadres")
)
IMPORTS["organisations"] = Kind(
    "导入团组织名单（团委、团总支、团支部及上级组织）",
    _organisation_import_arguments,
    _run_import("organisations"),
)


# --- registers --------------------------------------------------------------------------------


def _show_ids(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--show-ids", action="store_true", help="显示完整身份证号（默认打码）")


def _member_arguments(parser: argparse.ArgumentParser) -> None:
    order_argument(parser)
    _show_ids(parser)
    labels = "、".join(MemberStatus.labels().values())
    parser.add_argument(
        "--status",
        type=_member_status,
        default=MemberStatus.ACTIVE,
        help=f"只导出该状态的团员（{labels}；默认在团；all 为全部）",
    )


def _member_status(text: str) -> MemberStatus | None:
    if text.strip().lower() in ("all", "全部"):
        return None
    try:
        return MemberStatus.parse(text, field="--status")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


def _members(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import members
    from desk_league.services.listing import ListQuery

    with db.reading() as session:
        return members.export_member_register(
            session,
            args.out,
            ListQuery(filters={"status": args.status}),
            mask_ids=not args.show_ids,
            order=args.order,
        )


def _cadres(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import members

    with db.reading() as session:
        return members.export_cadre_register(session, args.out, mask_ids=not args.show_ids)


def _tuiyou_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all-years", action="store_true", help="导出全部年度（默认：--year 年度）"
    )


def _tuiyou(db: Database, args: argparse.Namespace) -> Path:
    from desk_league.services import recommendations

    with db.reading() as session:
        return recommendations.export_recommendation_register(
            session, args.out, year=None if getattr(args, "all_years", False) else args.year
        )


EXPORTS["members"] = ExportKind(
    "团员名册（默认在团团员，身份证号打码；--show-ids 可再导入）", _members, _member_arguments
)
EXPORTS["cadres"] = ExportKind("团干部名册（现任团内职务）", _cadres, _show_ids)
EXPORTS["tuiyou"] = ExportKind("推优入党推荐对象名册（--year 年度）", _tuiyou, _tuiyou_arguments)


# --- template ---------------------------------------------------------------------------------


def register(commands) -> None:
    parser = commands.add_parser(
        "template", help="导入模板：空白 Excel，含下拉列表 (blank import template)"
    )
    kinds = parser.add_subparsers(title="kinds", metavar="KIND", required=True)
    for name, (_kind, title) in TEMPLATE_KINDS.items():
        sub = kinds.add_parser(name, help=title, description=f"{title}的导入模板")
        add_database_options(sub)
        sub.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
        sub.set_defaults(handler=_run_template, template_kind=name)


def _run_template(args: argparse.Namespace) -> int:
    from desk_league.services.templates import write_template

    kind, title = TEMPLATE_KINDS[args.template_kind]
    with opened(args) as db, db.reading() as session:
        path = write_template(session, kind, args.out)
    print(f"已生成{title}导入模板：{path}")
    return 0
