"""Time words as plans write them, and words that only look like dates."""

from __future__ import annotations

import pytest

from desk_league.domain.time_words import find_time


@pytest.mark.parametrize(
    ("text", "node", "calendar", "month", "day", "key_day"),
    [
        ("3月5日开展义诊", "3月5日", "solar", 3, 5, True),
        ("在“3.5青年志愿者服务日”前后，组织开展", "3.5青年志愿者服务日前后", "solar", 3, 5, True),
        ("“12。5国际志愿者日”前后，开展宣传", "12.5国际志愿者日前后", "solar", 12, 5, True),
        ("“五四”前后，对先进团组织进行表彰", "五四前后", "solar", 5, 4, True),
        ("在植树节期间，开展植绿护绿", "植树节期间", "solar", 3, 12, True),
        ("重阳节慰问退休职工", "重阳节", "lunar", 9, 9, True),
        ("在九九老人节期间，开展敬老服务", "九九老人节期间", "lunar", 9, 9, True),
        ("春节前走访困难青年", "春节前", "lunar", 1, 1, True),
        ("2027年5月4日召开表彰大会", "2027年5月4日", "solar", 5, 4, False),
        ("上半年完成换届", "上半年", "solar", 6, 30, False),
        ("第三季度举办技能比武", "第三季度", "solar", 9, 30, False),
        ("全年开展健康教育", "全年", "solar", 12, 31, False),
        ("11月中旬举办联谊", "11月中旬", "solar", 11, 20, False),
        ("十二月底前报送总结", "十二月底", "solar", 12, 31, False),
    ],
)
def test_time_words_say_their_day(text, node, calendar, month, day, key_day):
    hint = find_time(text)
    assert (hint.text, hint.calendar, hint.month, hint.day, hint.is_key_day) == (
        node,
        calendar,
        month,
        day,
        key_day,
    )


@pytest.mark.parametrize(
    "text",
    [
        "深入开展争创“五四红旗团委”活动",
        "每次服务2.5小时",
        "选拔节目参加第十一届青年文化艺术节",
        "参学率不低于90%",
        "加强团员教育管理",
        "营造风清气正、政治清明的良好政治生态",
    ],
)
def test_words_that_only_look_like_dates_are_not_time(text):
    assert find_time(text) is None


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("清明节组织团员祭扫烈士陵园", "清明节"),
        ("清明前后开展网上祭英烈", "清明前后"),
        ("开展清明祭英烈活动", "清明"),
        ("清明，组织团员祭扫", "清明"),
        ("在清明期间开展文明祭扫宣传", "清明期间"),
    ],
)
def test_qingming_is_a_day_without_a_date_when_it_names_the_day(text, node):
    hint = find_time(text)
    assert (hint.text, hint.month, hint.day) == (node, None, None)


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("国庆节中秋节期间开展慰问", "国庆节"),
        ("12月5日中午开展国际志愿者日活动", "12月5日"),
        ("3月5日前往社区开展义诊", "3月5日"),
        ("重阳节后勤保障到位", "重阳节"),
        ("6月1日前报送材料", "6月1日前"),
        ("12月5日后，开展总结", "12月5日后"),
        ("五四前开展表彰", "五四前"),
    ],
)
def test_before_after_or_during_belongs_to_the_day_only_where_its_phrase_ends(text, node):
    assert find_time(text).text == node
