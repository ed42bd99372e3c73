"""The honour commands on a fresh demo database, as the clerk would type them."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desk_league.cli import main
from desk_league.data.models import Commendation, Honour


def _batch(demo_db) -> tuple[int, list[str]]:
    with demo_db.reading() as session:
        batch_id = session.scalar(select(Commendation.id).where(Commendation.status == "approved"))
        numbers = list(
            session.scalars(
                select(Honour.certificate_number)
                .where(Honour.commendation_id == batch_id)
                .order_by(Honour.certificate_number)
            )
        )
    return batch_id, numbers


def test_certificates_for_the_demo_batch(demo_db, tmp_path, capsys):
    batch_id, numbers = _batch(demo_db)
    out = tmp_path / "证书"

    code = main(
        [
            "certificates",
            "honours",
            "--db",
            str(demo_db.path),
            "--batch",
            str(batch_id),
            "--out",
            str(out),
            "--separate",
        ]
    )

    assert code == 0
    assert f"已生成 {len(numbers)} 份荣誉证书" in capsys.readouterr().out
    combined = next(out.glob("*_荣誉证书.pdf"))
    pages = PdfReader(combined).pages
    assert 35 <= len(pages) == len(numbers)
    printed = [re.search(r"证书编号：(\S+)", page.extract_text()).group(1) for page in pages]
    assert printed == numbers
    assert len(list(out.glob("20??-???_*.pdf"))) == len(numbers)


def test_certificates_for_chosen_honours_only(demo_db, tmp_path):
    with demo_db.reading() as session:
        ids = list(
            session.scalars(
                select(Honour.id).where(Honour.certificate_number.is_not(None)).limit(2)
            )
        )

    code = main(
        [
            "certificates",
            "honours",
            "--db",
            str(demo_db.path),
            "--honours",
            ",".join(map(str, ids)),
            "--out",
            str(tmp_path),
        ]
    )

    assert code == 0
    assert len(PdfReader(next(tmp_path.glob("*.pdf"))).pages) == 2


def test_an_unknown_batch_is_a_clear_error(demo_db, tmp_path, capsys):
    code = main(
        [
            "certificates",
            "honours",
            "--db",
            str(demo_db.path),
            "--batch",
            "999",
            "--out",
            str(tmp_path),
        ]
    )

    assert code == 1
    assert "找不到该表彰批次（编号 999）" in capsys.readouterr().err


def test_registers_through_the_export_command(demo_db, tmp_path):
    batch_id, numbers = _batch(demo_db)
    with demo_db.reading() as session:
        year = session.get(Commendation, batch_id).year

    for kind, extra in [
        ("commendation", ["--batch", str(batch_id)]),
        ("honours", ["--year", str(year)]),
        ("youth-civilization", []),
    ]:
        assert (
            main(
                [
                    "export",
                    kind,
                    "--db",
                    str(demo_db.path),
                    "--out",
                    str(tmp_path / f"{kind}.xlsx"),
                    *extra,
                ]
            )
            == 0
        )

    sheet = load_workbook(tmp_path / "commendation.xlsx").worksheets[0]
    assert sheet["A1"].value.endswith("先进集体和先进个人名单")
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert all(number in cells for number in numbers)
    youth = load_workbook(tmp_path / "youth-civilization.xlsx").worksheets[0]
    assert youth["A1"].value == "市直卫生系统青年文明号集体登记表"
