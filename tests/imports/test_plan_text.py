"""Reading a plan pasted as text: the seed plan, every numbering style, and bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desk_league.errors import ValidationError
from desk_league.imports.plan_text import (
    chinese_to_int,
    parse_plan_text,
    read_plan_file,
    renumber,
)

SEED = Path(__file__).parents[1] / "data" / "seed_plan.txt"


@pytest.fixture(scope="module")
def seed():
    return parse_plan_text(SEED.read_text(encoding="utf-8"))


def test_seed_title_and_approach(seed):
    assert seed.title == "卫生局团委的工作计划"
    assert seed.approach.startswith("20xx年市直卫生系统共青团工作的总体思路是")
    for phrase in ("一个中心", "两个载体", "两个重点", "夯实两个基础", "一个目标"):
        assert phrase in seed.approach


def test_seed_has_its_five_sections_with_their_bodies(seed):
    chinese = [item for item in seed.items if item.style == "chinese"]
    assert [(s.number, s.title) for s in chinese] == [
        ("一、", "继续巩固团员青年思想道德基础"),
        ("二、", "全面深化青年文明号创建活动"),
        ("三、", "积极推进青年志愿服务工作"),
        ("四、", "不断完善团的组织建设"),
        ("五、", "切实加强卫生青年文化建设"),
    ]
    assert all(s.kind == "section" and s.level == 1 for s in chinese)
    assert "演讲比赛" in chinese[0].body
    assert "卫生下乡、无偿献血" in chinese[2].body
    assert "团内信息报送" in chinese[4].body


def test_seed_parts_first_to_fifth_stand_beside_the_sections(seed):
    parts = [item for item in seed.items if item.style == "part"]
    assert [p.number for p in parts] == ["第一,", "第二,", "第三,", "第四,", "第五,"]
    assert [p.title for p in parts] == [
        "确立“一个目标”",
        "加强“五个结合”",
        "推动“四个转变”",
        "体现“六个思路”",
        "突出“十项工作”",
    ]
    assert parts[0].body.startswith("争当“共青团科学发展的试验市”")
    assert all(p.guesses for p in parts), "the preview must show this placement was inferred"


def test_seed_ten_key_tasks_are_tasks_under_the_fifth_part(seed):
    fifth = seed.items[-1]
    assert fifth.number == "第五,"
    tasks = fifth.children
    assert [t.number for t in tasks] == [f"{n}、" for n in range(1, 11)]
    assert all(t.kind == "task" and t.level == 2 for t in tasks)
    assert tasks[0].title == "继续把团建创新作为重点抓好"
    assert tasks[0].body.startswith("尤其重视分类引导")
    assert tasks[7].title == "加强全团作风建设,打造学习型、务实型、创新型工作队伍"
    assert seed.count("task") == 10


def test_seed_lines_before_the_approach_are_reported_not_dropped(seed):
    assert any("时间:2021-08-31" in w for w in seed.warnings)
    assert any("篇一" in w for w in seed.warnings)


@pytest.mark.parametrize(
    ("line", "number", "title", "body"),
    [
        ("一、思想引领", "一、", "思想引领", ""),
        ("十二、其他工作", "十二、", "其他工作", ""),
        ("(一)青年文明号", "(一)", "青年文明号", ""),
        ("（二）青年岗位能手", "（二）", "青年岗位能手", ""),
        ("1、团干部培训", "1、", "团干部培训", ""),
        ("2.技能比武", "2.", "技能比武", ""),
        ("3．演讲比赛", "3．", "演讲比赛", ""),
        ("(1)报名", "(1)", "报名", ""),
        ("（2）初赛", "（2）", "初赛", ""),
        ("①宣传发动", "①", "宣传发动", ""),
        ("第一，确立目标：争当试验市", "第一，", "确立目标", "争当试验市"),
        ("第二部分 重点工作", "第二部分", "重点工作", ""),
        ("- 植树节志愿活动", "-", "植树节志愿活动", ""),
        ("**一、组织建设**督促各支部按时换届。", "一、", "组织建设", "督促各支部按时换届。"),
        ("一、组织建设。督促各支部按时换届。", "一、", "组织建设", "督促各支部按时换届。"),
    ],
)
def test_each_numbering_style_is_recognised(line, number, title, body):
    plan = parse_plan_text(f"计划\n{line}")
    item = plan.items[0]
    assert (item.number, item.title, item.body) == (number, title, body)


def test_mixed_styles_nest_by_their_rank():
    text = """2026年团委工作计划
