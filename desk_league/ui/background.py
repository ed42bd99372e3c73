"""The one way to run long work (imports, exports, certificate batches) off the GUI thread.

The work is a plain function taking a ``Progress``; it runs on Qt's thread pool while a progress
dialog with Cancel stays responsive. Results and errors come back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk_league.services.progress import Progress
from desk_league.ui.messages import show_error


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.work, self.signals, self.progress = work, signals, progress

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


_running: set[_Signals] = set()  # keeps the signal objects alive until their job reports


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
    signals = _Signals()
    progress = Progress(lambda done, total, text: signals.progressed.emit(done, total or 0, text))
    dialog = _progress_dialog(parent, title, progress) if show_dialog else None

    def show_progress(done: int, total: int, text: str) -> None:
        if dialog is None:
            return
        dialog.setMaximum(total)
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(f"{title}\n{text}")

    def finish() -> None:
        _running.discard(signals)
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

    signals.progressed.connect(show_progress)
    signals.succeeded.connect(succeeded)
    signals.failed.connect(failed)
    _running.add(signals)
    QThreadPool.globalInstance().start(_Job(work, signals, progress))
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
    return len(_running)
