"""Volunteer speed checks (not tests): P3 the hours register, P5 the roster import.

    python bench/volunteers.py [--db SCALE50.db]

P3 writes 志愿服务记录明细 for every service record of a scale-50 demo (100,000 records; the
benchmarks' shared database from common.py) and compares it
with a bare openpyxl write-only loop over the same query's rows. P5 imports a generated
10,000-row roster (validate + commit, one transaction) into a fresh demo database and compares
it with a bare openpyxl read-only parse of the same file.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import scale50_database  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from desk_league.data.db import open_database  # noqa: E402
from desk_league.services import volunteers  # noqa: E402
from desk_league.services.demo import build_demo  # noqa: E402
from desk_league.services.listing import ListQuery  # noqa: E402
from desk_league.services.organisations import unit_names  # noqa: E402
from desk_league.services.volunteer_import import import_file  # noqa: E402

P3_TARGET, P5_TARGET = 1.2, 2.0
ROSTER_ROWS = 10_000


def _timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _compared(ours, raw, repeat: int = 3) -> tuple[float, float]:
    """Best of ``repeat`` for each, interleaved so a busy machine slows both alike."""
    best_ours, best_raw = float("inf"), float("inf")
    for _ in range(repeat):
        best_ours = min(best_ours, _timed(ours, 1))
        best_raw = min(best_raw, _timed(raw, 1))
    return best_ours, best_raw


def _peak_mb(fn) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


# --- P3 ----------------------------------------------------------------------------------------


def bench_p3(db_path: Path, out: Path) -> None:
    db = open_database(db_path, lock=False, backup=False)
    keys = [c.key for c in volunteers.RECORD_COLUMNS]

    def ours(query: ListQuery | None = None) -> None:
        with db.reading() as session:
            volunteers.export_service_records_register(session, out / "ours.xlsx", query)

    def raw() -> None:
        with db.reading() as session:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("raw")
            sheet.append([c.title for c in volunteers.RECORD_COLUMNS])
            for row in volunteers.SERVICE_RECORDS.iter_rows(session, ListQuery()):
                sheet.append([row[k] for k in keys])
            workbook.save(out / "raw.xlsx")

    with db.reading() as session:
        rows = volunteers.SERVICE_RECORDS.count(session, ListQuery())
    t_ours, t_raw = _compared(ours, raw)
    small = ListQuery(filters={"unit": "市眼科医院"})
    with db.reading() as session:
        small_rows = volunteers.SERVICE_RECORDS.count(session, small)
    peak_all, peak_small = _peak_mb(ours), _peak_mb(lambda: ours(small))
    db.close()
    ratio = t_ours / t_raw
    print(
        f"P3 hours register, {rows:,} records: {t_ours:.2f} s vs raw openpyxl write-only {t_raw:.2f} s "
        f"→ ratio {ratio:.2f}× (target ≤ {P3_TARGET}×) {'OK' if ratio <= P3_TARGET else 'OVER'}"
    )
    print(
        f"P3 peak Python memory: {peak_all:.1f} MB for {rows:,} rows, {peak_small:.1f} MB for "
        f"{small_rows:,} rows (flat: the larger list must not cost proportionally more)"
    )


# --- P5 ----------------------------------------------------------------------------------------


def _roster(path: Path, units: list[str], n: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("志愿者")
    sheet.append(["2026年志愿者登记表"])
    sheet.append(["填报单位：（盖章）"])
    sheet.append(
        [
            "序号",
            "姓名",
            "性别",
            "公民身份号码",
            "手机",
            "工作单位",
            "科室",
            "政治面貌",
            "服务队",
            "注册日期",
        ]
    )
    for i in range(1, n + 1):
        birth = date(1990 + i % 15, 1 + i % 12, 1 + i % 28)
        order = (i // 3000) * 2 + (i % 2)
        body = f"{370101 + i % 3000:06d}{birth:%Y%m%d}{order:03d}"
        ident = body + ric.calc_check_digit(body + "0")
        sheet.append(
            [
                i,
                f"志愿者{i}",
                "男" if i % 2 else "女",
                ident,
                f"139{i:08d}",
                units[i % len(units)],
                "内科",
                "共青团员",
                "健康教育",
                "2025-03-05",
            ]
        )
    workbook.save(path)


def bench_p5(out: Path) -> None:
    template = out / "template.db"
    db = open_database(template, lock=False, backup=False)
    with db.transaction() as session:
        build_demo(session)
    with db.reading() as session:
        units = unit_names(session)
    db.close()
    roster = out / "roster.xlsx"
    _roster(roster, units, ROSTER_ROWS)

    def raw() -> None:
        workbook = load_workbook(roster, read_only=True, data_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            pass
        workbook.close()

    timings = []
    for n in range(3):
        copy = out / f"import{n}.db"
        shutil.copy2(template, copy)
        db = open_database(copy, lock=False, backup=False)
        start = time.perf_counter()
        with db.transaction() as session:
            preview, result = import_file(session, roster)
        timings.append(time.perf_counter() - start)
        db.close()
        assert preview.ok and result is not None and result.created == ROSTER_ROWS, preview.errors[
            :3
        ]
    t_ours, t_raw = min(timings), _timed(raw)
    ratio = t_ours / t_raw
    print(
        f"P5 roster import, {ROSTER_ROWS:,} rows (validate + commit): {t_ours:.2f} s vs raw openpyxl "
        f"read-only parse {t_raw:.2f} s → ratio {ratio:.2f}× (target ≤ {P5_TARGET}×) "
        f"{'OK' if ratio <= P5_TARGET else 'OVER'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="scale-50 demo database (default: the benchmarks' shared one, built if missing)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_p3(args.db or scale50_database(), Path(folder))
        bench_p5(Path(folder))


if __name__ == "__main__":
    main()
