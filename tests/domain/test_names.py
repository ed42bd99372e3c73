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


def _keys_in_a_fresh_process(names: list[str], full_pypinyin_first: bool) -> tuple[list, bool]:
    """(pinyin keys of ``names``, whether pypinyin's phrase dictionary was loaded)."""
    import json
    import os
    import subprocess
    import sys

    program = (
        "import json, sys\n"
        + ("import pypinyin\n" if full_pypinyin_first else "")
        + "from desk_league.domain.names import PINYIN, STROKES, name_key\n"
        "keys = [[name_key(n, PINYIN), name_key(n, STROKES)] for n in json.loads(sys.argv[1])]\n"
        "from pypinyin.constants import PHRASES_DICT\n"
        "print(json.dumps([keys, bool(PHRASES_DICT)]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}
    out = subprocess.run(
        [sys.executable, "-c", program, json.dumps(names)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    keys, phrases = json.loads(out.stdout)
    return keys, phrases


def test_name_keys_are_the_same_without_pypinyins_phrase_dictionary():
    """The keys leave pypinyin's phrase dictionary out (its import is then 0.3 s shorter): a
    name is read character by character, so 张乐 keeps 乐 lè, 单 dān, 曾 céng either way."""
    names = [
        "张乐",
        "单雄",
        "曾国",
        "仇英",
        "区华",
        "解放",
        "查理",
        "朴正",
        "长重",
        "万俟",
        "尉迟恭",
    ]
    names += ["欧阳娜娜", "𠮷祥", "龑", "艾青", "白云", "蔡明", "阿卜杜热西提·买买提", "Li Na"]

    light, light_phrases = _keys_in_a_fresh_process(names, full_pypinyin_first=False)
    full, full_phrases = _keys_in_a_fresh_process(names, full_pypinyin_first=True)

    assert not light_phrases and full_phrases  # the two processes read differently loaded
    assert light == full
