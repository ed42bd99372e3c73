"""The one way to run long work (imports, exports, certificate batches) off the GUI thread.

The work is a plain function taking a ``Progress``; it runs on Qt's thread pool while a progress
dialog with Cancel stays responsive. Results and errors come back on the GUI thread.

Only job numbers cross between threads. The worker leaves its result in the job's record and
tells one dispatcher, which lives on the GUI thread for as long as the application does, that
the job has ended. So no Qt object is ever deleted by a worker, and every Python object a job
touched (widgets caught in its closures, the result, the error) is let go on the GUI thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk_league.services.progress import Progress
from desk_league.ui.messages import show_error


@dataclass
class _Job:
    """One piece of work, as the GUI thread keeps it until the work has ended."""

    work: Callable[[Progress], Any]
    progress: Progress
    on_progress: Callable[[int, int, str], None]
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    outcome: tuple[bool, Any] | None = field(default=None)  # (succeeded, result or error)


class _Dispatcher(QObject):
    """Hands the workers' news to the GUI thread. Made once, on the GUI thread, never deleted."""

    progressed = Signal(int, int, int, str)  # job, done, total, text
    ended = Signal(int)  # job

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())  # lives (and dies) with the application
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)

    @Slot(int, int, int, str)
    def _progressed(self, number: int, done: int, total: int, text: str) -> None:
        job = _jobs.get(number)
        if job is not None:
            job.on_progress(done, total, text)

    @Slot(int)
    def _ended(self, number: int) -> None:
        job = _jobs.pop(number, None)
        if job is None or job.outcome is None:
            return
        succeeded, value = job.outcome
        (job.on_done if succeeded else job.on_error)(value)


class _Runner(QRunnable):
    """Runs on a pool thread; holds nothing but the job number once the work has returned."""

    def __init__(self, number: int, work: Callable[[Progress], Any], progress: Progress):
        super().__init__()
        self.number, self.work, self.progress = number, work, progress

    def run(self) -> None:
        work, progress = self.work, self.progress
        self.work = self.progress = None
        try:
            outcome = (True, work(progress))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            outcome = (False, exc)
        del work, progress
        job = _jobs.get(self.number)
        if job is not None:
            job.outcome = outcome
        del job, outcome  # the GUI thread's record is now the only holder
        _dispatcher().ended.emit(self.number)


_jobs: dict[int, _Job] = {}  # running jobs by number; only the GUI thread adds or removes
_numbers = itertools.count(1)
_the_dispatcher: _Dispatcher | None = None


# Workers spend most of their time in SQLite or on the disk, with Python's lock released: more of
# them than cores keeps a list's page from queueing behind a start check or a long export.
MIN_WORKERS = 4


def _dispatcher() -> _Dispatcher:
    global _the_dispatcher
    if _the_dispatcher is None:
        _the_dispatcher = _Dispatcher()
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(MIN_WORKERS, pool.maxThreadCount()))
    return _the_dispatcher


def run_in_background(
    parent: QWidget | None,
    title: str,
    work: Callable[[Progress], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    *,
    show_dialog: bool = True,
) -> Progress:
    """Run ``work(progress)`` on the thread pool; ``on_done(result)`` runs on the GUI thread.

    With ``show_dialog`` a progress dialog with Cancel appears if the work takes a while.
    Errors go to ``on_error`` or, by default, to the standard error message.
    """
    dispatcher = _dispatcher()  # made here, on the GUI thread, before any worker needs it
    number = next(_numbers)
    progress = Progress(
        lambda done, total, text: dispatcher.progressed.emit(number, done, total or 0, text)
    )
    dialog = _progress_dialog(parent, title, progress) if show_dialog else None

    def show_progress(done: int, total: int, text: str) -> None:
        if dialog is None:
            return
        dialog.setMaximum(total)
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(f"{title}\n{text}")

    def finish() -> None:
        if dialog is not None:
            dialog.canceled.disconnect(progress.cancel)
            dialog.close()
            dialog.deleteLater()

    def succeeded(result: Any) -> None:
        finish()
        if on_done:
            on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        (on_error or (lambda e: show_error(parent, e, title)))(exc)

    _jobs[number] = _Job(work, progress, show_progress, succeeded, failed)
    QThreadPool.globalInstance().start(_Runner(number, work, progress))
    return progress


def _progress_dialog(parent: QWidget | None, title: str, progress: Progress) -> QProgressDialog:
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # quick jobs finish without a flashing dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(progress.cancel)
    return dialog


def background_jobs_running() -> int:
    return len(_jobs)


def wait_for_background_jobs(*, cancel: bool = False) -> None:
    """Block until every job has left its thread, cancelling them first if asked.

    Called before the database closes (the window closing, the application ending), so no
    work is cut off halfway through a query. Their ``on_done`` still runs if the event loop
    does; a closed window's callbacks check for themselves that it is gone.
    """
    if cancel:
        for job in list(_jobs.values()):
            job.progress.cancel()
    QThreadPool.globalInstance().waitForDone()
