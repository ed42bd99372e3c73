"""The honour register and the 青年文明号 dynamic management."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from desk_league.domain.codes import HonourStatus, ReviewKind, ReviewResult
from desk_league.errors import Conflict, ValidationError
from desk_league.services import honours
from desk_league.services.honours import HonourInput
from desk_league.services.listing import ListQuery

from ._office import Office, make_office

ANNUAL, CYCLE, WARNING = ReviewKind.ANNUAL, ReviewKind.CYCLE, ReviewKind.WARNING
STAR_DOWN, REVOKE, PASS = ReviewKind.STAR_DOWN, ReviewKind.REVOKE, ReviewResult.PASS


@pytest.fixture
def office(db) -> Office:
    return make_office(db)


def add(db, **fields) -> int:
    with db.transaction() as session:
        return honours.create_honour(session, HonourInput(**fields)).id


@pytest.fixture
def youth_civilization(db, office) -> int:
    return add(
        db,
        honour_type_id=office.types["青年文明号"],
        year=2023,
        level="市级",
        organisation_id=office.branch_a,
        collective_name="市人民医院急诊科",
        granted_on=date(2023, 5, 4),
        star=2,
        granting_body="共青团市委",
    )


def test_certificate_numbers_never_repeat(db, office):
    member = office.types["优秀共青团员"]
    add(db, honour_type_id=member, year=2025, person_id=office.young, certificate_number="2025-001")

    with pytest.raises(Conflict, match="证书编号 2025-001 已被使用"):
        add(
            db,
            honour_type_id=member,
            year=2025,
            person_id=office.old,
            certificate_number=" 2025-001 ",
        )


def test_a_collective_honour_names_its_recipient(db, office):
    with pytest.raises(ValidationError, match="集体名称"):
        add(db, honour_type_id=office.types["青年文明号"], year=2025)
    with pytest.raises(ValidationError, match="个人荣誉"):
        add(db, honour_type_id=office.types["优秀共青团员"], year=2025, collective_name="急诊科")


def test_register_filters_by_unit_and_shows_a_persons_honours(db, office):
    add(db, honour_type_id=office.types["优秀共青团员"], year=2025, person_id=office.young)
    add(
        db,
        honour_type_id=office.types["五四红旗团支部"],
        year=2024,
        organisation_id=office.branch_b,
    )

    with db.reading() as session:
        mine = honours.honours_of(session, person_id=office.young)
        branch = honours.honours_of(session, organisation_id=office.branch_b)
        in_unit = list(
            honours.HONOURS.iter_rows(session, ListQuery(filters={"unit": "市人民医院"}))
        )

    assert [(h["recipient"], h["type"]) for h in mine] == [("张晓燕", "优秀共青团员")]
    assert [h["recipient"] for h in branch] == ["市中医医院护理团支部"]
    assert [h["recipient"] for h in in_unit] == ["张晓燕"]


def test_honour_types_are_editable_with_their_rules(db):
    with db.transaction() as session:
        created = honours.save_honour_type(
            session, "优秀团务工作者", "personal", {"max_age": 35, "min_hours": 0}
        )
        assert created.rules == {"max_age": 35}
        with pytest.raises(Conflict, match="已有名为“青年文明号”"):
            honours.save_honour_type(session, "青年文明号", "collective", {})


def test_a_type_in_use_cannot_be_deleted(db, office):
    add(db, honour_type_id=office.types["优秀共青团员"], year=2025, person_id=office.young)
    with db.transaction() as session, pytest.raises(Conflict, match="不能删除"):
        honours.delete_honour_type(session, office.types["优秀共青团员"])


def test_sanctions_lower_the_star_and_revoke(db, youth_civilization):
    with db.transaction() as session:
        honours.add_review(session, youth_civilization, ANNUAL, date(2025, 12, 15), PASS)
        honours.add_review(
            session, youth_civilization, WARNING, date(2026, 3, 1), reason="群众投诉两次"
        )
        honours.add_review(
            session, youth_civilization, STAR_DOWN, date(2026, 4, 1), reason="整改不到位"
        )
        with pytest.raises(Conflict, match="不能再降星"):
            honours.add_review(
                session, youth_civilization, STAR_DOWN, date(2026, 5, 1), reason="再次投诉"
            )
        honours.add_review(
            session, youth_civilization, REVOKE, date(2026, 6, 1), reason="发生严重服务事故"
        )
    with db.reading() as session:
        row = next(honours.YOUTH_CIVILIZATIONS.iter_rows(session, ListQuery()))
        kinds = [r.kind for r in honours.reviews_of(session, youth_civilization)]

    assert (row["star"], row["status"], row["last_review"]) == (1, HonourStatus.VOID, PASS)
    assert kinds == [ANNUAL, WARNING, STAR_DOWN, REVOKE]
    with db.transaction() as session, pytest.raises(Conflict, match="已撤销"):
        honours.add_review(session, youth_civilization, ANNUAL, date(2026, 12, 1), PASS)


def test_a_sanction_needs_a_reason(db, youth_civilization):
    with db.transaction() as session, pytest.raises(ValidationError, match="警示须写明原因"):
        honours.add_review(session, youth_civilization, WARNING, date(2026, 3, 1))


def test_reminders_when_the_annual_review_or_the_cycle_is_due(db, youth_civilization):
    with db.reading() as session:
        due = honours.review_reminders(session, date(2025, 11, 1))
    assert [r.text for r in due] == [
        "创建周期（2年）已届满（2025-05-04），需复核",
        "2025年度尚未年审",
    ]

    with db.transaction() as session:  # a passed 复核 starts the next cycle; the 年审 is done
        honours.add_review(session, youth_civilization, CYCLE, date(2025, 11, 10), PASS)
        honours.add_review(session, youth_civilization, ANNUAL, date(2025, 11, 10), PASS)
    with db.reading() as session:
        assert honours.review_reminders(session, date(2025, 11, 20)) == []
        later = honours.review_reminders(session, date(2027, 9, 1))
    assert "创建周期（2年）即将届满（2027-11-10），需复核" in [r.text for r in later]


def test_youth_civilization_register_lists_sanctions(db, youth_civilization, tmp_path):
    with db.transaction() as session:
        honours.add_review(
            session, youth_civilization, WARNING, date(2026, 3, 1), reason="群众投诉"
        )
    with db.reading() as session:
        path = honours.export_youth_civilization_register(
            session, tmp_path / "青年文明号.xlsx", today=date(2026, 3, 2)
        )

    sheet = load_workbook(path).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in values if row[0] == "序号")
    data = values[values.index(header) + 1]
    record = dict(zip(header, data, strict=False))
    assert record["集体名称"] == "市人民医院急诊科"
    assert record["星级"] == "二星"
    assert record["动态管理记录"] == "2026-03-01 警示：群众投诉"
    assert "需复核" in record["提醒"]


def test_printing_a_batch_reads_its_recipients_in_one_query_whatever_its_size(demo_db):
    """40 certificates (36 people, 4 collectives) name each person, unit, batch and type, read
    together, not one lazy load per certificate."""
    from sqlalchemy import event

    from desk_league.services.honour_certificates import prepare_certificates

    statements: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(demo_db.engine, "before_cursor_execute", counted)
    try:
        with demo_db.reading() as session:
            job = prepare_certificates(session, batch_id=1)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", counted)
    assert len(job.recipients) == 40
    assert all(r["单位"] and r["表彰名称"] and r["称号"] for r in job.recipients)
    honour_reads = [s for s in statements if "FROM honour" in s]
    assert len(honour_reads) == 1 and len(statements) <= 8, statements
