"""A register the way the volunteer-service export builds one."""

from __future__ import annotations

import datetime as dt

import pytest

from desk_league.exports.register import Column, Register

from ._helpers import ID_NUMBER


@pytest.fixture
def columns() -> list[Column]:
    return [
        Column("no", "序号", 6, "int"),
        Column("name", "姓名", 10),
        Column("branch", "所在团支部", 24),
        Column("id_number", "身份证号", 22, "id_number"),
        Column("phone", "联系电话", 15, "phone"),
        Column("joined", "入团时间", 12, "date"),
        Column("hours", "服务时长", 10, "hours", total=True),
        Column("events", "参加活动次数", 10, "int", total=True),
    ]


@pytest.fixture
def register(columns: list[Column]) -> Register:
    return Register(
        title="市直卫生系统团员志愿服务情况表",
        columns=columns,
        office="填报单位：市卫生健康委团委",
        date=dt.date(2026, 11, 26),
    )


@pytest.fixture
def rows() -> list[dict]:
    return [
        {
            "no": 1,
            "name": "张晓燕",
            "branch": "市第一人民医院团委",
            "id_number": ID_NUMBER,
            "phone": "13800138000",
            "joined": dt.date(2010, 5, 4),
            "hours": 12.5,
            "events": 3,
        },
        {
            "no": 2,
            "name": "李明",
            "branch": "市疾控中心团支部",
            "id_number": "11010519950101002X",
            "phone": "0571-87654321",
            "joined": dt.date(2012, 5, 4),
            "hours": 0.3,
            "events": 1,
        },
    ]
