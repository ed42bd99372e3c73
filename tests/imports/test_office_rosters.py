"""Rosters as offices really send them: registers with titles and footers, merged cells, .xls and
GBK .csv, masked and repeated IDs, and importing only the valid rows."""

from __future__ import annotations

from datetime import date, datetime

import xlwt
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from desk_league.data.models import Organisation, Person, Volunteer
from desk_league.domain.codes import OrgKind
from desk_league.domain.id_number import mask_id_number
from desk_league.imports.roster import ROSTER_KINDS
from desk_league.services import volunteer_import as vi
from tests.imports._rosters import (
    HEADERS,
    first_volunteers,
    official_register,
    person_row,
    write_roster,
)

TODAY = date(2026, 11, 26)


def _import(db, path, **kw):
    with db.transaction() as session:
        return vi.import_file(session, path, today=TODAY, **kw)


def _count(db, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_register_with_title_footer_and_merged_units_imports_every_person(demo_db, tmp_path):
    rows = [person_row(n, unit="市人民医院" if n <= 3 else "市中医医院") for n in range(1, 7)]
    path = official_register(tmp_path / "登记表.xlsx", rows, merge_units=True)
    preview, result = _import(demo_db, path)
    assert preview.ok, preview.errors
    assert result.created == 6
    skipped = preview.skipped_lines()
    assert [s.row for s in preview.check.skipped] == [10, 12, 13, 14]
    assert "合计" in skipped[0] and "填表人" in skipped[1] and "注" in skipped[2]
    with demo_db.reading() as session:
        units = session.scalars(
            select(Organisation.unit)
            .join(Person, Person.organisation_id == Organisation.id)
            .where(Person.name.in_([f"志愿者{n}" for n in range(1, 7)]))
            .order_by(Person.name)
        ).all()
    assert units == ["市人民医院"] * 3 + ["市中医医院"] * 3


def test_footer_words_are_recognised_whatever_the_layout(demo_db, tmp_path):
    """Other offices word and place their footers differently: none of these is a person."""
    notes = [
        {"序号": "小  计"},
        {"姓名": "制表人：赵六", "科室": "负责人：孙七"},
        {"序号": "填报日期：2026.11.26"},
        {"序号": "说明：本表一式两份"},
        {"序号": "以下空白"},
        {"工作单位": "（一）市妇幼保健院"},
        {"序号": "备注：无"},
    ]
    rows = [person_row(1), *notes, person_row(2)]
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows))
    assert preview.ok, preview.errors
    assert result.created == 2 and len(preview.check.skipped) == len(notes)


def test_a_header_printed_again_on_each_page_is_skipped_not_a_person(demo_db, tmp_path):
    header = {title: f" {title}（必填）" if title == "姓名" else title for title in HEADERS}
    rows = [person_row(1), header, person_row(2), {**header, "序号": None}, person_row(3)]
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", rows))
    assert preview.ok, preview.errors
    assert result.created == 3
    assert [s.reason for s in preview.check.skipped] == ["是重复的表头"] * 2


def test_every_header_word_is_chinese_so_number_cells_are_never_taken_for_headers():
    """Header detection passes over all-ASCII cells (IDs, phones, dates) without reading them."""
    aliases = [a for kind in ROSTER_KINDS.values() for spec in kind.fields for a in spec.aliases]
    assert aliases and not [a for a in aliases if a.isascii()]


def test_a_masked_id_is_named_as_masked_with_what_to_do(demo_db, tmp_path):
    masked = mask_id_number(person_row(1)["公民身份号码"])
    preview, result = _import(
        demo_db, write_roster(tmp_path / "r.xlsx", [person_row(1, **{"公民身份号码": masked})])
    )
    assert result is None
    error = preview.errors[0]
    assert "打码" in error.reason and masked in error.reason
    assert "完整身份证号" in error.fix and error.name == "志愿者1"


