"""Honour rules with no I/O: eligibility checklists, certificate numbers and their check code.

Eligibility rules are warnings, never refusals: the committee decides. Each honour type keeps
its rules as a small dict (``HonourType.rules``), e.g. the national defaults for 优秀共青团员::

    {"max_age": 28, "min_member_years": 3, "min_hours": 20, "league_member": True}

A batch may set its own rules per honour type (``Commendation.rules``), since each year's notice
may differ; the type's rules are the default.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from desk_league.domain.codes import MemberStatus, PoliticalStatus, ReviewKind, VolunteerStatus
from desk_league.domain.dates import age_on
from desk_league.errors import ValidationError

# The rule keys an office can set, with the words the clerk sees in the type editor.
RULE_LABELS = {
    "max_age": "年龄上限（未满，周岁）",
    "min_member_years": "最少团龄（年）",
    "volunteer": "须为注册志愿者",
    "min_hours": "本年度最少志愿服务时长（小时）",
    "league_member": "须为共青团员（不含保留团籍的党员）",
    "holds_post": "须现任团内职务",
}
FLAG_RULES = ("volunteer", "league_member", "holds_post")  # yes/no rules; the rest are numbers

YOUTH_CIVILIZATION = "青年文明号"  # the honour type under 动态管理 (reviews, stars, sanctions)
STAR_WORDS = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}
# 年审 every year; 复核 at the end of each creation cycle (a passed one starts the next cycle).
# Only these two have a result (合格 / 不合格); a star change or a sanction has a reason.
REVIEW_RESULT_KINDS = (ReviewKind.ANNUAL, ReviewKind.CYCLE)


@dataclass(frozen=True)
class NomineeFacts:
    """What the checks need to know about one nominee, gathered by the service."""

    birth_date: date | None
    league_joined_on: date | None
    volunteer_status: str | None  # VolunteerStatus, None: not a registered volunteer
    hours_in_year: float
    political_status: str = ""  # PoliticalStatus
    member_status: str | None = None  # MemberStatus, None: not on the member register
    posts: tuple[str, ...] = ()  # the 团内职务 held on the reference day, as the clerk reads them


@dataclass(frozen=True)
class Check:
    """One line of a nominee's checklist. ``passed`` is None when the data is missing."""

    label: str
    passed: bool | None
    detail: str

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "?"}[self.passed]


def check_eligibility(
    rules: dict, facts: NomineeFacts, reference_date: date, year: int
) -> list[Check]:
    """The checklist for one personal nominee against the honour type's rules."""
    checks: list[Check] = []
    max_age = rules.get("max_age")
    if max_age:
        label = f"未满{max_age}周岁（{reference_date:%Y-%m-%d}）"
        if facts.birth_date is None:
            checks.append(Check(label, None, "未填写出生日期"))
        else:
            age = age_on(facts.birth_date, reference_date)
            checks.append(Check(label, age < max_age, f"{age}周岁"))
    min_years = rules.get("min_member_years")
    if min_years:
        label = f"团龄满{min_years}年"
        if facts.league_joined_on is None:
            checks.append(Check(label, None, "未填写入团时间"))
        else:
            years = age_on(facts.league_joined_on, reference_date)
            checks.append(
                Check(
                    label, years >= min_years, f"{facts.league_joined_on:%Y-%m-%d}入团，{years}年"
                )
            )
    min_hours = rules.get("min_hours")
    if rules.get("volunteer") or min_hours:
        active = VolunteerStatus.ACTIVE
        registered = facts.volunteer_status == active
        detail = (
            "未注册"
            if facts.volunteer_status is None
            else VolunteerStatus.label_of(facts.volunteer_status)
        )
        checks.append(Check(f"注册志愿者（{active.label}）", registered, detail))
    if min_hours:
        checks.append(
            Check(
                f"{year}年志愿服务满{min_hours:g}小时（已审核）",
                facts.hours_in_year >= min_hours,
                f"{facts.hours_in_year:g}小时",
            )
        )
    if rules.get("league_member"):
        checks.append(_league_member_check(facts))
    if rules.get("holds_post"):
        held = "、".join(facts.posts)
        checks.append(Check("现任团内职务", bool(facts.posts), held or "无"))
    return checks


