"""P3 the registers and P5 the roster import, through the command line, as whole processes.

    python bench/volunteers.py [--scale 50] [--scale 200] [--runs 5] [--only p3|hours|p5]

Each figure alternates the real console script (``desk-league export …`` / ``import …`` on a
copy of the scale-N demo database) with an independent floor run as its own process: the
standard library's sqlite3 for the query and openpyxl's write-only mode for the file
(``bench/_floors/*_register.py``), or openpyxl's read-only parse without defusedxml for a roster
(``bench/_floors/parse_workbook.py``). Targets: P3 ≤ 1.3x, P5 ≤ 2x.

- P3: 志愿者花名册 (``export volunteers``, every volunteer with their hours and star) and, for
  information, 志愿服务记录明细 of the busiest year (``export service-records``);
- P5: a 10,000-row roster (``import volunteers``: read, validate, commit in one transaction),
  as openpyxl writes it (inline strings, like the app's own registers) and, where LibreOffice is
  installed, as an office suite saves it (a shared-strings table, as Excel and WPS write too);
- ``export hours`` streams: its process's peak memory at each scale (flat as the scale grows).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
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

P3_TARGET, P5_TARGET = 1.3, 2.0
ROSTER_ROWS = 10_000
FLOORS = BENCH / "_floors"


def busiest_year(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT substr(served_on, 1, 4), count(*) FROM service_record "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    conn.close()
    return int(row[0])


def p3(scale: int, runs: int, root: Path) -> dict[str, Ratio]:
    path = fresh_copy(bench_database(scale), root / f"p3-{scale}")
    env = quiet_env(root)
    out = root / f"p3-{scale}"
    roster = alternate(
        lambda: timed_process(
            desk_league("export", "volunteers", "--db", str(path), "--out", str(out / "a.xlsx")),
            env,
        ),
        lambda: timed_process(
            python(str(FLOORS / "roster_register.py"), str(path), str(out / "f.xlsx")), env
        ),
        runs,
    )
    year = busiest_year(path)
    records = alternate(
        lambda: timed_process(
            desk_league(
                "export",
                "service-records",
                "--db",
                str(path),
                "--year",
                str(year),
                "--out",
                str(out / "r.xlsx"),
            ),
            env,
        ),
        lambda: timed_process(
            python(str(FLOORS / "records_register.py"), str(path), str(year), str(out / "g.xlsx")),
            env,
        ),
        runs,
    )
    results = {"roster": Ratio(*roster), "records": Ratio(*records)}
    print(results["roster"].line(f"P3 scale {scale}: 志愿者花名册 (export volunteers)", P3_TARGET))
    print(
        results["records"].line(
            f"P3 scale {scale}: 志愿服务记录明细 {year} (export service-records, for information)"
        )
    )
    return results


def peak_memory_mb(cmd: list[str], env: dict[str, str]) -> float:
    """The peak resident memory of one whole process (Linux: the children's ru_maxrss)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024  # the largest child so far: run the smaller scale first


def hours_memory(scales: list[int], root: Path) -> None:
    env = quiet_env(root)
    peaks = {}
    for scale in sorted(scales):
        path = bench_database(scale)
        year = busiest_year(path)
        out = root / f"hours-{scale}.xlsx"
        peaks[scale] = peak_memory_mb(
            desk_league(
                "export", "hours", "--db", str(path), "--year", str(year), "--out", str(out)
            ),
            env,
        )
    text = ", ".join(f"scale {s}: {mb:.0f} MB" for s, mb in peaks.items())
    print(f"export hours (streams): peak memory of the whole process {text}")


def roster_file(path: Path, units: list[str], n: int) -> Path:
    from openpyxl import Workbook
    from stdnum.cn import ric

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
        sheet.append(
            [
                i,
                f"志愿者{i}",
                "男" if i % 2 else "女",
                body + ric.calc_check_digit(body + "0"),
                f"139{i:08d}",
                units[i % len(units)],
                "内科",
                "共青团员",
                "健康教育",
                "2025-03-05",
            ]
        )
    workbook.save(path)
    return path


def office_saved(path: Path) -> Path | None:
    """``path`` saved again by LibreOffice: text in a shared-strings table, as Excel and WPS
    save it; None where LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    out = path.parent / "office"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / path.name


def p5(runs: int, root: Path) -> list[Ratio]:
    template = root / "p5" / "template.db"
    template.parent.mkdir(parents=True)
    subprocess.run(desk_league("demo", "--db", str(template)), check=True, capture_output=True)
    import sqlite3

    with sqlite3.connect(template) as conn:
        units = [
            u for (u,) in conn.execute("SELECT DISTINCT unit FROM organisation WHERE unit != ''")
        ]
    conn.close()
    roster = roster_file(root / "p5" / "roster.xlsx", sorted(units), ROSTER_ROWS)
    env = quiet_env(root)
    floor_env = dict(env, OPENPYXL_DEFUSEDXML="False")
    copies = iter(range(10_000))

    def app(path: Path) -> float:
        copy = template.with_name(f"import{next(copies)}.db")
        shutil.copyfile(template, copy)
        return timed_process(desk_league("import", "volunteers", str(path), "--db", str(copy)), env)

    def floor(path: Path) -> float:
        return timed_process(python(str(FLOORS / "parse_workbook.py"), str(path)), floor_env)

    results = []
    saved = office_saved(roster)
    for path, how in ((roster, "written by openpyxl"), (saved, "saved by LibreOffice")):
        if path is None:
            print(f"P5 roster {how}: skipped, LibreOffice (soffice) is not installed")
            continue
        result = Ratio(*alternate(lambda p=path: app(p), lambda p=path: floor(p), runs))
        name = f"P5 roster import, {ROSTER_ROWS:,} rows {how} (validate + commit)"
        print(result.line(name, P5_TARGET))
        results.append(result)
    return results


def main() -> None:
    args = arguments(__doc__, parts=("p3", "hours", "p5"))
    compile_program()
    print(load_average())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results = {scale: p3(scale, args.runs, root) for scale in args.scale if "p3" in args.only}
        if len(results) > 1:
            low = min(results)
            for scale in (s for s in results if s != low):
                for kind, ratio in results[scale].items():
                    growth = (
                        sorted(ratio.app)[len(ratio.app) // 2]
                        / sorted(results[low][kind].app)[len(ratio.app) // 2]
                    )
                    print(
                        f"P3 growth of {kind} from {low} to {scale}: {growth:.2f}x (the data: {scale / low:.0f}x)"
                    )
        if "hours" in args.only:
            hours_memory(args.scale, root)
        if "p5" in args.only:
            p5(args.runs, root)
    print(load_average())


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
