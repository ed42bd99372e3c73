"""Files other offices send, laid out in ways our own fixtures are not: a 填表说明 sheet before the
roster, hours typed with their unit, IDs quoted to keep Excel from turning them into numbers."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from desk_league.cli import main
from desk_league.data.models import Organisation
from desk_league.domain.codes import OrgKind
from desk_league.domain.gender import GENDER_PROBLEM, GENDER_WORDS, GENDERS
from desk_league.errors import ValidationError
from desk_league.imports.sheet import HEADER_SEARCH_ROWS
from desk_league.imports.table import read_table
from desk_league.services import volunteer_import as vi
from tests.imports._rosters import first_volunteers, person_row, write_roster
from tests.imports.test_member_rosters import MEMBER_HEADERS, member_row

TODAY = date(2026, 11, 26)


def _import(db, path, **kw):
    with db.transaction() as session:
        return vi.import_file(session, path, today=TODAY, **kw)


def test_a_roster_behind_a_filling_in_instructions_sheet_is_found(demo_db, tmp_path, capsys):
    workbook = Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["填表说明"])
    notes.append(["1. 身份证号请设置为文本格式"])
    roster = workbook.create_sheet("名册")
    roster.append(["姓名", "性别", "身份证号", "联系电话", "所在单位"])
    row = person_row(1)
    roster.append([row["姓名"], row["性别"], row["公民身份号码"], row["手机"], "市人民医院"])
    workbook.save(tmp_path / "登记表.xlsx")
    preview, result = _import(demo_db, tmp_path / "登记表.xlsx")
    assert preview.ok, preview.errors
    assert result.created == 1
    demo_db.close()
    main(["import", "volunteers", str(tmp_path / "登记表.xlsx"), "--db", str(demo_db.path)])
    assert "登记表.xlsx（工作表“名册”）：" in capsys.readouterr().out  # the clerk sees which


def test_a_file_with_no_roster_sheet_names_the_sheets_and_the_columns_missing(db, tmp_path):
    workbook = Workbook()
    workbook.active.title = "封面"
    workbook.active.append(["2026年志愿者登记表"])
    workbook.create_sheet("说明").append(["请按模板填写"])
    workbook.save(tmp_path / "空表.xlsx")
    try:
        _import(db, tmp_path / "空表.xlsx")
    except ValidationError as exc:
        message = str(exc)
    else:
        raise AssertionError("a file with no roster was accepted")
    assert "“姓名”“身份证号”" in message and "封面、说明" in message


def test_hours_typed_with_their_unit_are_read_as_hours(demo_db, tmp_path):
    (name1, id1), (name2, id2) = first_volunteers(demo_db, 2)
    workbook = Workbook()
    ws = workbook.active
    ws.append(["姓名", "身份证号", "服务日期", "志愿服务时长（小时）", "服务内容"])
    for day, hours in enumerate(("2小时", "1.5h", "3 个小时", "２Ｈ"), start=5):
        ws.append([name1, id1, f"2026-03-{day:02d}", hours, "义诊"])
    ws.append([name2, id2, "2026-03-05", "半天", "义诊"])
    workbook.save(tmp_path / "时长.xlsx")
    preview, _ = _import(demo_db, tmp_path / "时长.xlsx", kind="service_records", dry_run=True)
    assert [r["hours"] for r in preview.check.records] == [2.0, 1.5, 3.0, 2.0]
    (error,) = preview.errors
    assert (error.row, error.column, error.name) == (6, "志愿服务时长（小时）", name2)
    assert "半天" in error.reason and "小时数" in error.fix


def test_an_id_quoted_to_stay_text_is_read_and_still_caught_twice(demo_db, tmp_path):
    first, second = person_row(1), person_row(2)
    number = first["公民身份号码"]
    rows = [
        {**first, "公民身份号码": f"{number}'"},
        {**second, "公民身份号码": f"'{second['公民身份号码']}"},
        {**first, "公民身份号码": number},
    ]
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows), dry_run=True)
    assert preview.ok, preview.errors
    assert [r["id_number"] for r in preview.check.records][:2] == [
        number,
        second["公民身份号码"],
    ]
    assert preview.check.duplicates == [(4, 6, number)]


def test_spaces_lining_up_two_character_names_are_not_part_of_the_name(demo_db, tmp_path):
    rows = [
        person_row(1, 姓名="王　芳"),
        person_row(2, 姓名="李  雷"),
        person_row(3, 姓名="Anna Li"),
    ]
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows), dry_run=True)
    assert [r["name"] for r in preview.check.records] == ["王芳", "李雷", "Anna Li"]


def test_a_csv_whose_ids_and_phones_are_guarded_as_excel_formulas_reads_the_text(demo_db, tmp_path):
    row = person_row(1)
    lines = [
        "姓名,性别,证件号码,手机号码,所在单位",
        f'{row["姓名"]},{row["性别"]},="{row["公民身份号码"]}","=""{row["手机"]}""",市人民医院',
    ]
    path = tmp_path / "系统导出.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="gbk")
    preview, _ = _import(demo_db, path, dry_run=True)
    assert preview.ok, preview.errors
    (record,) = preview.check.records
    assert (record["id_number"], record["phone"]) == (row["公民身份号码"], row["手机"])


