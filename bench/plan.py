"""Plan timings: parsing a plan text, loading the tree, and reloading the tab (run: python bench/plan.py).

The tab reloads its tree on the GUI thread after every edit, so that must stay well under the
100 ms the GUI may block. Prints one line per metric with its target.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desk_league.data.db import open_database  # noqa: E402
from desk_league.imports.plan_text import int_to_chinese, parse_plan_text  # noqa: E402
from desk_league.services import plan_import, plan_tree  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "tests" / "data" / "seed_plan.txt"
SECTIONS, TASKS = 20, 25  # 500 tasks: far more than any real plan


def big_plan_text() -> str:
    lines = ["大型测试计划", "总体思路：压力测试。"]
    for s in range(1, SECTIONS + 1):
        lines.append(f"{int_to_chinese(s)}、第{s}板块")
        lines.extend(f"{t}、事项{s}-{t}，说明文字。" for t in range(1, TASKS + 1))
    return "\n".join(lines)


def best_ms(work, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def report(name: str, ms: float, target: float) -> None:
    verdict = "ok" if ms <= target else "SLOW"
    print(f"{name:<34} {ms:8.1f} ms   (target < {target:.0f} ms) {verdict}")


def main() -> None:
    seed_text = SEED.read_text("utf-8")
    big = big_plan_text()
    report("parse seed plan text", best_ms(lambda: parse_plan_text(seed_text)), 50)
    report(f"parse {SECTIONS * TASKS}-task plan text", best_ms(lambda: parse_plan_text(big)), 200)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db", lock=False, backup=False)
        with db.transaction() as session:
            plan_import.import_plan(session, parse_plan_text(big), 2026)
        today = date(2026, 6, 1)

        def load() -> None:
            with db.reading() as session:
                plan_tree.plan_tree(session, 2026, today)

        report(f"load tree of {SECTIONS * TASKS} tasks (service)", best_ms(load), 50)
        from desk_league.services import store
        from desk_league.ui.app import create_application
        from desk_league.ui.plan_tab import PlanTab

        create_application([])
        store.attach(db)
        tab = PlanTab()
        tab.resize(1300, 800)
        tab.show()
        tab.ensure_loaded()
        report(f"reload tab tree of {SECTIONS * TASKS} tasks (GUI)", best_ms(tab.reload_tree), 100)
        tab.close()
        db.close()


if __name__ == "__main__":
    main()
