"""Office settings kept in the database (they travel with it): name, seal, thresholds, terms."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from desk_league.data.models import Setting
from desk_league.domain.codes import OrgKind
from desk_league.domain.league import STUDENT_BRANCH
from desk_league.domain.numbering import check_number_pattern, format_number
from desk_league.errors import ValidationError

DEFAULTS: dict[str, Any] = {
    "office_name": "市卫生健康委团委",
    "office_short_name": "市直卫生系统团委",
    "star_thresholds": [100, 300, 600, 1000, 1500],
    # 团章 allows a range (domain/league.py); the office chooses. Years per organisation kind.
    "term_years": {
        OrgKind.COUNCIL: 3,
        OrgKind.GENERAL: 2,
        OrgKind.BRANCH: 2,
        STUDENT_BRANCH: 1,
    },
    "term_year_ranges": {},  # the office's own ranges per kind; empty: the 团章's
    # a registered volunteer serves at least this much a year; fewer hours are listed
    "volunteer_min_yearly_hours": 20,
    # the activity ledger's categories; the office may add its own
    "activity_categories": [
        "主题教育",
        "青年文明号",
        "志愿服务",
        "组织建设",
        "文体活动",
        "技能竞赛",
        "培训",
        "宣传信息",
        "其他",
    ],
    "volunteer_number_pattern": "WJ{year}{seq:05d}",
    "certificate_number_pattern": "{year}-{seq:03d}",
    "service_proof_pattern": "志证〔{year}〕{seq:04d}号",
    # 志愿服务证明: who signs it and whom to call; the teams offered in the volunteer form.
    "service_proof_signer": "",
    "service_proof_handler": "",
    "service_proof_contact": "",
    "volunteer_teams": ["卫生下乡", "无偿献血", "健康教育", "卫生应急"],
    "honour_review_cycle_years": 2,
    "seal_image": "",
    "form_filler": "",
    "form_reviewer": "",
    "year_end_summary_drafts": {},  # {"2026": "the clerk's edited 年度工作总结"}
    "first_start_done": False,  # the 首次使用 setup was finished or skipped
}


def get_setting(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    if key not in DEFAULTS:
        raise KeyError(key)
    return DEFAULTS[key]


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


# --- the office's own settings (工具 → 单位与编号设置) ----------------------------------------------

NUMBER_PATTERN_LABELS = {
    "volunteer_number_pattern": "志愿者编号格式",
    "certificate_number_pattern": "荣誉证书编号格式",
    "service_proof_pattern": "志愿服务证明编号格式",
}
REVIEW_CYCLE_RANGE = (1, 5)  # years between 青年文明号 复核


@dataclass(frozen=True)
class Numbering:
    """One of the office's numbering patterns, read once and used for a whole batch."""

    pattern: str
    field: str  # its name on the settings form, for the message when the pattern is broken

    def number(self, year: int, seq: int) -> str:
        """The ``seq``-th number of ``year``."""
        return format_number(self.pattern, year, seq, field=self.field)

    def prefix(self, year: int) -> str:
        """What every number of ``year`` starts with (the part before ``{seq}``)."""
        return self.pattern.split("{seq", 1)[0].format(year=year)


def numbering(session: Session, pattern_key: str) -> Numbering:
    return Numbering(str(get_setting(session, pattern_key)), NUMBER_PATTERN_LABELS[pattern_key])


@dataclass
class OfficeSettings:
    """Who the office is and how it numbers things; printed on every register and certificate."""

    office_name: str  # 填报单位 on registers, issuer of proofs and certificates
    office_short_name: str  # in plan titles: 市直卫生系统团委2026年工作计划
    form_filler: str  # 填表人 under every register ("" = a blank to sign by hand)
    form_reviewer: str  # 审核人
    volunteer_number_pattern: str
    certificate_number_pattern: str
    service_proof_pattern: str
    honour_review_cycle_years: int


def office_settings(session: Session) -> OfficeSettings:
    return OfficeSettings(**{f.name: get_setting(session, f.name) for f in fields(OfficeSettings)})


def save_office_settings(session: Session, chosen: OfficeSettings) -> None:
    """Save after checking every value; a refused value names its field and nothing is saved."""
    for key, label in (("office_name", "单位名称"), ("office_short_name", "单位简称")):
        if not getattr(chosen, key).strip():
            raise ValidationError("不能为空：它印在每一张登记表和证书上。", field=label)
    values = {f.name: getattr(chosen, f.name) for f in fields(OfficeSettings)}
    for key, label in NUMBER_PATTERN_LABELS.items():
        values[key] = check_number_pattern(values[key], field=label)
    low, high = REVIEW_CYCLE_RANGE
    if not low <= int(chosen.honour_review_cycle_years) <= high:
        raise ValidationError(f"创建周期应为{low}到{high}年。", field="青年文明号创建周期")
    for key, value in values.items():
        set_setting(session, key, value.strip() if isinstance(value, str) else int(value))