def test_branches_created_from_a_member_list_sit_in_its_workplace_not_under_another_branch(
    db, tmp_path
):
    volunteers = write_roster(tmp_path / "志愿者.xlsx", [person_row(1, unit="市人民医院")])
    _import(db, volunteers, create_units=True)  # the new office's first organisation: a 团支部
    members = [
        member_row(n, branch=branch, 工作单位="市第一人民医院")
        for n, branch in ((1, "护理部团支部"), (2, "急诊科团支部"), (3, "护理部团支部"))
    ]
    path = write_roster(tmp_path / "团员.xlsx", members, header_row=1, headers=MEMBER_HEADERS)
    preview, result = _import(db, path, kind="members", create_units=True)
    assert preview.ok, preview.errors
    assert result.units_created == 2
    with db.reading() as session:
        created = session.execute(
            select(Organisation.name, Organisation.unit, Organisation.parent_id)
            .where(Organisation.name.in_(["护理部团支部", "急诊科团支部"]))
            .order_by(Organisation.id)
        ).all()
    assert created == [
        ("护理部团支部", "市第一人民医院", None),
        ("急诊科团支部", "市第一人民医院", None),
    ]


def test_gender_written_as_exported_by_other_systems_is_read(demo_db, tmp_path):
    rows = [person_row(1), person_row(2)]
    rows = [{**row, "性别": row["性别"] + "性"} for row in rows]
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows), dry_run=True)
    assert preview.ok, preview.errors
    assert [r["gender"] for r in preview.check.records] == ["男", "女"]


def test_sign_off_lines_in_the_people_columns_are_skipped_not_read_as_people(demo_db, tmp_path):
    rows = [person_row(1), person_row(2)]
    path = write_roster(tmp_path / "r.xlsx", rows)
    workbook = load_workbook(path)
    ws = workbook.active
    ws.append([None, "制表：王五", None, None, "审核：赵六", "市人民医院团委（盖章）"])
    ws.append([None, "领导签字：", None, None, None, "2026年3月31日"])
    workbook.save(path)
    preview, _ = _import(demo_db, path, dry_run=True)
    assert preview.ok, preview.errors
    assert [(s.row, s.reason) for s in preview.check.skipped] == [
        (6, "是“制表”行"),
        (7, "是“领导签字”行"),
    ]


def test_a_two_row_header_maps_the_phone_to_its_own_column_under_the_group(demo_db, tmp_path):
    workbook = Workbook()
    ws = workbook.active
    ws["A1"] = "青年志愿者登记表"
    ws.merge_cells("A1:G1")
    for column, title in zip(
        "ABCDG", ["序号", "姓名", "性别", "身份证号", "所在单位"], strict=True
    ):
        ws[f"{column}2"] = title
        ws.merge_cells(f"{column}2:{column}3")
    ws["E2"] = "联系方式"
    ws.merge_cells("E2:F2")
    ws["E3"], ws["F3"] = "邮箱", "手机"
    row = person_row(1)
    ws.append(
        [1, row["姓名"], row["性别"], row["公民身份号码"], "a@qq.com", row["手机"], "市人民医院"]
    )
    workbook.save(tmp_path / "登记表.xlsx")
    preview, _ = _import(demo_db, tmp_path / "登记表.xlsx", dry_run=True)
    assert preview.ok, preview.errors
    assert preview.check.records[0]["phone"] == row["手机"] and not preview.check.skipped


