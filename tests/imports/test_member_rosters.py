"""团员名册, 团干部名册 and the list of organisations, as offices keep them, imported: one person
whatever the roles, per-row errors naming the person, all or nothing, and the blank templates."""

from __future__ import annotations

from datetime import date

import openpyxl
from sqlalchemy import func, select

from desk_league.data.models import LeagueMember, LeaguePost, Organisation, Person, Volunteer
from desk_league.domain.codes import LeaguePostKind, MemberStatus, OrgKind, PoliticalStatus
from desk_league.services import volunteer_import as vi
from desk_league.services.templates import write_template
from tests.imports._rosters import make_id, official_register, person_row, write_roster

TODAY = date(2026, 11, 26)
MEMBER_HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生年月",
    "入团时间",
    "所在团支部",
    "工作单位",
    "政治面貌",
    "文化程度",
    "手机号码",
]
ORG_HEADERS = ["序号", "组织名称", "类别", "上级团组织", "单位"]


def member_row(n: int, branch: str = "市人民医院内科团支部", **changes) -> dict:
    birth = date(1998 + n % 8, 1 + n % 12, 1 + n % 28)
    row = {
        "序号": n,
        "姓名": f"团员{n}",
        "性别": "男",
        "民族": "汉",
        "公民身份号码": make_id(birth, n),
        "出生年月": birth.strftime("%Y.%m"),
        "入团时间": f"{birth.year + 15}.5",
        "所在团支部": branch,
        "工作单位": "市人民医院",
        "政治面貌": "团员",
        "文化程度": "本科",
        "手机号码": f"139{n:08d}",
    }
    row.update(changes)
    return row


def _organisations(db) -> None:
    with db.transaction() as session:
        council = Organisation(kind=OrgKind.COUNCIL, name="市卫生健康委团委", unit="市卫生健康委")
        session.add(council)
        session.flush()
        session.add(
            Organisation(
                kind=OrgKind.BRANCH,
                name="市人民医院内科团支部",
                unit="市人民医院",
                parent_id=council.id,
            )
        )


def _count(db, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_member_list_as_offices_keep_it_imports_with_its_words_read(db, tmp_path):
    _organisations(db)
    path = official_register(
        tmp_path / "团员名册.xlsx", [member_row(n) for n in range(1, 6)], headers=MEMBER_HEADERS
    )
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, "members", today=TODAY)
    assert preview.ok, preview.errors
    assert result.created == 5 and any("填表人" in line for line in preview.skipped_lines())
    with db.reading() as session:
        person = session.scalar(select(Person).where(Person.name == "团员1"))
        member = session.scalar(select(LeagueMember).where(LeagueMember.person_id == person.id))
        assert person.organisation.name == "市人民医院内科团支部"
        assert person.political_status == PoliticalStatus.LEAGUE_MEMBER  # 团员
        assert (person.ethnicity, person.education) == ("汉族", "bachelor")  # 汉, 本科
        assert person.league_joined_on == date(person.birth_date.year + 15, 5, 1)  # 入团时间 2014.5
        assert member.status == MemberStatus.ACTIVE


def test_each_bad_row_names_the_person_and_nothing_is_saved(db, tmp_path):
    _organisations(db)
    rows = [member_row(n) for n in range(1, 6)]
    rows[1]["入团时间"] = "2001.1"  # before 14
    rows[2]["政治面貌"] = "团干"
    rows[3]["所在团支部"] = "不存在团支部"
    path = write_roster(tmp_path / "名册.xlsx", rows, headers=MEMBER_HEADERS)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, "members", today=TODAY)
    assert result is None and _count(db, LeagueMember) == 0
    errors = {(e.row, e.name, e.column): e.reason for e in preview.errors}
    assert "入团须年满14周岁" in errors[5, "团员2", "入团时间"]
    assert "共青团员" in errors[6, "团员3", "政治面貌"]
    assert errors[7, "团员4", "所在团支部"] == "“不存在团支部”不在团组织名单中"


def test_a_volunteer_import_of_an_existing_member_adds_the_role_not_a_second_person(db, tmp_path):
    _organisations(db)
    members = write_roster(
        tmp_path / "团员.xlsx", [member_row(n) for n in range(1, 4)], headers=MEMBER_HEADERS
    )
    with db.transaction() as session:
        vi.import_file(session, members, "members", today=TODAY)
    volunteer_rows = [
        person_row(n, 姓名=f"团员{n}", 性别="男", 公民身份号码=member_row(n)["公民身份号码"])
        for n in range(1, 4)
    ]
    volunteers = write_roster(tmp_path / "志愿者.xlsx", volunteer_rows)
    with db.transaction() as session:
        preview, result = vi.import_file(session, volunteers, today=TODAY)
    assert preview.ok, preview.errors
    assert result.created == 3
    assert (_count(db, Person), _count(db, LeagueMember), _count(db, Volunteer)) == (3, 3, 3)

    again = write_roster(  # and the other way round: the member list after the volunteers
        tmp_path / "团员再次.xlsx", [member_row(n) for n in range(1, 5)], headers=MEMBER_HEADERS
    )
    with db.transaction() as session:
        preview, result = vi.import_file(session, again, "members", today=TODAY)
    assert len(preview.on_file) == 3 and "已在团员名册中" in preview.duplicate_lines()[0]
    assert (result.created, result.skipped) == (1, 3)
    assert _count(db, Person) == 4


