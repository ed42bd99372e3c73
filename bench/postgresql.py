"""P8: the main lists and reports on PostgreSQL against SQLite, at scale 50 (≈10,000
volunteers, 100,000 service records), as ratios PostgreSQL / SQLite.

The scale-50 demo file is restored onto a throwaway PostgreSQL server of the bench's own
(Debian's package, a Unix socket in a temporary folder: tests/postgres_server.py) with
``desk-league restore``, timed for information. Each engine is then measured in a fresh process
of its own: every list path through the app's ListingModel (the first page, then a name
filter), median of 5; every report path once (they write whole workbooks). Target: the
service-records list's first page within 2× of SQLite's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from common import bench_database, verdict

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAGE_TARGET = 2.0

MEASURE = r"""
import json, statistics, sys, tempfile, time
from datetime import date
from pathlib import Path
from desk_league.data.db import open_database
from desk_league.services import overview
from desk_league.services.activities import ACTIVITIES
from desk_league.services.honours import HONOURS
from desk_league.services.organisations import ORGANISATIONS
from desk_league.services.statistics import export_annual_statistics
from desk_league.services.volunteers import (
    SERVICE_RECORDS, export_hours_statistics, export_service_records_register,
    star_thresholds, volunteer_listing,
)
from desk_league.ui.app import create_application
from desk_league.ui.overview_tab import GROUPS
from desk_league.ui.table_model import ListingModel

where = sys.argv[1]
db = (open_database(url=where, lock=False, backup=False) if "://" in where
      else open_database(Path(where), lock=False, backup=False))
create_application([])
today = date.today()
with db.reading() as session:
    volunteers = volunteer_listing(star_thresholds(session))
times = {}

def median_ms(action, runs=5):
    spent = []
    for _ in range(runs):
        start = time.perf_counter(); action(); spent.append(time.perf_counter() - start)
    return statistics.median(spent) * 1000

for title, listing in [("志愿服务记录", SERVICE_RECORDS), ("志愿者", volunteers),
                       ("活动台账", ACTIVITIES), ("荣誉登记", HONOURS), ("团组织", ORGANISATIONS)]:
    model = ListingModel(db, listing)
    times[f"{title}：第一页"] = median_ms(model.refresh)
    name = model.data(model.index(0, 2)) if model.rowCount() else ""
    times[f"{title}：按姓名/名称筛选"] = median_ms(lambda: (model.set_text(name), model.set_text("")))

def overview_counts():
    with db.reading() as session:
        for _title, fetch, _empty in GROUPS:
            fetch(session, today)
        overview.year_counts(session, today)
        overview.chart_data(session, today.year)

times["总览：提醒与统计"] = median_ms(overview_counts, runs=3)
with tempfile.TemporaryDirectory() as folder:
    out = Path(folder)
    def report(write):
        with db.reading() as session:
            write(session)
    times["报表：志愿服务时长统计"] = median_ms(lambda: report(
        lambda s: export_hours_statistics(s, out / "h.xlsx", today.year, today=today)), runs=1)
    times["报表：志愿服务记录明细（全部）"] = median_ms(lambda: report(
        lambda s: export_service_records_register(s, out / "r.xlsx", today=today)), runs=1)
    times["报表：年度统计"] = median_ms(lambda: report(
        lambda s: export_annual_statistics(s, out / "a.xlsx", year=today.year, today=today)), runs=1)
db.close()
print(json.dumps(times, ensure_ascii=False))
"""


def _measure(where: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, where], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import PostgresServer

    server = PostgresServer.find()
    if server is None:
        print("PostgreSQL is not installed (apt-get install postgresql): P8 not measured")
        return 0
    path = bench_database(50)
    server.start()
    try:
        url = server.url(server.create_database()).render_as_string(hide_password=False)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "desk_league.cli", "restore", "--url", url, str(path)],
            check=True,
            capture_output=True,
        )
        print(
            f"P8 restoring the scale-50 file onto the server: {time.perf_counter() - start:.1f} s"
        )
        on_file, on_server = _measure(str(path)), _measure(url)
    finally:
        server.stop()
    print(f"{'P8 path':<34}{'SQLite':>10}{'PostgreSQL':>12}{'ratio':>8}")
    for key, file_ms in on_file.items():
        ratio = on_server[key] / file_ms if file_ms else float("inf")
        print(f"{key:<30}{file_ms:>10.0f} ms{on_server[key]:>9.0f} ms{ratio:>7.2f}x")
    first = on_server["志愿服务记录：第一页"] / on_file["志愿服务记录：第一页"]
    print(
        f"P8 service-records first page on PostgreSQL: {first:.2f}x SQLite "
        f"(target <= {FIRST_PAGE_TARGET:.0f}x) {verdict(first, FIRST_PAGE_TARGET)}"
    )
    return 0 if first <= FIRST_PAGE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