def test_a_two_row_header_whose_single_cells_are_not_merged_down(demo_db, tmp_path):
    """姓名 … written once on the upper row, the lower row naming only 邮箱 | 手机 under 联系方式."""
    workbook = Workbook()
    ws = workbook.active
    ws.append(["序号", "姓名", "性别", "身份证号", "联系方式", None, "所在单位"])
    ws.append([None, None, None, None, "邮箱", "手机", None])
    ws.merge_cells("E1:F1")
    row = person_row(1)
    ws.append(
        [1, row["姓名"], row["性别"], row["公民身份号码"], "a@qq.com", row["手机"], "市人民医院"]
    )
    workbook.save(tmp_path / "登记表.xlsx")
    preview, _ = _import(demo_db, tmp_path / "登记表.xlsx", dry_run=True)
    assert preview.ok, preview.errors
    assert preview.header_row == 2 and preview.check.records[0]["phone"] == row["手机"]
    assert preview.check.titles["name"] == "姓名" and preview.check.titles["phone"] == "手机"


def test_a_roster_under_a_page_of_filling_in_instructions_is_found(demo_db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年青年志愿者登记表"])
    for n in range(1, 22):  # twenty-one numbered instructions above the table
        sheet.append([f"{n}. 请按要求填写第{n}项，身份证号请设为文本格式。"])
    sheet.append(["姓名", "性别", "身份证号", "联系电话", "所在单位"])
    row = person_row(1)
    sheet.append([row["姓名"], row["性别"], row["公民身份号码"], row["手机"], "市人民医院"])
    workbook.save(tmp_path / "登记表.xlsx")
    preview, result = _import(demo_db, tmp_path / "登记表.xlsx")
    assert preview.header_row == 23 and preview.ok, preview.errors
    assert result.created == 1


def test_an_hours_sheet_opening_with_what_was_done_keeps_every_record_and_its_sign_off(
    demo_db, tmp_path
):
    """Other systems put 服务内容 first and name people by 志愿者编号: “义诊：健康咨询” is work done,
    while “制表：王五” under the table still signs it off."""
    (name1, number1), (name2, number2) = first_volunteers(demo_db, 2, by_number=True)
    workbook = Workbook()
    ws = workbook.active
    ws.append(["服务内容", "姓名", "志愿者编号", "服务日期", "服务时长"])
    ws.append(["义诊：社区健康咨询", name1, number1, "2026-03-05", 2])
    ws.append(["学雷锋:清扫街道", name2, number2, "2026-03-05", 2])
    ws.append(["制表：王五", None, None, "2026-03-31"])
    workbook.save(tmp_path / "时长.xlsx")
    preview, _ = _import(demo_db, tmp_path / "时长.xlsx", kind="service_records", dry_run=True)
    assert preview.ok, preview.errors
    assert [r["content"] for r in preview.check.records] == ["义诊:社区健康咨询", "学雷锋:清扫街道"]
    assert [(s.row, s.reason) for s in preview.check.skipped] == [(4, "是“制表”行")]


def test_how_to_write_hours_is_told_only_where_the_hours_are_not_a_number(demo_db, tmp_path):
    (name, id_number), *_ = first_volunteers(demo_db, 1)
    workbook = Workbook()
    ws = workbook.active
    ws.append(["姓名", "身份证号", "服务日期", "服务时长"])
    for hours in ("半天", 30, 1.3, "１.３"):
        ws.append([name, id_number, "2026-03-05", hours])
    workbook.save(tmp_path / "时长.xlsx")
    preview, _ = _import(demo_db, tmp_path / "时长.xlsx", kind="service_records", dry_run=True)
    errors = [(e.row, e.reason, e.fix) for e in preview.errors if e.column == "服务时长"]
    assert [(row, fix) for row, _, fix in errors] == [
        (2, "填写小时数，如 2 或 1.5（半天请折算成小时）"),
        (3, ""),
        (4, ""),
        (5, ""),
    ]
    assert "24小时" in errors[1][1] and "0.5小时为单位" in errors[2][1]


def test_of_twelve_monthly_sheets_only_the_roster_is_read_in_full(demo_db, tmp_path, monkeypatch):
    workbook = Workbook()
    workbook.active.title = "封面"
    for line in range(200):
        workbook.active.append([f"第{line + 1}条填表说明"])
    for month in range(1, 12):
        workbook.create_sheet(f"{month}月").append(["序号", "活动"])
    roster = workbook.create_sheet("12月")
    roster.append(["姓名", "性别", "身份证号", "联系电话", "所在单位"])
    for n in range(1, 4):
        row = person_row(n)
        roster.append([row["姓名"], row["性别"], row["公民身份号码"], row["手机"], "市人民医院"])
    workbook.save(tmp_path / "全年.xlsx")
    read = []

    def reading(path, sheet=None, *args, **kw):
        table = read_table(path, sheet, *args, **kw)
        read.append((table.name, len(table.rows)))
        return table

    monkeypatch.setattr(vi, "read_table", reading)
    rows = vi.open_roster(tmp_path / "全年.xlsx", "volunteers")
    assert rows.name == "12月" and len(rows.rows) == 4
    assert all(count <= HEADER_SEARCH_ROWS for name, count in read if name == "封面")


def test_the_header_row_the_clerk_picks_offers_its_columns_as_the_import_reads_them(tmp_path):
    """The wizard asks the service, so the row the clerk picks maps as the import would."""
    workbook = Workbook()
    ws = workbook.active
    ws.append(["青年志愿者登记表"])
    ws.append(["姓名", "身份证号", "联系方式", None])
    ws.append([None, None, "邮箱", "手机"])
    ws.merge_cells("C2:D2")
    ws.append(["张三", "110101199003077777", "a@qq.com", "13800000000"])
    workbook.save(tmp_path / "登记表.xlsx")
    rows = vi.open_roster(tmp_path / "登记表.xlsx", "volunteers")
    header_row, guessed = vi.suggest_layout(rows, "volunteers")
    headers, mapping = vi.suggest_mapping_at(rows, "volunteers", header_row)
    assert header_row == 3 and mapping == guessed
    assert headers == ("姓名", "身份证号", "邮箱", "手机") and mapping["phone"] == 3
    headers, mapping = vi.suggest_mapping_at(rows, "volunteers", 2)  # the clerk picks the upper row
    assert headers[:2] == ("姓名", "身份证号") and "phone" in mapping and mapping["phone"] == 2


def test_every_way_of_writing_gender_the_office_knows_is_read_and_anything_else_is_named(
    demo_db, tmp_path
):
    """The words live beside GENDERS in the domain: one added there is read by every import."""
    man, woman = person_row(1), person_row(2)
    rows = [
        {**(man if meaning == "男" else woman), "性别": word}
        for word, meaning in GENDER_WORDS.items()
    ]
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows), dry_run=True)
    assert [r["gender"] for r in preview.check.records] == list(GENDER_WORDS.values())
    assert set(GENDER_WORDS.values()) == set(GENDERS)
    bad = [{**man, "性别": "未知"}]
    preview, _ = _import(demo_db, write_roster(tmp_path / "bad.xlsx", bad), dry_run=True)
    assert [(e.column, e.reason) for e in preview.errors] == [("性别", GENDER_PROBLEM)]