def test_a_cadre_list_adds_posts_and_makes_the_secretary(db, tmp_path):
    _organisations(db)
    headers = ["姓名", "性别", "身份证号", "任职团组织", "团内职务", "任职时间", "政治面貌"]
    rows = [
        {
            "姓名": "张书记",
            "身份证号": make_id(date(1994, 3, 3), 1),
            "任职团组织": "市人民医院内科团支部",
            "团内职务": "团支部书记",
            "任职时间": "2024-06-01",
            "政治面貌": "中共党员",
        },
        {
            "姓名": "李委员",
            "身份证号": make_id(date(1999, 3, 3), 2),
            "任职团组织": "市人民医院内科团支部",
            "团内职务": "文体委员",
            "政治面貌": "共青团员",
        },
    ]
    path = write_roster(tmp_path / "团干部.xlsx", rows, headers=headers)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, "cadres", today=TODAY)
    assert preview.ok, preview.errors
    assert result.created == 2
    with db.reading() as session:
        posts = session.execute(select(LeaguePost.post, LeaguePost.title)).all()
        branch = session.scalar(
            select(Organisation).where(Organisation.name == "市人民医院内科团支部")
        )
        assert branch.secretary.name == "张书记"
        assert session.scalar(select(func.count()).select_from(LeagueMember)) == 2
    assert sorted(posts) == [(LeaguePostKind.OTHER, "文体委员"), (LeaguePostKind.SECRETARY, "")]


def test_an_organisation_list_builds_the_tree_whatever_the_row_order(db, tmp_path):
    rows = [
        {"组织名称": "市人民医院内科团支部", "上级团组织": "市人民医院团委", "单位": "市人民医院"},
        {"组织名称": "市人民医院团委", "类别": "团委", "上级团组织": "市卫生健康委团委"},
        {"组织名称": "市卫生健康委团委", "类别": "团委"},
        {"组织名称": "市中心血站团支部", "上级团组织": "市卫生健康委团委"},
    ]
    path = write_roster(tmp_path / "团组织.xlsx", rows, headers=ORG_HEADERS)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, "organisations", today=TODAY)
    assert preview.ok, preview.errors
    assert result.created == 4
    with db.reading() as session:
        tree = {
            o.name: (o.kind, o.parent.name if o.parent else None)
            for o in session.scalars(select(Organisation))
        }
    assert tree == {
        "市卫生健康委团委": (OrgKind.COUNCIL, None),
        "市人民医院团委": (OrgKind.COUNCIL, "市卫生健康委团委"),
        "市人民医院内科团支部": (OrgKind.BRANCH, "市人民医院团委"),  # read from its name
        "市中心血站团支部": (OrgKind.BRANCH, "市卫生健康委团委"),
    }


def test_an_organisation_list_with_an_unknown_parent_or_a_cycle_names_the_row(db, tmp_path):
    rows = [
        {"组织名称": "甲团支部", "上级团组织": "乙团支部"},
        {"组织名称": "乙团支部", "上级团组织": "甲团支部"},
        {"组织名称": "丙团支部", "上级团组织": "不存在团委"},
    ]
    path = write_roster(tmp_path / "团组织.xlsx", rows, headers=ORG_HEADERS)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, "organisations", today=TODAY)
    assert result is None
    reasons = {e.name: e.reason for e in preview.errors}
    assert reasons["甲团支部"] == reasons["乙团支部"] == "上级组织绕成了一个圈"
    assert "不存在团委" in reasons["丙团支部"]


def test_every_template_has_its_drop_downs_and_a_text_id_column(demo_db, tmp_path):
    expected = {
        "volunteers": {"性别", "证件类型", "政治面貌", "单位", "服务队", "状态"},
        "members": {
            "性别",
            "证件类型",
            "政治面貌",
            "所在团组织",
            "工作单位",
            "学历",
            "民族",
            "状态",
        },
        "cadres": {
            "性别",
            "证件类型",
            "政治面貌",
            "任职团组织",
            "团内职务",
            "工作单位",
            "学历",
            "民族",
        },
        "organisations": {"类别", "上级组织"},
        "service_records": {"状态"},
    }
    for kind, lists in expected.items():
        with demo_db.reading() as session:
            path = write_template(session, kind, tmp_path / f"{kind}.xlsx")
        book = openpyxl.load_workbook(path)
        sheet, choices = book.worksheets[0], book["选项"]
        assert choices.sheet_state == "hidden"
        header = {cell.value.rstrip("*"): cell.column_letter for cell in sheet[3] if cell.value}
        validated = {
            column
            for rule in sheet.data_validations.dataValidation
            for cell_range in rule.sqref.ranges
            for column, letter in header.items()
            if cell_range.coord.startswith(f"{letter}4:")
        }
        assert validated == lists, kind
        id_title = next((t for t in header if t in ("身份证号",)), None)
        if id_title:
            letter = header[id_title]
            assert sheet[f"{letter}4"].number_format == "@"
            assert sheet.column_dimensions[letter].number_format == "@"
        assert any(str(v).endswith("*") for v in (c.value for c in sheet[3]) if v)
    options = openpyxl.load_workbook(tmp_path / "members.xlsx")["选项"]
    offered = {cell.value for row in options.iter_rows() for cell in row}
    assert {"市人民医院内科团支部", "共青团员", "汉族", "大学本科"} <= offered  # the office's own


def test_a_filled_template_imports_as_it_is(db, tmp_path):
    _organisations(db)
    with db.reading() as session:
        path = write_template(session, "members", tmp_path / "模板.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = {cell.value.rstrip("*"): cell.column for cell in sheet[3] if cell.value}
    values = {
        "姓名": "赵青",
        "身份证号": make_id(date(2001, 2, 3), 9),
        "所在团组织": "市人民医院内科团支部",
        "政治面貌": "共青团员",
        "入团日期": "2016-05-04",
    }
    for title, value in values.items():
        sheet.cell(4, header[title], value)
    book.save(path)
    with db.transaction() as session:
        preview, result = vi.import_file(session, path, "members", today=TODAY)
    assert preview.ok, preview.errors
    assert result.created == 1