def test_one_id_on_two_rows_with_different_names_names_both_rows(demo_db, tmp_path):
    first = person_row(1)
    second = person_row(2, **{"公民身份号码": first["公民身份号码"], "性别": first["性别"]})
    preview, result = _import(demo_db, write_roster(tmp_path / "r.xlsx", [first, second]))
    assert result is None
    by_row = {e.row: e for e in preview.errors}
    assert set(by_row) == {4, 5}
    assert "第 5 行（志愿者2）" in by_row[4].reason and "第 4 行（志愿者1）" in by_row[5].reason


def test_one_id_on_two_rows_is_a_duplicate_even_when_the_second_row_has_another_error(
    demo_db, tmp_path
):
    first = person_row(1)
    second = person_row(1, **{"手机": "12345"})
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", [first, second]))
    assert preview.check.duplicates == [(4, 5, first["公民身份号码"])]
    assert any("第 5 行与第 4 行" in line for line in preview.duplicate_lines())


def test_every_error_names_the_person_and_reads_as_one_sentence(demo_db, tmp_path):
    row = person_row(3, **{"手机": "12345"})
    preview, _ = _import(demo_db, write_roster(tmp_path / "r.xlsx", [row]))
    assert str(preview.errors[0]).startswith("第 4 行（志愿者3），“手机”列：")


def test_only_valid_rows_are_saved_when_chosen_and_the_rest_can_be_fixed_and_imported(
    demo_db, tmp_path
):
    rows = [person_row(n) for n in range(1, 6)]
    rows[1]["手机"] = "12345"
    rows[3]["工作单位"] = "火星医院"
    path = write_roster(tmp_path / "r.xlsx", rows)
    before = _count(demo_db, Volunteer)
    preview, result = _import(demo_db, path)
    assert result is None and _count(demo_db, Volunteer) == before  # all or nothing by default
    preview, result = _import(demo_db, path, valid_only=True)
    assert result.created == 3 and result.rejected == 2
    out = vi.export_import_errors(tmp_path / "未导入.xlsx", preview, today=TODAY)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["错误清单", "未导入的行"]
    sheet = workbook["未导入的行"]
    assert [c.value for c in sheet[3]][: len(HEADERS)] == HEADERS
    assert sheet.cell(4, 2).value == "志愿者2" and sheet.cell(5, 2).value == "志愿者4"
    assert "手机" in sheet.cell(4, len(HEADERS) + 1).value
    sheet.cell(4, 5).value = "13800000002"  # the clerk fixes the phone …
    sheet.cell(5, 6).value = "市人民医院"  # … and the unit
    del workbook["错误清单"]
    workbook.save(tmp_path / "改正后.xlsx")
    preview, result = _import(demo_db, tmp_path / "改正后.xlsx")
    assert preview.ok, preview.errors
    assert result.created == 2 and _count(demo_db, Volunteer) == before + 5


def test_units_missing_from_an_empty_office_can_be_created(db, tmp_path):
    rows = [person_row(1, unit="市人民医院"), person_row(2, unit="市中医医院")]
    path = write_roster(tmp_path / "r.xlsx", rows)
    preview, result = _import(db, path)
    assert result is None and "新建缺少的单位" in preview.errors[0].fix
    preview, result = _import(db, path, create_units=True)
    assert preview.new_units == ["市人民医院", "市中医医院"] and result.units_created == 2
    with db.reading() as session:
        assert session.scalars(select(Organisation.name).order_by(Organisation.id)).all() == [
            "市人民医院团支部",
            "市中医医院团支部",
        ]
        kinds = session.scalars(select(Organisation.kind)).all()
    assert kinds == [OrgKind.BRANCH, OrgKind.BRANCH]  # stored as the code, shown as 团支部


