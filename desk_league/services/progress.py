"""How long work reports progress and learns of Cancel, without knowing about Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable

from desk_league.errors import Cancelled


class Progress:
    """Passed into long services. ``step`` raises Cancelled once the user has pressed Cancel."""

    def __init__(self, report: Callable[[int, int | None, str], None] | None = None) -> None:
        self._report = report
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int | None = None, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled("已取消，未保存任何内容。")
        if self._report:
            self._report(done, total, text)

    def __call__(self, done: int, total: int | None = None) -> None:
        """Lets a Progress be passed wherever a ``progress(done, total)`` callable is expected."""
        self.step(done, total)


NO_PROGRESS = Progress()
