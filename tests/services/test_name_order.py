"""Chinese names sort by pinyin on screen and by 姓氏笔画 (or pinyin) on registers."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import create_engine, text

from desk_league.data import migrate
from desk_league.domain.names import PINYIN, STROKES, name_key
from desk_league.services.listing import ListQuery
from desk_league.services.people import PersonInput
from desk_league.services.volunteers import VolunteerInput, register_volunteer, volunteer_listing

TODAY = date(2026, 11, 26)


def _register(session, name: str) -> None:
    register_volunteer(
        session, VolunteerInput(PersonInput(name=name, gender="女"), registered_on=TODAY), TODAY
    )


def test_the_volunteer_list_sorts_names_by_pinyin_not_code_point(db):
    with db.transaction() as session:
        for name in ("张伟", "蔡明", "艾青", "白云"):
            _register(session, name)
    listing = volunteer_listing()
    with db.reading() as session:
        ascending = listing.page(session, ListQuery(sort_key="name"), 10)
        descending = listing.page(session, ListQuery(sort_key="name", descending=True), 10)

    column = [c.key for c in listing.columns].index("name")
    assert [row[column] for row in ascending] == ["艾青", "白云", "蔡明", "张伟"]
    assert [row[column] for row in descending] == ["张伟", "蔡明", "白云", "艾青"]


def test_a_renamed_person_gets_new_sort_keys(db):
    from desk_league.data.models import Person
    from desk_league.services.people import person_input, update_person

    with db.transaction() as session:
        _register(session, "王芳")
        person = session.query(Person).one()
        data = person_input(person)
        data.name = "刘芳"
        update_person(session, person.id, data, TODAY)
        assert person.name_strokes == name_key("刘芳", STROKES)
        assert person.name_pinyin == name_key("刘芳", PINYIN)


def test_migration_0005_fills_the_keys_of_people_already_on_file(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003")
        conn.execute(
            text(
                "INSERT INTO person (name, gender, id_type, phone, department, political_status,"
                " league_post, note, created_at, updated_at)"
                " VALUES ('张𠮷', '女', '居民身份证', '', '', '', '', '', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )

    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "head")

    with engine.connect() as conn:
        pinyin, strokes = conn.execute(text("SELECT name_pinyin, name_strokes FROM person")).one()
    engine.dispose()
    assert (pinyin, strokes) == (name_key("张𠮷", PINYIN), name_key("张𠮷", STROKES))


def test_commendation_list_groups_by_honour_with_shared_columns_in_the_title_block(
    demo_db, tmp_path
):
    from openpyxl import load_workbook

    from desk_league.domain.names import stroke_count
    from desk_league.services.commendations import export_commendation_list

    with demo_db.reading() as session:
        path = export_commendation_list(session, 1, tmp_path / "名单.xlsx", today=TODAY)
    sheet = load_workbook(path).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]

    assert rows[0][0].endswith("名单")
    assert rows[1][0] == "授予单位：市卫生健康委团委"
    assert "文号：卫团发〔2026〕3号" in rows[2][0] and "年度：2025年度" in rows[2][0]
    assert rows[3] == ["序号", "姓名（集体名称）", "所在单位", "证书编号"]
    sections = [row[0] for row in rows if isinstance(row[0], str) and "、" in row[0][:3]]
    assert sections[0].startswith("一、") and any("优秀共青团员（24名）" in s for s in sections)
    start = next(i for i, row in enumerate(rows) if "优秀共青团员（" in str(row[0]))
    members = []
    for row in rows[start + 1 :]:
        if not isinstance(row[0], int):
            break
        members.append(row[1])
    assert len(members) == 24
    strokes = [stroke_count(name[0]) for name in members]
    assert strokes == sorted(strokes)
    numbers = [row[0] for row in rows if isinstance(row[0], int)]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered straight through