def test_a_legacy_xls_roster_imports_through_the_same_checks(demo_db, tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名册")
    sheet.write_merge(0, 0, 0, len(HEADERS) - 1, "2026年志愿者名册")
    for col, title in enumerate(HEADERS):
        sheet.write(1, col, title)
    for r, n in enumerate(range(1, 4), start=2):
        for col, title in enumerate(HEADERS):
            sheet.write(r, col, person_row(n)[title])
    sheet.write(5, 0, "合计")
    sheet.write(5, 1, "3人")
    book.save(str(tmp_path / "名册.xls"))
    preview, result = _import(demo_db, tmp_path / "名册.xls")
    assert preview.ok, preview.errors
    assert result.created == 3 and preview.header_row == 2


def test_a_gbk_csv_roster_with_a_title_line_imports(demo_db, tmp_path):
    lines = ["市人民医院青年志愿者名单", ",".join(HEADERS)]
    lines += [",".join(str(person_row(n)[h]) for h in HEADERS) for n in range(1, 4)]
    lines += ["填表人：王芳,,,,审核人：李明"]
    (tmp_path / "名单.csv").write_bytes("\r\n".join(lines).encode("gbk"))
    preview, result = _import(demo_db, tmp_path / "名单.csv")
    assert preview.ok, preview.errors
    assert result.created == 3 and len(preview.check.skipped) == 1


def test_a_summary_sheet_with_a_two_row_header_and_unit_group_rows(demo_db, tmp_path):
    """Another office's layout: 联系方式 over 手机/邮箱, a merged row per unit, a template's
    numbered empty rows, and a signature line."""
    workbook = Workbook()
    ws = workbook.active
    ws.append(["共青团市卫健委委员会青年志愿者信息汇总表"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "姓名", "性别", "身份证号码", "联系方式", None, "所在单位", "备注"])
    ws.append([None, None, None, None, "手机", "邮箱", None, None])
    for column in "ABCDGH":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("E2:F2")
    ws.append(["一、市人民医院"])
    ws.merge_cells("A4:H4")
    for n in (1, 2):
        p = person_row(n)
        ws.append([n, p["姓名"], p["性别"], p["公民身份号码"], p["手机"], "a@b.cn", "市人民医院"])
    ws.append(["二、市中医医院"])
    ws.merge_cells("A7:H7")
    p = person_row(3)
    ws.append([3, p["姓名"], p["性别"], p["公民身份号码"], p["手机"], None, "市中医医院", "新"])
    for n in range(4, 9):
        ws.append([n])
    ws.append(["单位负责人签字：", None, None, None, "联系电话：0634-1234567"])
    workbook.save(tmp_path / "汇总表.xlsx")
    preview, result = _import(demo_db, tmp_path / "汇总表.xlsx")
    assert preview.ok, preview.errors
    assert result.created == 3 and preview.check.skipped_blank == 5
    # the header is its lower row (手机, 邮箱 and the cells merged down), so row 3 is not data
    assert preview.header_row == 3
    assert [s.row for s in preview.check.skipped] == [4, 7, 14]


def test_an_hours_sheet_from_another_system_with_subtotals_per_volunteer(demo_db, tmp_path):
    people = first_volunteers(demo_db, 2)
    workbook = Workbook()
    ws = workbook.active
    ws.append(["志愿者姓名", "身份证号码", "服务时间", "服务时长（小时）", "服务项目"])
    (name1, id1), (name2, id2) = people
    ws.append([name1, id1, datetime(2026, 3, 5, 9, 0), 2, "义诊"])
    ws.append([name1, id1, "2026/3/12", 1.5, "植树"])
    ws.append(["小计", None, None, 3.5])
    ws.append([name2, id2, "2026年5月4日", "3", "宣传"])
    ws.append(["总  计", None, None, 6.5])
    workbook.save(tmp_path / "时长.xlsx")
    preview, result = _import(demo_db, tmp_path / "时长.xlsx", kind="service_records")
    assert preview.ok, preview.errors
    assert result.created == 3 and [s.row for s in preview.check.skipped] == [4, 6]
