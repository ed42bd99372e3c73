"""Office settings kept in the database (they travel with it): name, seal, thresholds, terms."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from desk_league.data.models import Setting

DEFAULTS: dict[str, Any] = {
    "office_name": "市卫生健康委团委",
    "office_short_name": "市直卫生系统团委",
    "star_thresholds": [100, 300, 600, 1000, 1500],
    # 团章 allows a range; the office chooses. Years per organisation kind.
    "term_years": {"团委": 3, "团总支": 2, "团支部": 2},
    # the activity ledger's categories; the office may add its own
    "activity_categories": ["主题教育", "青年文明号", "志愿服务", "组织建设", "文体活动", "技能竞赛",
                            "培训", "宣传信息", "其他"],
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

