"""P1: the real ``desk-league`` to a shown window and to data on screen; P2: the long lists.

    python bench/startup_and_lists.py [--scale 50] [--scale 200] [--runs 5] [--p2-scale 500]

P1 starts the console script of this checkout as its own process on a copy of the scale-N demo
database, with the probe of ``bench/_probe`` watching from inside (its first paint, then the
current tab's data on screen), against a bare PySide6 window with the same six tabs and the same
font (``bench/_probe/bare_window.py``), alternately A B A B. It starts once on 总览 (the tab a new
PC opens on) and once on 志愿者 (the long lists). Targets: shown ≤ 1.5× the bare window; data on
screen ≤ 2× at scale 50 and ≤ 3× at scale 500.

P2, at ``--p2-scale`` (500: 100,000 volunteers, 1,000,000 service records), does the clerk's list
work on the 志愿者 tab with a 5 ms heartbeat timer on the GUI thread: the longest gap between beats
is the longest freeze (target: none over 100 ms). At scale 50 it times one keystroke in the
search box until the filtered rows show (target ≤ 150 ms) and the memory after every tab was
visited (target ≤ 250 MB).

Start-up safety (issue 18 item 2): the second start on an unchanged database must write nothing
(the file and the backups folder as they were) and the backups kept stay under 15.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

from common import (
    PROBE,
    Ratio,
    alternate,
    arguments,
    bench_database,
    compile_program,
    desk_league,
    fresh_copy,
    load_average,
    probed_process,
    python,
    quiet_env,
    verdict,
)

TAB_INDEX = {"总览": 0, "志愿者": 3}
SHOWN_TARGET = 1.5
DATA_TARGETS = {50: 2.0, 500: 3.0}
FREEZE_TARGET_MS = 100
KEYSTROKE_TARGET_MS = 150
RSS_TARGET_MB = 250


class Office:
    """A private copy of a demo database with its own settings folder, opened on ``tab``."""

    def __init__(self, scale: int, folder: Path, tab: str = "总览") -> None:
        self.home = folder
        self.path = fresh_copy(bench_database(scale), folder / "data")
        self.tab = tab

    def env(self, probe: str) -> dict[str, str]:
        settings = self.home / "config" / "desk-league"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "desk-league.conf").write_text(
            f"[main_window]\ntab={TAB_INDEX[self.tab]}\n", encoding="utf-8"
        )
        return quiet_env(self.home, PYTHONPATH=str(PROBE), DESK_LEAGUE_PROBE=probe)

    def start(self, probe: str = "start") -> dict:
        return probed_process(desk_league("--db", str(self.path)), self.env(probe))


def bare_window(folder: Path) -> dict:
    return probed_process(
        python(str(PROBE / "bare_window.py")), quiet_env(folder, PYTHONPATH=str(PROBE))
    )


def p1(scale: int, runs: int, folder: Path) -> dict[str, Ratio]:
    results = {}
    for tab in TAB_INDEX:
        office = Office(scale, folder / f"p1-{scale}-{tab}", tab)
        app_runs, bare_runs = alternate(office.start, lambda: bare_window(folder), runs)
        bare = [r["shown"] for r in bare_runs]
        shown = Ratio([r["shown"] for r in app_runs], bare)
        data = Ratio([r["data"] for r in app_runs], bare)
        results[tab] = data
        print(shown.line(f"P1 scale {scale}, {tab}: to a shown window", SHOWN_TARGET, "ms"))
        target = DATA_TARGETS.get(scale)
        print(data.line(f"P1 scale {scale}, {tab}: until its data is on screen", target, "ms"))
    return results


def safety(scale: int, folder: Path) -> None:
    """The second start on an unchanged database writes nothing; the backups stay few."""
    from desk_league.data.backup import MAX_KEPT, list_backups
    from desk_league.data.sqlite_files import fingerprint

    office = Office(scale, folder / f"safety-{scale}")
    office.start("start")  # the first start: a start backup, in the background
    office.start("settle")  # waits for the check and the backup to end
    before = (fingerprint(office.path), list_backups(office.path))
    office.start("settle")
    after = (fingerprint(office.path), list_backups(office.path))
    unchanged = before == after
    kept = len(after[1])
    size = sum(p.stat().st_size for p in after[1]) / 1e6
    print(
        f"start-up safety, scale {scale}: a start on an unchanged database writes "
        f"{'nothing' if unchanged else 'SOMETHING'} ({'OK' if unchanged else 'OVER TARGET'}); "
        f"backups kept {kept} ({size:.0f} MB), at most {MAX_KEPT} by the thinning rule "
        f"(target < 15) {verdict(MAX_KEPT, 14)}"
    )


def p2_lists(scale: int, folder: Path) -> None:
    office = Office(scale, folder / f"p2-{scale}", "志愿者")
    steps = office.start("lists")["steps"]
    worst = max(step["longest_freeze_ms"] for step in steps.values())
    print(f"P2 scale {scale}: the clerk's list work on the 志愿者 tab (heartbeat every 5 ms)")
    for name, step in steps.items():
        print(
            f"    {name:<44} rows after {step['rows_seconds'] * 1000:6.0f} ms, "
            f"counted after {step['seconds'] * 1000:6.0f} ms, "
            f"longest freeze {step['longest_freeze_ms']:4.0f} ms"
        )
    print(
        f"P2 scale {scale}: longest GUI-thread freeze {worst:.0f} ms "
        f"(target <= {FREEZE_TARGET_MS} ms) {verdict(worst, FREEZE_TARGET_MS)}"
    )


def p2_keystroke_and_memory(scale: int, runs: int, folder: Path) -> None:
    office = Office(scale, folder / f"p2-keys-{scale}", "志愿者")
    keys, freezes = [], []
    for _ in range(runs):
        steps = office.start("lists")["steps"]
        keys.append(steps["volunteers: one keystroke 王"]["rows_seconds"])
        freezes.append(max(s["longest_freeze_ms"] for s in steps.values()))
    low, mid = min(keys) * 1000, statistics.median(keys) * 1000
    print(
        f"P2 scale {scale}: one keystroke in the search box to filtered rows on screen "
        f"{low:.0f} / {mid:.0f} ms (min / median, target <= {KEYSTROKE_TARGET_MS} ms) "
        f"{verdict(mid, KEYSTROKE_TARGET_MS)}; longest freeze {min(freezes):.0f} / "
        f"{statistics.median(freezes):.0f} ms"
    )
    visits = [Office(scale, folder / f"p2-tabs-{scale}-{n}").start("tabs") for n in range(3)]
    rss = [v["rss_mb"] for v in visits]
    tabs = visits[-1]["tabs"]
    print(
        f"P2 scale {scale}: memory after visiting every tab {min(rss):.0f} / "
        f"{statistics.median(rss):.0f} MB (target <= {RSS_TARGET_MB} MB) "
        f"{verdict(statistics.median(rss), RSS_TARGET_MB)}; with the first tab only "
        f"{visits[-1]['data_rss_mb']:.0f} MB"
    )
    print(
        "    each tab's data on screen after it was chosen: "
        + json.dumps(
            {title: round(seconds * 1000) for title, seconds in tabs.items()}, ensure_ascii=False
        )
        + " ms"
    )


def main() -> None:
    args = arguments(__doc__, scales=(50,), p2_scale=500)
    compile_program()
    print(load_average())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = {scale: p1(scale, args.runs, root) for scale in args.scale}
        if 50 in data and len(data) > 1:
            for scale in (s for s in data if s != 50):
                for tab in TAB_INDEX:
                    growth = statistics.median(data[scale][tab].app) / statistics.median(
                        data[50][tab].app
                    )
                    print(f"P1 growth of data on screen ({tab}) from 50 to {scale}: {growth:.2f}x")
        safety(min(args.scale), root)
        p2_keystroke_and_memory(50, args.runs, root)
        p2_lists(args.p2_scale, root)
    print(load_average())


if __name__ == "__main__":
    main()
