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
        ascending = listing.page(session, ListQuery(sort_key="name"), 0, 10)
        descending = listing.page(session, ListQuery(sort_key="name", descending=True), 0, 10)

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
    command.upgrade(migrate.alembic_config(engine), "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (name, gender, id_type, phone, department, political_status,"
                " league_post, note, created_at, updated_at)"
                " VALUES ('张𠮷', '女', '居民身份证', '', '', '', '', '', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )

    command.upgrade(migrate.alembic_config(engine), "head")

    with engine.connect() as conn:
        pinyin, strokes = conn.execute(text("SELECT name_pinyin, name_strokes FROM person")).one()
    engine.dispose()
    assert (pinyin, strokes) == (name_key("张𠮷", PINYIN), name_key("张𠮷", STROKES))
