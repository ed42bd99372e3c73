"""姓氏笔画 and 拼音 order of names on official lists."""

from __future__ import annotations

import pytest

from desk_league.domain.names import PINYIN, STROKES, name_key, sort_by_name, stroke_count


def test_surnames_go_by_their_stroke_counts():
    assert [stroke_count(c) for c in "王刘张"] == [4, 6, 7]
    assert sort_by_name(["张伟", "刘洋", "王芳"], STROKES, str) == ["王芳", "刘洋", "张伟"]


def test_the_same_surname_stays_together_then_the_given_name_decides():
    names = ["王小明", "方芳", "王二", "王一丁", "方正"]  # 王 and 方 both have 4 strokes

    ordered = sort_by_name(names, STROKES, str)

    assert ordered[:2] == ["方正", "方芳"]  # 正 5 strokes before 芳 7
    assert ordered[2:] == ["王一丁", "王二", "王小明"]  # 一 1, 二 2, 小 3


def test_pinyin_order_is_alphabetical_not_code_point():
    assert sort_by_name(["蔡明", "艾青", "白云"], PINYIN, str) == ["艾青", "白云", "蔡明"]
    assert sorted(["蔡明", "艾青", "白云"]) != ["艾青", "白云", "蔡明"]  # code point would not


def test_rare_characters_and_compound_surnames_have_keys():
    assert stroke_count("𠮷") == 6 and stroke_count("䶮") == 9
    assert sort_by_name(["欧阳娜娜", "𠮷祥", "龑"], STROKES, str) == ["𠮷祥", "欧阳娜娜", "龑"]


@pytest.mark.parametrize("order", [STROKES, PINYIN])
def test_keys_are_plain_ascii_so_any_database_sorts_them_alike(order):
    key = name_key("阿卜杜热西提·买买提", order)

    assert key.isascii() and key == key.lower() and key.isalnum()
    assert len(name_key("王", order)) * 8 == len(key)  # eight characters take part