一、思想引领
（一）主题教育
1.五四主题演讲
(1)初赛
①报名
2.国旗下的讲话
（二）学习型团组织
二、组织建设
1、按时换届
"""
    plan = parse_plan_text(text)
    first, second = plan.items
    assert [c.title for c in first.children] == ["主题教育", "学习型团组织"]
    speech = first.children[0].children[0]
    assert speech.title == "五四主题演讲" and speech.level == 3
    assert speech.children[0].children[0].title == "报名"
    assert speech.children[0].children[0].level == 5
    assert first.children[0].kind == "section" and speech.kind == "section"
    assert first.children[0].children[1].kind == "task"
    assert [c.title for c in second.children] == ["按时换届"]


def test_blank_lines_and_full_width_punctuation_change_nothing():
    tight = parse_plan_text("计划\n一、思想引领\n(一)主题教育\n1.演讲比赛:五四前\n")
    loose = parse_plan_text(
        "\n\n计划\n\n\n　　一、思想引领\n\n　（一）主题教育\n\n1．演讲比赛：五四前\n\n"
    )

    def shape(plan):
        return [(i.level, i.title, i.body) for i in plan.all_items()]

    assert (
        shape(tight)
        == shape(loose)
        == [
            (1, "思想引领", ""),
            (2, "主题教育", ""),
            (3, "演讲比赛", "五四前"),
        ]
    )


def test_lines_without_a_number_join_the_body_above():
    plan = parse_plan_text("计划\n一、志愿服务\n3.5学雷锋日集中服务。\n12.5国际志愿者日宣传。\n")
    section = plan.items[0]
    assert section.children == []
    assert section.body == "3.5学雷锋日集中服务。\n12.5国际志愿者日宣传。"


def test_a_gap_in_numbering_is_marked_as_a_guess():
    plan = parse_plan_text("计划\n一、甲\n三、乙\n")
    assert plan.items[1].guesses == ["编号不连续，前一项为“一、”"]


def test_a_long_heading_sentence_is_cut_at_its_first_comma_and_marked():
    plan = parse_plan_text("计划\n1、" + "加强青年就业创业工作" * 5 + "，切实服务青年职业成长。")
    item = plan.items[0]
    assert item.title == "加强青年就业创业工作" * 5
    assert item.body == "切实服务青年职业成长。"
    assert item.guesses


def test_without_approach_words_the_opening_text_becomes_the_approach():
    plan = parse_plan_text("2026年计划\n今年工作以服务青年为主线。\n一、甲\n")
    assert plan.approach == "今年工作以服务青年为主线。"
    assert plan.warnings


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "只是一段没有编号的文字。\n另一段。", "\x00\x01\x02 %%% ###", "一、\n二、"],
)
def test_empty_or_garbage_input_is_refused_with_a_clear_message(text):
    with pytest.raises(ValidationError) as caught:
        parse_plan_text(text)
    assert "文本为空" in str(caught.value) or "没有识别出任何带编号的标题" in str(caught.value)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一〇", 10)],
)
def test_chinese_numerals(numeral, value):
    assert chinese_to_int(numeral) == value


@pytest.mark.parametrize(
    ("number", "n", "expected"),
    [
        ("一、", 3, "三、"),
        ("（一）", 11, "（十一）"),
        ("1、", 12, "12、"),
        ("第一，", 2, "第二，"),
        ("①", 4, "④"),
    ],
)
def test_renumber_keeps_the_style(number, n, expected):
    assert renumber(number, n) == expected


def test_a_notepad_file_saved_as_gbk_is_read(tmp_path):
    path = tmp_path / "计划.txt"
    path.write_bytes("团委计划\n一、思想引领\n".encode("gbk"))
    assert parse_plan_text(read_plan_file(path)).items[0].title == "思想引领"


def test_a_word_document_is_read_paragraph_by_paragraph(tmp_path):
    path = tmp_path / "计划.docx"
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for text in ("团委计划", "一、思想", "1、演讲比赛")
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        )
    plan = parse_plan_text(read_plan_file(path))
    assert plan.items[0].children[0].title == "演讲比赛"


def test_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(ValidationError, match="找不到文件"):
        read_plan_file(tmp_path / "没有.txt")


def test_a_title_broken_over_two_lines_is_one_title_with_its_year():
    plan = parse_plan_text(
        "市人民医院团委\n2026年工作计划\n为做好今年的工作，制定本计划。\n一、思想引领\n"
    )
    assert plan.title == "市人民医院团委2026年工作计划"
    assert plan.year == 2026
    assert plan.approach == "为做好今年的工作，制定本计划。"


def test_a_one_line_title_does_not_swallow_the_short_line_below_it():
    plan = parse_plan_text("2026年团委工作计划\n时间：2026年1月\n一、思想引领\n")
    assert plan.title == "2026年团委工作计划"
    plan = parse_plan_text("市人民医院团委\n全年工作围绕中心\n一、思想引领\n")
    assert plan.title == "市人民医院团委"


def test_a_bold_title_pasted_with_the_opening_sentence_keeps_them_apart():
    plan = parse_plan_text(
        "**2026年市第一人民医院团委工作计划** 为进一步加强医院共青团工作，特制定本计划。"
        "**一、思想引领** 每月组织团员开展一次集中学习。"
    )
    assert plan.title == "2026年市第一人民医院团委工作计划"
    assert plan.approach == "为进一步加强医院共青团工作，特制定本计划。"
    assert [item.title for item in plan.items] == ["思想引领"]


NOTICE = """共青团市卫生健康委员会委员会关于印发
《2027年全市卫生健康系统共青团工作要点》的通知
各直属单位团组织：
现将《2027年全市卫生健康系统共青团工作要点》印发给你们，请认真贯彻落实。
共青团市卫生健康委员会委员会
2027年2月10日
2027年全市卫生健康系统共青团工作要点
2027年全系统共青团工作要紧扣健康中国建设。
一、突出思想引领
"""


def test_a_plan_sent_out_with_a_notice_takes_the_documents_name_as_its_title():
    plan = parse_plan_text(NOTICE)
    assert (plan.title, plan.year) == ("2027年全市卫生健康系统共青团工作要点", 2027)
    assert plan.approach == "2027年全系统共青团工作要紧扣健康中国建设。"
    notice_text = "\n".join(plan.warnings)
    assert "各直属单位团组织：" in notice_text
    assert "印发给你们" in notice_text
    assert "2027年2月10日" in notice_text


def test_a_numbered_guiding_section_is_the_plans_approach():
    plan = parse_plan_text(
        "2027年市第二人民医院团委工作计划\n一、指导思想\n以党的创新理论为指导，围绕医院中心工作。\n"
        "二、主要任务\n（一）每月开展主题团日。\n三、工作要求\n各团支部要高度重视。\n"
    )
    assert plan.approach == "以党的创新理论为指导，围绕医院中心工作。"
    assert [item.title for item in plan.items] == ["主要任务", "工作要求"]
    assert any("一、指导思想" in warning for warning in plan.warnings)


def test_sections_after_the_guiding_section_taken_as_the_approach_are_numbered_from_one():
    plan = parse_plan_text(
        "2027年工作计划\n一、指导思想\n以党的创新理论为指导。\n"
        "二、主要任务\n（一）每月开展主题团日。\n三、工作要求\n各团支部要高度重视。\n"
    )
    assert [(item.number, item.value) for item in plan.items] == [("一、", 1), ("二、", 2)]
    assert [child.number for child in plan.items[0].children] == ["（一）"]
    assert any("二、改为一、" in warning for warning in plan.warnings)


def test_a_guiding_section_with_sub_items_or_beside_a_preamble_approach_stays_a_section():
    plan = parse_plan_text(
        "2027年工作计划\n一、指导思想\n（一）坚持党建带团建。\n二、主要任务\n（一）开展团日。\n"
    )
    assert [item.title for item in plan.items] == ["指导思想", "主要任务"]
    plan = parse_plan_text("2027年工作计划\n总体思路是服务中心。\n一、指导思想\n学习。\n二、任务\n")
    assert plan.approach == "总体思路是服务中心。"
    assert [item.title for item in plan.items] == ["指导思想", "任务"]


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("市人民医院团委2026年工作总结及2027年工作计划", 2027),
        ("二〇二六年工作总结和二〇二七年工作打算", 2027),
        ("2025年工作回顾与二〇二六年工作思路", 2026),
        ("2027年工作要点（2026年12月修订）", 2027),
    ],
)
def test_a_title_naming_two_years_proposes_the_year_of_its_plan(title, year):
    assert parse_plan_text(f"{title}\n一、思想引领\n").year == year


def test_numbers_closed_by_one_parenthesis_and_letters_are_numbering():
    plan = parse_plan_text(
        "2027年工作计划\n一、思想引领\n1）每月开展团日活动\n2)五四前后表彰\n"
        "二、志愿服务\na. 学雷锋日义诊\nb、重阳节敬老\nB超检查进社区。\n"
    )
    thought, volunteer = plan.items
    assert [(t.number, t.title) for t in thought.children] == [
        ("1）", "每月开展团日活动"),
        ("2)", "五四前后表彰"),
    ]
    assert [(t.number, t.title) for t in volunteer.children] == [
        ("a.", "学雷锋日义诊"),
        ("b、", "重阳节敬老"),
    ]
    assert volunteer.children[1].body == "B超检查进社区。"
    assert not any(item.guesses for item in plan.all_items())


@pytest.mark.parametrize("signed_on", ["2027年1月", "二〇二七年一月八日", "2027.1.8", "2027-01-08"])
def test_a_signing_date_in_any_usual_form_closes_the_plan(signed_on):
    plan = parse_plan_text(
        f"2027年工作计划\n一、思想引领\n1.年底前完成团员评议。\n共青团某医院委员会\n{signed_on}\n"
    )
    assert plan.items[0].children[0].body == ""
    assert any(signed_on in warning for warning in plan.warnings)


def test_the_closing_of_a_plan_pasted_without_line_breaks_is_reported_too():
    plan = parse_plan_text(
        "市人民医院团委2026年工作计划 一、思想引领。五四前后举办青年座谈会；七一前后组织参观。"
        "二、志愿服务。学雷锋日开展义诊进社区；重阳节前后走访慰问退休职工。三、自身建设。"
        "年底前完成团员教育评议工作。附件：2026年重点工作任务分解表 共青团市人民医院委员会 2026年1月15日"
    )
    assert plan.items[-1].body == "年底前完成团员教育评议工作。"
    left_out = "\n".join(plan.warnings)
    for part in ("附件：2026年重点工作任务分解表", "共青团市人民医院委员会", "2026年1月15日"):
        assert part in left_out
