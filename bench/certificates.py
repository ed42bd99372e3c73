"""P4: 500 honour certificates through the command line, as whole processes.

    python bench/certificates.py [--runs 5]

A batch of 500 honours with certificate numbers is added to a copy of the scale-50 demo, printed
from the default template with a background image (a scan of pre-printed stock, as issue 6 set
P4); then ``desk-league certificates honours --batch N --out DIR`` (the real console script:
start, query, glyph check, 500 pages) alternates with the floor, ``bench/_floors/certificates.py``
(the standard library's sqlite3 and reportlab drawing the same image and the same text at the
same places in the same fonts, by hand). Target: ratio ≤ 1.5x.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from common import (
    BENCH,
    Ratio,
    alternate,
    arguments,
    bench_database,
    compile_program,
    desk_league,
    fresh_copy,
    load_average,
    python,
    quiet_env,
    timed_process,
)

COUNT = 500
TARGET = 1.5


def make_stock(path: Path) -> Path:
    """A scan of pre-printed certificate stock: A4 landscape at 150 dpi, cream paper with a
    printed frame and a faint pattern, saved as JPEG as a scanner would."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1754, 1240), (251, 246, 232))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1754, 24):
        draw.line([(x, 0), (x + 600, 1240)], fill=(246, 238, 218), width=2)
    for inset, colour in ((40, (196, 160, 80)), (56, (214, 186, 120))):
        draw.rectangle([inset, inset, 1754 - inset, 1240 - inset], outline=colour, width=6)
    image.save(path, quality=88)
    return path


def add_batch(path: Path, count: int, background: Path) -> int:
    """A commendation batch of ``count`` personal honours, numbered, printed from the default
    template with ``background`` behind each page (the setup, not timed)."""
    from sqlalchemy import insert, select

    from desk_league.data.db import open_database
    from desk_league.data.models import (
        CertificateTemplate,
        Commendation,
        Honour,
        HonourType,
        Person,
    )

    db = open_database(path, lock=False, backup=False)
    try:
        with db.transaction() as session:
            default = session.scalars(select(CertificateTemplate).order_by("id")).first()
            template = CertificateTemplate(
                name="荣誉证书（印制底纹）",
                kind="honour",
                page_size=default.page_size,
                landscape=default.landscape,
                title=default.title,
                body=default.body,
                issuer=default.issuer,
                layout={**(default.layout or {}), "background": str(background)},
            )
            session.add(template)
            session.flush()
            batch = Commendation(
                title="2026年度市直卫生系统优秀共青团员",
                year=2026,
                granting_body="市卫生健康委团委",
                status="approved",
                template_id=template.id,
            )
            session.add(batch)
            session.flush()
            kind = session.scalar(select(HonourType.id).where(HonourType.name == "优秀共青团员"))
            people = session.scalars(select(Person.id).order_by(Person.id).limit(count)).all()
            session.execute(
                insert(Honour),
                [
                    {
                        "honour_type_id": kind,
                        "title": "优秀共青团员",
                        "year": 2026,
                        "person_id": person,
                        "granting_body": "市卫生健康委团委",
                        "granted_on": date(2027, 4, 28),
                        "certificate_number": f"B2026-{n:04d}",
                        "commendation_id": batch.id,
                    }
                    for n, person in enumerate(people, start=1)
                ],
            )
            return batch.id
    finally:
        db.close()


def main() -> None:
    args = arguments(__doc__)
    compile_program()
    print(load_average())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = fresh_copy(bench_database(50), root / "data")
        background = make_stock(root / "stock.jpg")
        batch = add_batch(path, COUNT, background)
        env = quiet_env(root)
        app = desk_league("certificates", "honours", "--db", str(path), "--batch", str(batch)) + [
            "--out",
            str(root / "app"),
        ]
        floor = python(
            str(BENCH / "_floors" / "certificates.py"), str(path), str(batch), str(background)
        )
        apps, floors = alternate(
            lambda: timed_process(app, env),
            lambda: timed_process([*floor, str(root / "floor.pdf")], env),
            args.runs,
        )
        print(Ratio(apps, floors).line(f"P4 {COUNT} certificates through the CLI", TARGET))
        made = next((root / "app").glob("*.pdf"))
        sizes = made.stat().st_size / 1e6, (root / "floor.pdf").stat().st_size / 1e6
        print(f"P4 file size: app {sizes[0]:.1f} MB, floor {sizes[1]:.1f} MB")
    print(load_average())


if __name__ == "__main__":
    main()
