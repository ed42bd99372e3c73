"""The database's own rules, when a save breaks one, in the clerk's words.

The services check every rule first and say what is wrong; these messages are for the moment
two PCs save at once and the database, not the service, sees the clash (the second nomination
of the same person, a number just taken). ``unique_violation`` names the clash the same way on
SQLite and PostgreSQL — (table, columns) — so a service can retry a generated number.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from desk_league.errors import Conflict

Clash = tuple[str, tuple[str, ...]]
VOLUNTEER_NUMBER: Clash = ("volunteer", ("number",))  # a drawn 志愿者编号 another PC just took

_JUST_NOW = "（可能是其他电脑刚刚保存的）"
_NOMINATED = f"该对象已被推荐为这一荣誉{_JUST_NOW}，不能重复推荐。"
MESSAGES: dict[Clash, str] = {
    ("nomination", ("commendation_id", "honour_type_id", "person_id")): _NOMINATED,
    ("nomination", ("commendation_id", "honour_type_id", "organisation_id")): _NOMINATED,
    ("nomination", ("commendation_id", "honour_type_id", "collective_name")): _NOMINATED,
    ("person", ("id_number",)): f"这个证件号码已经登记{_JUST_NOW}，不能重复登记。",
    ("volunteer", ("person_id",)): f"此人已是注册志愿者{_JUST_NOW}。",
    ("volunteer", ("number",)): f"这个志愿者编号已被使用{_JUST_NOW}，请换一个编号。",
    ("league_member", ("person_id",)): f"此人已在团员名册中{_JUST_NOW}。",
    ("league_member", ("number",)): f"这个团员编号已被使用{_JUST_NOW}，请换一个编号。",
    ("honour", ("certificate_number",)): f"这个证书编号已被使用{_JUST_NOW}，请换一个编号。",
    ("service_certificate", ("number",)): f"这个证明编号已被使用{_JUST_NOW}。",
    ("service_certificate", ("year", "seq")): f"这个证明编号已被使用{_JUST_NOW}。",
    ("honour_type", ("name",)): f"已有同名的荣誉类型{_JUST_NOW}。",
    ("commendation_quota", ("commendation_id", "honour_type_id", "organisation_id")): (
        f"这项名额已经设置{_JUST_NOW}，请重新打开后修改。"
    ),
}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
_POSTGRES_KEY = re.compile(r"Key \((.+?)\)=")


def unique_violation(exc: IntegrityError) -> Clash | None:
    """(table, columns) of the unique rule ``exc`` broke; None for another error."""
    orig = exc.orig
    found = _SQLITE_UNIQUE.search(str(orig))
    if found:
        parts = [p.strip().split(".", 1) for p in found[1].split(",")]
        return parts[0][0], tuple(p[-1] for p in parts)
    diag = getattr(orig, "diag", None)
    if _sqlstate(orig) == "23505" and diag is not None:
        key = _POSTGRES_KEY.search(diag.message_detail or "")
        columns = tuple(c.strip().strip('"') for c in key[1].split(",")) if key else ()
        return str(diag.table_name or ""), columns
    return None


def clash(exc: IntegrityError) -> Conflict | None:
    """The Conflict to tell the clerk; None for a broken rule that only a bug could break."""
    unique = unique_violation(exc)
    if unique is not None:
        said = MESSAGES.get(unique, f"要保存的内容与已有记录重复{_JUST_NOW}。")
        return Conflict(f"保存时发生冲突，没有保存：{said}")
    if _sqlstate(exc.orig) == "23503" or "FOREIGN KEY constraint failed" in str(exc.orig):
        deleted = _JUST_NOW.replace("保存", "删除")
        return Conflict(f"保存时发生冲突，没有保存：要保存的内容引用的记录已不存在{deleted}。")
    return None


def _sqlstate(orig: object) -> str:
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
