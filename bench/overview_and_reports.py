"""P7: the 总览 and the year's reports on the scale-50 demo (≈10,000 volunteers, 100,000 hours).

The overview counts in the background and then draws on the GUI thread: the drawing (and the
refresh call itself) must stay under the 100 ms the GUI may be busy. The background queries,
the annual workbook and the summary draft are printed for information.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import bench_database, verdict

RUNS = 5
OVERVIEW_TARGET_MS = 100


def _median_ms(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from desk_league.data.db import open_database
    from desk_league.services import overview, store
    from desk_league.services.statistics import export_annual_statistics
    from desk_league.services.year_end_summary import build_summary_draft
    from desk_league.ui.app import create_application
    from desk_league.ui.background import wait_for_background_jobs
    from desk_league.ui.overview_tab import GROUPS, OverviewTab

    db = open_database(bench_database(50), lock=False, backup=False)
    today = date.today()
    try:

        def services() -> None:
            with db.reading() as session:
                for _title, fetch, _empty in GROUPS:
                    fetch(session, today)
                overview.year_counts(session, today)
                overview.chart_data(session, today.year)

        queries = _median_ms(services)
        print(f"overview queries (background thread): {queries:.0f} ms (for information)")

        create_application([])
        store.attach(db)
        tab = OverviewTab()
        tab.resize(1400, 780)
        tab.show()
        tab._loaded = True
        start = time.perf_counter()
        tab.refresh()
        start_call = (time.perf_counter() - start) * 1000
        wait_for_background_jobs()  # let the background load end before timing
        QApplication.processEvents()
        with db.reading() as session:
            groups = [(title, fetch(session, today), empty) for title, fetch, empty in GROUPS]
            counts = overview.year_counts(session, today)
            charts = overview.chart_data(session, today.year)

        def draw() -> None:
            tab._show_reminders(groups)
            tab._show_figures(counts, today.year)
            tab._show_charts(charts)

        gui = start_call + _median_ms(draw)
        print(
            f"overview on the GUI thread (refresh call + drawing): {gui:.0f} ms "
            f"(target < {OVERVIEW_TARGET_MS} ms) {verdict(gui, OVERVIEW_TARGET_MS)}"
        )

        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "annual.xlsx"

            def workbook() -> None:
                with db.reading() as session:
                    export_annual_statistics(session, out, year=today.year, today=today)

            print(
                f"annual statistics workbook: {_median_ms(workbook) / 1000:.2f} s (background, for information)"
            )

        def draft() -> None:
            with db.reading() as session:
                build_summary_draft(session, today.year, today)

        print(f"year-end summary draft: {_median_ms(draft) / 1000:.2f} s (for information)")
        return 0 if gui <= OVERVIEW_TARGET_MS else 1
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
