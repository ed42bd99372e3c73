"""Operations: the one way the window reads and changes data.

Everything the clerk does to the data from the window is an *operation* run through here. An
operation

- opens the transaction (or the read-only look) through ``services.store``, so nothing in
  ``ui/`` imports ``desk_league.data`` or opens a session itself;
- applies the one error policy (``messages.show_error``): a ``DeskLeagueError`` shows its own
  message, anything else a short apology, with the traceback in the log file;
- runs long work off the GUI thread through ``background.run_in_background``, with a progress
  dialog and Cancel;
- once the transaction has committed, announces on the change hub (``hub().changed``) which
  kinds of records changed. Tabs listen (``BaseTab.watches``) and reload what they show: the
  visible tab at once, the others when they are next shown.

Modelled on anki's ``CollectionOp`` / ``QueryOp`` and ``OpChanges`` (qt/aqt/operations)::

    # a change: one service call in one transaction, on the GUI thread (short writes)
    change(self, lambda s: service_hours.void_service_record(s, rid, reason),
           Changed.SERVICE_RECORDS, action="作废").run()

    # a long change: in the background, progress dialog with Cancel, then the result
    long_change(self, "出具志愿服务证明",
                lambda s, progress: issue_service_proofs(s, ids, ..., progress=progress),
                Changed.NOTHING).success(lambda numbers: inform(self, ...)).run()

    # a look whose answer can wait: off the GUI thread with .in_background()
    query(self, lambda s: overview.year_counts(s, today)).in_background().success(show).run()
    long_query(self, "导出活动台账", lambda s, progress: export(s, path, progress=progress)).run()

    # a short look whose answer is needed at once (a form's record, a combo box's choices)
    data = read(lambda s: volunteers.volunteer_input(s, vid))

    # long work that needs no session (a spreadsheet being read, PDFs written from rows, a backup)
    Op(self, lambda progress: write_job(job, folder, progress=progress),
       action="生成荣誉证书").in_background("生成荣誉证书").success(show).run()

``success(result)`` runs on the GUI thread after the commit and after the announcement, so the
lists are current when it shows a message or selects the new record: a screen never reloads
itself after a change (name the kinds in ``changes``; a new screen adds its kinds to its tab's
``watches``). ``failure(exc)`` replaces
the error policy (a form stays open and marks the field). When a background operation ends
after its parent widget has gone, neither is called; its changes are still announced.

``read`` raises: an error escapes the click that caused it and reaches the same policy through
the GUI's excepthook (``messages.install_error_dialogs``).

Lists read their rows in one place, ``table_model.ListingModel``: every page and count is a
background ``query`` whose ``run()`` returns its ``Progress``, so a newer search can cancel the
read it has made useless (``Database.reading`` stops a running SQLite statement). While
background reads run, ``reads_in_flight()`` counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Flag
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from desk_league.services import store
from desk_league.services.progress import NO_PROGRESS, Progress
from desk_league.ui.background import run_in_background
from desk_league.ui.messages import log_error, show_error

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


class Changed(Flag):
    """Kinds of records an operation changed; combine with ``|``, test with ``&``."""

    NOTHING = 0
    PLAN = 1 << 0  # plans, their sections and tasks, evidence links
    ACTIVITIES = 1 << 1  # activities, participants, attachments, categories
    KEY_DATES = 1 << 2
    INFO_REPORTS = 1 << 3
    PEOPLE = 1 << 4  # the people behind volunteers, members and nominees
    VOLUNTEERS = 1 << 5
    SERVICE_RECORDS = 1 << 6  # service hours, their approval, service proofs
    HONOURS = 1 << 7  # honours, honour types, 青年文明号 reviews
    COMMENDATIONS = 1 << 8  # batches, quotas, nominations
    TEMPLATES = 1 << 9  # certificate templates
    ORGANISATIONS = 1 << 10  # organisations, terms, their 书记 and 团员数
    SETTINGS = 1 << 11  # office settings, thresholds, term lengths, numbering
    MEMBERS = 1 << 12  # the member register: 团员, 团内职务 (团干部), 离团
    RECOMMENDATIONS = 1 << 13  # 推优 records and their stages
    EVERYTHING = (1 << 14) - 1  # a restore from backup or the recycle bin


class ChangeHub(QObject):
    """The one place changes are announced: ``changed(Changed, initiator widget or None)``;
    ``settled`` when the last background read running has ended (what the window shows is
    all read)."""

    changed = Signal(object, object)
    settled = Signal()

    def announce(self, changes: Changed, initiator: QObject | None = None) -> None:
        if changes:
            self.changed.emit(changes, initiator)


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    """The application's change hub (made on first use, on the GUI thread; lives as long as
    the application)."""
    global _hub
    if _hub is None or not isValid(_hub):
        _hub = ChangeHub(QCoreApplication.instance())
    return _hub


class Op(Generic[T]):
    """One operation: ``call(progress)`` run now or in the background, then the callbacks.

    Build one with ``change``, ``long_change``, ``query`` or ``long_query`` (they open the
    transaction or the look); build it directly for work that needs no database session.
    """

    def __init__(
        self,
        parent: QWidget | None,
        call: Callable[[Progress], T],
        *,
        changes: Changed = Changed.NOTHING,
        action: str = "",
        reads: bool = False,
    ) -> None:
        self._parent = parent
        self._call = call
        self._changes = changes
        self._action = action
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None
        self._background = False
        self._title = ""
        self._reads = reads  # a look at the data: counted by reads_in_flight while it runs

    def success(self, callback: Callable[[T], Any] | None) -> Op[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any] | None) -> Op[T]:
        """Handle errors here instead of the standard message (``show_error``)."""
        self._failure = callback
        return self

    def in_background(self, title: str = "") -> Op[T]:
        """Run off the GUI thread. With a ``title``, a progress dialog with Cancel appears if the
        work takes a while; without one the work runs unseen (the overview's figures)."""
        self._background, self._title = True, title
        return self

    def run(self) -> Progress | None:
        """Run the operation; in the background, return its ``Progress`` (``cancel()`` stops it
        at its next step; a cancelled read ends in ``failure`` with ``Cancelled``)."""
        if self._background:
            global _reads_running
            if self._reads:
                _reads_running += 1
            return run_in_background(
                self._parent,
                self._title or self._action,
                self._call,
                self._ended(self._succeeded),
                self._ended(self._failed),
                show_dialog=bool(self._title),
            )
        try:
            result = self._call(NO_PROGRESS)
        except Exception as exc:  # noqa: BLE001 - the one error policy, below
            self._failed(exc)
            return None
        self._succeeded(result)
        return None

    def _ended(self, then: Callable[[Any], None]) -> Callable[[Any], None]:
        def ended(value: Any) -> None:
            global _reads_running
            if self._reads:
                _reads_running -= 1
            then(value)
            if self._reads and _reads_running == 0:  # nothing the callback started either
                hub().settled.emit()

        return ended

    def _parent_alive(self) -> bool:
        return self._parent is None or isValid(self._parent)

    def _succeeded(self, result: T) -> None:
        hub().announce(self._changes, self._parent if self._parent_alive() else None)
        if self._success is not None and self._parent_alive():
            self._success(result)

    def _failed(self, exc: BaseException) -> None:
        if not self._parent_alive():  # the screen that asked has gone: nobody to tell
            log_error(exc, self._action)
        elif self._failure is not None:
            self._failure(exc)
        else:
            show_error(self._parent, exc, self._action)


_reads_running = 0  # background reads running now (only the GUI thread counts)


def reads_in_flight() -> int:
    """How many looks at the data are running in the background (the window reads while
    this is above zero)."""
    return _reads_running


def when_settled(callback: Callable[[], Any]) -> None:
    """Call ``callback`` once no background read is running: now (at the next turn of the
    event loop) or when the last one ends."""
    if _reads_running == 0:
        QTimer.singleShot(0, callback)
        return

    def once() -> None:
        hub().settled.disconnect(once)
        callback()

    hub().settled.connect(once)


def change(
    parent: QWidget | None, work: Callable[[Session], T], changes: Changed, *, action: str = ""
) -> Op[T]:
    """A change on the GUI thread: ``work(session)`` in one transaction, all or nothing."""

    def call(_progress: Progress) -> T:
        with store.transaction() as session:
            return work(session)

    return Op(parent, call, changes=changes, action=action)


def long_change(
    parent: QWidget | None,
    action: str,
    work: Callable[[Session, Progress], T],
    changes: Changed,
) -> Op[T]:
    """A change in the background: ``work(session, progress)`` in one transaction, with a
    progress dialog titled ``action`` and Cancel (a cancelled change saves nothing)."""

    def call(progress: Progress) -> T:
        with store.transaction() as session:
            return work(session, progress)

    return Op(parent, call, changes=changes, action=action).in_background(action)


def query(parent: QWidget | None, work: Callable[[Session], T], *, action: str = "") -> Op[T]:
    """A look at the data: ``work(session)``, nothing committed. Add ``.in_background()`` when
    the answer can wait."""

    def call(progress: Progress) -> T:
        stop = None if progress is NO_PROGRESS else (lambda: progress.cancelled)
        with store.reading(stop) as session:
            return work(session)

    return Op(parent, call, action=action, reads=True)


def long_query(
    parent: QWidget | None, action: str, work: Callable[[Session, Progress], T]
) -> Op[T]:
    """A long look (an export): ``work(session, progress)`` in the background with a progress
    dialog titled ``action`` and Cancel."""

    def call(progress: Progress) -> T:
        with store.reading(lambda: progress.cancelled) as session:
            return work(session, progress)

    return Op(parent, call, action=action, reads=True).in_background(action)


def read(work: Callable[[Session], T]) -> T:
    """A short look whose answer the caller needs now (a form's record, a list of choices).

    Runs on the GUI thread and raises on error; see the module's docstring."""
    with store.reading() as session:
        return work(session)