def test_organisations_a_member_list_names_go_under_the_office_only_when_it_ranks_above(
    db, tmp_path
):
    """团委 over 团总支 over 团支部, by OrgKind.rank: a new 团支部 goes under the office's one
    团总支, a new 团委 does not."""
    assert OrgKind.COUNCIL.rank < OrgKind.GENERAL.rank < OrgKind.BRANCH.rank
    first = [member_row(1, branch="市人民医院团总支")]
    path = write_roster(tmp_path / "a.xlsx", first, header_row=1, headers=MEMBER_HEADERS)
    _import(db, path, kind="members", create_units=True)
    members = [
        member_row(n, branch=branch)
        for n, branch in ((2, "市人民医院护理部团支部"), (3, "市第二人民医院团委"))
    ]
    path = write_roster(tmp_path / "b.xlsx", members, header_row=1, headers=MEMBER_HEADERS)
    preview, result = _import(db, path, kind="members", create_units=True)
    assert preview.ok, preview.errors
    with db.reading() as session:
        parents = dict(
            session.execute(
                select(Organisation.name, Organisation.parent_id).where(
                    Organisation.name.in_(["市人民医院护理部团支部", "市第二人民医院团委"])
                )
            ).all()
        )
        (general,) = session.scalars(
            select(Organisation.id).where(Organisation.name == "市人民医院团总支")
        ).all()
    assert parents == {"市人民医院护理部团支部": general, "市第二人民医院团委": None}