def _league_member_check(facts: NomineeFacts) -> Check:
    label = "共青团员（不含保留团籍的党员）"
    if facts.member_status != MemberStatus.ACTIVE:
        shown = "不在团员名册中" if facts.member_status is None else "已离团"
        return Check(label, False, shown)
    if not facts.political_status:
        return Check(label, None, "未填写政治面貌")
    status = PoliticalStatus.label_of(facts.political_status)
    if facts.political_status != PoliticalStatus.LEAGUE_MEMBER:
        return Check(label, False, f"{status}（保留团籍）")
    return Check(label, True, status)


def checklist_summary(checks: list[Check]) -> str:
    """One cell of the nominations list: 符合 / 2项不符 / 1项待核."""
    if not checks:
        return "无条件"
    failed = sum(1 for c in checks if c.passed is False)
    unknown = sum(1 for c in checks if c.passed is None)
    if failed:
        return f"{failed}项不符"
    if unknown:
        return f"{unknown}项待核"
    return "符合"


def clean_rules(rules: dict) -> dict:
    """Rules as saved: only known keys, positive numbers, no empty entries."""
    cleaned: dict = {}
    for key, value in rules.items():
        if key not in RULE_LABELS:
            raise ValidationError(f"未知的资格条件：{key}", field="资格条件")
        if key in FLAG_RULES:
            if value:
                cleaned[key] = True
            continue
        if value in (None, "", 0):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError(f"应为数字：{value}", field=RULE_LABELS[key]) from None
        if number < 0:
            raise ValidationError("不能为负数。", field=RULE_LABELS[key])
        cleaned[key] = int(number) if number.is_integer() else number
    return cleaned


# --- certificate numbers (their pattern: domain/numbering.py) ---------------------------


def certificate_check_code(number: str) -> str:
    """A short check code printed in the QR code, so a forged or mistyped number shows."""
    return hashlib.sha256(f"desk-league:{number}".encode()).hexdigest()[:8].upper()


def certificate_qr_payload(number: str) -> str:
    return f"荣誉证书 {number} {certificate_check_code(number)}"


def verify_qr_payload(payload: str) -> str | None:
    """The certificate number a scanned payload carries, or None if its check code is wrong."""
    parts = payload.split()
    if len(parts) != 3 or certificate_check_code(parts[1]) != parts[2]:
        return None
    return parts[1]


# --- the wording of a certificate ---------------------------------------------------------

_YEAR_PREFIX = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年度?")
# where a batch title's scope ends: 2025年度市直卫生系统|共青团先进集体和先进个人
_SCOPE_END = re.compile(r"(共青团|先进|优秀|表彰|五四|青年|志愿|团员|团干部|团组织)")


def commendation_scope(batch_title: str) -> str:
    """The body a batch honours within, read from its title: 市直卫生系统 out of
    “2025年度市直卫生系统共青团先进集体和先进个人”; "" when the title does not say."""
    rest = re.sub(r"^\s*(关于)?\s*(表彰|命名)?", "", batch_title or "", count=1)
    rest = _YEAR_PREFIX.sub("", rest, count=1)
    match = _SCOPE_END.search(rest)
    scope = rest[: match.start()] if match else ""
    return scope.strip(" ，,、")


def full_honour_title(year: int | None, scope: str, title: str) -> str:
    """被评为 what: 2025年度市直卫生系统优秀共青团员 (the year and the scope only once)."""
    title = title.strip()
    if _YEAR_PREFIX.match(title):
        return title
    if scope and not title.startswith(scope):
        title = scope + title
    return f"{year}年度{title}" if year else title
