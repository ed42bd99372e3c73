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
    assert any("NotoSerifCJKsc-Regular" in f for f in _fonts(reader))
    assert any("NotoSerifCJKsc-Bold" in f for f in _fonts(reader))  # the title
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


def _lines(page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each printed line of a pdfplumber page: its text and its box (x0, top, x1, bottom)."""
    rows: dict[float, list[dict]] = {}
    for char in page.chars:
        rows.setdefault(round(char["bottom"]), []).append(char)
    lines = []
    for chars in rows.values():
        chars.sort(key=lambda c: c["x0"])
        # split a row where a gap wider than two characters separates two texts
        group = [chars[0]]
        for char in chars[1:]:
            if char["x0"] - group[-1]["x1"] > 2 * (char["x1"] - char["x0"]):
                lines.append(group)
                group = []
            group.append(char)
        lines.append(group)
    return [
        (
            "".join(c["text"] for c in group),
            (
                min(c["x0"] for c in group),
                min(c["top"] for c in group),
                max(c["x1"] for c in group),
                max(c["bottom"] for c in group),
            ),
        )
        for group in lines
    ]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_seal_covers_the_issuer_and_date_never_the_signers(demo_db, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    seal = draw_seal(tmp_path / "seal.png", "市卫生健康委团委")
    long_signer = "市卫生健康委团委副书记欧阳娜娜（主持全面工作）兼青年志愿者协会卫生分会会长"
    with demo_db.transaction() as session:
        set_setting(session, "seal_image", str(seal))
        set_setting(session, "service_proof_signer", long_signer)
        set_setting(session, "service_proof_handler", "王龑")
        set_setting(session, "service_proof_contact", "0571-87654321")
        ids = _busy_volunteers(session, 1)
        issue_service_proofs(session, ids, START, END, tmp_path / "p.pdf", issued_on=ISSUED)

    with pdfplumber.open(tmp_path / "p.pdf") as document:
        page = next(p for p in document.pages if "特此证明" in p.extract_text())
        (image,) = [i for i in page.images if i["width"] > 50]
        seal_box = (image["x0"], image["top"], image["x1"], image["bottom"])
        lines = _lines(page)

    signer_lines = [box for text, box in lines if "负责人" in text or "经办人" in text]
    signer_lines += [box for text, box in lines if "0571" in text or "兼青年" in text]
    assert len(signer_lines) >= 4  # the long 负责人 wrapped onto a line of its own
    assert not [box for box in signer_lines if _overlap(box, seal_box)]
    issuer = [box for text, box in lines if "盖章" in text]
    date_line = [box for text, box in lines if "二〇二六年十一月" in text]
    assert issuer and date_line
    assert _overlap(issuer[0], seal_box) and _overlap(date_line[0], seal_box)
    handler = next(text for text, _ in lines if "经办人" in text)
    assert "王龑" in handler and "负责人" not in handler
