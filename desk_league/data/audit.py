"""Every create, update and delete through the ORM leaves an audit line in the same transaction.

A Session event does it, so no service can forget: after each flush the changed objects are
described from their attribute history and the lines are inserted on the same connection.
"""

from __future__ import annotations

import getpass
import socket
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from desk_league.data.models import AuditLog, Base

_SKIPPED = {"created_at", "updated_at", "version"}


def current_user() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:  # noqa: BLE001 - getuser fails without a login name; the audit line must not
        return "unknown"


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _changes(obj: Base) -> dict[str, list]:
    state = inspect(obj)
    changes: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            changes[attr.key] = [_plain(old), _plain(new)]
    for relation in state.mapper.relationships:
        # links kept in a table of their own (a plan task ↔ its evidence activities) have no
        # row object to audit: the owner's line lists the linked ids before and after
        if relation.secondary is None or relation.viewonly:
            continue
        hist = state.attrs[relation.key].history
        if hist.has_changes():
            changes[relation.key] = [
                _ids([*hist.unchanged, *hist.deleted]),
                _ids([*hist.unchanged, *hist.added]),
            ]
    return changes


def _ids(objects: list[Any]) -> list[int]:
    return sorted(inspect(o).mapper.primary_key_from_instance(o)[0] for o in objects)


def _label(obj: Base) -> str:
    for name in ("name", "title", "number", "key"):
        value = getattr(obj, name, None)
        if value:
            return str(value)[:200]
    return ""


def _action(obj: Base, changes: dict[str, list], is_new: bool) -> str:
    if is_new:
        return "create"
    if "deleted_at" in changes:
        return "delete" if changes["deleted_at"][1] else "restore"
    return "update"


def _audit_after_flush(session: Session, flush_context) -> None:
    user = session.info.get("user") or current_user()
    lines = []
    for obj, is_new in [(o, True) for o in session.new] + [(o, False) for o in session.dirty]:
        if isinstance(obj, AuditLog) or not isinstance(obj, Base):
            continue
        changes = _changes(obj)
        if not changes:
            continue
        lines.append(_line(obj, _action(obj, changes, is_new), changes, user))
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditLog):
            lines.append(_line(obj, "purge", {}, user))
    if lines:
        session.connection().execute(insert(AuditLog), lines)


def _line(obj: Base, action: str, changes: dict, user: str) -> dict:
    # the identity key is only set after the flush finishes; the primary key is there already
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    row_id = key[0] if len(key) == 1 and isinstance(key[0], int) else None
    return {
        "at": datetime.now(),
        "user": user,
        "action": action,
        "table_name": obj.__tablename__,
        "row_id": row_id,
        "summary": _label(obj),
        "changes": changes,
    }


def install_audit(sessions: sessionmaker) -> None:
    """Audit every session this factory makes (listening on the factory, not a class:
    class-level listeners are keyed by id(), which Python reuses once a class is collected)."""
    event.listen(sessions, "after_flush", _audit_after_flush)


def values_as_of(session: Session, model: type[Base], moment: datetime) -> dict[int, dict]:
    """What the rows of ``model`` changed after ``moment`` held at that moment, read back from
    the audit lines: {row id: {attribute: value then}} (dates and datetimes as they were typed).

    Only changes made through the ORM leave audit lines; rows inserted in bulk and never edited
    since are as they were.
    """
    if moment >= datetime.now():
        return {}
    lines = session.execute(
        select(AuditLog.row_id, AuditLog.changes)
        .where(
            AuditLog.table_name == model.__tablename__,
            AuditLog.at > moment,
            AuditLog.action.in_(("update", "delete", "restore")),
            AuditLog.row_id.is_not(None),
        )
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    columns = {attr.key: attr.columns[0].type for attr in inspect(model).column_attrs}
    found: dict[int, dict] = {}
    for row_id, changes in lines:  # newest first: the earliest change's old value wins
        for key, (old, _new) in (changes or {}).items():
            if key in columns:
                found.setdefault(row_id, {})[key] = _typed(old, columns[key])
    return found


def _typed(value: Any, column_type: Any) -> Any:
    """An audit line's plain value back in its column's type."""
    if isinstance(value, str):
        if isinstance(column_type, DateTime):
            return datetime.fromisoformat(value)
        if isinstance(column_type, Date):
            return date.fromisoformat(value)
    return value
