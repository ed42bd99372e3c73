"""志愿服务证明: numbered, sealed, the records listed, the font embedded."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from desk_league.data.models import ServiceCertificate, ServiceRecord, Volunteer
from desk_league.errors import ValidationError
from desk_league.exports.seal import draw_seal
from desk_league.services.service_proofs import issue_service_proofs
from desk_league.services.settings import set_setting

START, END, ISSUED = date(2024, 1, 1), date(2026, 11, 26), date(2026, 11, 26)


def _busy_volunteers(session, n: int) -> list[int]:
    stmt = (
        select(ServiceRecord.volunteer_id)
        .where(ServiceRecord.status == "approved", ServiceRecord.served_on >= START)
        .group_by(ServiceRecord.volunteer_id)
        .order_by(func.count().desc())
        .limit(n)
    )
    return list(session.scalars(stmt))


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            )
            if "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]))
    return names


def test_proof_lists_the_volunteer_hours_number_and_embeds_the_font(demo_db, tmp_path):
    seal = draw_seal(tmp_path / "seal.png", "市卫生健康委团委")
    with demo_db.transaction() as session:
        set_setting(session, "seal_image", str(seal))
        set_setting(session, "service_proof_signer", "李明")
        vid = _busy_volunteers(session, 1)[0]
        volunteer = session.get(Volunteer, vid)
        name, number, id_number = (
            volunteer.person.name,
            volunteer.number,
            volunteer.person.id_number,
        )
        hours = session.scalar(
            select(func.sum(ServiceRecord.hours)).where(
                ServiceRecord.volunteer_id == vid,
                ServiceRecord.status == "approved",
                ServiceRecord.served_on.between(START, END),
            )
        )
        numbers = issue_service_proofs(
            session, [vid], START, END, tmp_path / "p.pdf", issued_on=ISSUED
        )
    assert numbers == ["志证〔2026〕0001号"]
    reader = PdfReader(tmp_path / "p.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        name,
        number,
        id_number,
        "志愿服务证明",
        "二〇二六年十一月二十六日",
        "李明",
        f"{hours:g} 小时",
    ):
        assert expected in text, expected
    assert any("LXGWWenKai" in f for f in _fonts(reader))
    assert any("/XObject" in page["/Resources"] for page in reader.pages)  # the seal image


def test_batch_prints_a_page_per_volunteer_with_sequential_numbers(demo_db, tmp_path):
    with demo_db.transaction() as session:
        ids = _busy_volunteers(session, 3)
        first = issue_service_proofs(
            session, ids[:1], START, END, tmp_path / "a.pdf", issued_on=ISSUED
        )
        batch = issue_service_proofs(
            session, ids, START, END, tmp_path / "b.pdf", issued_on=ISSUED, mask_ids=True
        )
        stored = session.scalars(
            select(ServiceCertificate.number).order_by(ServiceCertificate.seq)
        ).all()
        id_number = session.get(Volunteer, ids[0]).person.id_number
    assert first + batch == stored == [f"志证〔2026〕{n:04d}号" for n in range(1, 5)]
    reader = PdfReader(tmp_path / "b.pdf")
    assert len(reader.pages) >= 3
    text = reader.pages[0].extract_text()
    assert id_number not in text and id_number[:6] + "********" in text


def test_no_approved_records_in_the_period_means_no_proof_and_no_number(demo_db, tmp_path):
    with demo_db.transaction() as session:
        vid = session.scalar(select(Volunteer.id).limit(1))
        with pytest.raises(ValidationError, match="没有已审核的服务记录"):
            issue_service_proofs(
                session, [vid], date(2000, 1, 1), date(2000, 12, 31), tmp_path / "x.pdf"
            )
        assert session.scalar(select(func.count()).select_from(ServiceCertificate)) == 0
    assert not (tmp_path / "x.pdf").exists()


def test_a_missing_seal_file_is_reported_by_name(demo_db, tmp_path):
    with demo_db.transaction() as session:
        set_setting(session, "seal_image", str(tmp_path / "没有.png"))
        ids = _busy_volunteers(session, 1)
        with pytest.raises(ValidationError, match="公章图片"):
            issue_service_proofs(session, ids, START, END, tmp_path / "x.pdf")
