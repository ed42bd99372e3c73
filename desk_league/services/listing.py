"""Lists for the screens and registers: paged, sorted and filtered in SQL.

A ``Listing`` is declared once per list (volunteers, service records, …) by a service module;
the UI's one generic table model and the Excel registers both read it. Never all rows at once:
``page`` fetches a slice, ``iter_rows`` streams for exports.

Pages are found by key, not by OFFSET: a list is ordered by its sort keys and, last, its ``id``,
so every row has a unique place; a page ends with the keys of its last row (``Page.after``) and
the next one starts ``WHERE (keys) > (those)``. The database goes straight to that place through
the index, so the thousandth page costs what the first does. When every key goes the same way
and none can be NULL the bound is a row-value comparison, ``(served_on, id) < (?, ?)``; otherwise
it is written out (``a > ? OR (a = ? AND b > ?)``) with a leading ``a >= ?`` an index can start
from. Both forms are plain SQL that SQLite and PostgreSQL serve from an index alike. NULL sorts as
the smallest value on every engine (``NULLS FIRST`` ascending, ``NULLS LAST`` descending, said
only for keys that can be NULL, so a NOT NULL key keeps its plain index order).

A long list can only be sorted by the columns an index serves (``ListColumn.sortable``); the
others say so in their header.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.selectable import Join

PAGE_SIZE = 200


@dataclass(frozen=True)
class ListColumn:
    key: str
    title: str
    expr: Any  # a SQL column expression
    kind: str = "text"  # text / int / number / hours / date / percent / id_number / phone
    width: int = 100  # pixels on screen
    hidden: bool = False
    labels: Mapping[Any, str] | None = None  # stored code → the word shown (pending → 待审核)
    # what a click on the header sorts by, when not ``expr`` itself: a Chinese name sorts by
    # its pinyin key (Person.name_pinyin), not by code point
    sort_expr: Any = None
    # whether a click on the header sorts by it; a long list's columns that no index serves say
    # no (sorting 1,000,000 rows for each page would keep the clerk waiting)
    sortable: bool = True


@dataclass
class ListQuery:
    """What the user asked to see: search text, filters by key, sort."""

    text: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort_key: str | None = None
    descending: bool = False


FilterFn = Callable[[Any], ColumnElement[bool] | None]


class Page(list):
    """One page of a list's rows (tuples, in ``Listing.columns`` order) and ``after``: the keys
    of its last row, where the next page starts — None when this page is the last."""

    def __init__(self, rows: Sequence[tuple], after: tuple | None) -> None:
        super().__init__(rows)
        self.after = after


@dataclass(frozen=True)
class _Key:
    """One sort key of a list: the expression, its direction, and whether it can be NULL."""

    expr: Any
    descending: bool
    nullable: bool

    def ordering(self) -> Any:
        if self.descending:
            return self.expr.desc().nulls_last() if self.nullable else self.expr.desc()
        return self.expr.asc().nulls_first() if self.nullable else self.expr.asc()

    def equal(self, value: Any) -> ColumnElement[bool]:
        return self.expr.is_(None) if value is None else self.expr == value

    def beyond(self, value: Any) -> ColumnElement[bool] | None:
        """Rows that come after ``value`` in this key's order (NULL is the smallest value)."""
        if self.descending:
            if value is None:
                return None  # nothing sorts below NULL
            below = self.expr < value
            return or_(below, self.expr.is_(None)) if self.nullable else below
        if value is None:
            return self.expr.is_not(None)
        return self.expr > value

    def from_here(self, value: Any) -> ColumnElement[bool] | None:
        """``value`` and beyond, as one range an index can start from (None: no such range)."""
        if self.nullable and (self.descending or value is None):
            return None
        return self.expr <= value if self.descending else self.expr >= value


@dataclass
class Listing:
    name: str
    columns: list[ListColumn]
    base: Select  # select_from + joins + fixed where; its columns are replaced by ours
    search: list[Any] = field(default_factory=list)  # expressions searched by the text box
    # how one word of the search box narrows the list, when "any of ``search`` contains it"
    # would scan a long table (e.g. service records: match volunteers first, then use the index)
    search_word: Callable[[str], ColumnElement[bool]] | None = None
    filters: Mapping[str, FilterFn] = field(default_factory=dict)
    default_sort: list[Any] = field(default_factory=list)

    def column(self, key: str) -> ListColumn:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def visible_columns(self) -> list[ListColumn]:
        return [c for c in self.columns if not c.hidden]

    def _where(self, query: ListQuery) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        text = query.text.strip()
        if text and (self.search or self.search_word):
            for word in text.split():
                clauses.append(self._match(word))
        for key, value in query.filters.items():
            if value in (None, "", [], ()):
                continue
            clause = self.filters[key](value)
            if clause is not None:
                clauses.append(clause)
        return clauses

    def _match(self, word: str) -> ColumnElement[bool]:
        if self.search_word is not None:
            return self.search_word(word)
        pattern = f"%{word}%"
        return or_(*(expr.ilike(pattern) for expr in self.search))

    def _select(self, query: ListQuery, keys: Collection[str] | None = None) -> Select:
        columns = [c for c in self.columns if keys is None or c.key in keys]
        stmt = self.base.with_only_columns(
            *(c.expr.label(c.key) for c in columns), maintain_column_froms=True
        )
        return stmt.where(*self._where(query))

    def count(self, session: Session, query: ListQuery) -> int:
        """The matching rows, counted without their columns (a join a filter does not name is
        left out by the database when it cannot change the number: outer joins on a key)."""
        stmt = self.base.with_only_columns(func.count(), maintain_column_froms=True)
        return session.scalar(stmt.where(*self._where(query))) or 0

    def _keys(self, query: ListQuery) -> list[_Key]:
        """The order of the list: the column asked for (else the default sort), then ``id``, so
        every row has a place of its own."""
        if query.sort_key:
            column = self.column(query.sort_key)
            expr = column.sort_expr if column.sort_expr is not None else column.expr
            keys = [self._key(expr, query.descending)]
        else:
            keys = [self._key(*_direction(order)) for order in self.default_sort]
        row_id = self.column("id").expr
        if not any(_same_column(key.expr, row_id) for key in keys):
            keys.append(_Key(row_id, keys[0].descending if keys else False, nullable=False))
        return keys

    def _key(self, expr: Any, descending: bool) -> _Key:
        return _Key(expr, descending, self._nullable(expr))

    def _nullable(self, expr: Any) -> bool:
        column = _column(expr)
        table = getattr(column, "table", None)
        if table is None or not hasattr(column, "nullable"):
            return True  # a computed value: counted as possibly NULL
        return bool(column.nullable) or table in self._outer_tables

    @property
    def _outer_tables(self) -> set[Any]:
        """The tables the base joins with an outer join: their columns can be NULL."""
        found: set[Any] = set()

        def walk(node: Any, outer: bool) -> None:
            if isinstance(node, Join):
                walk(node.left, outer)
                walk(node.right, outer or node.isouter)
            elif outer:
                found.add(node)

        for from_ in self.base.get_final_froms():
            walk(from_, False)
        return found

    def _ordered(self, query: ListQuery, keys: Collection[str] | None = None) -> Select:
        return self._select(query, keys).order_by(*(key.ordering() for key in self._keys(query)))

    def page(
        self,
        session: Session,
        query: ListQuery,
        limit: int = PAGE_SIZE,
        *,
        after: tuple | None = None,
    ) -> Page:
        """Up to ``limit`` rows from the start, or from just after the row whose keys are
        ``after`` (a previous page's ``Page.after``)."""
        keys = self._keys(query)
        stmt = self._select(query).add_columns(
            *(key.expr.label(f"_key{i}") for i, key in enumerate(keys))
        )
        if after is not None:
            stmt = stmt.where(_beyond(keys, after))
        stmt = stmt.order_by(*(key.ordering() for key in keys)).limit(limit)
        rows = session.execute(stmt).all()
        width = len(self.columns)
        last = tuple(rows[-1][width:]) if rows and len(rows) == limit else None
        return Page([tuple(row[:width]) for row in rows], last)

    def iter_rows(
        self,
        session: Session,
        query: ListQuery,
        batch: int = 2000,
        order_by: Sequence[Any] = (),
        *,
        labelled: bool = False,
        keys: Collection[str] | None = None,
    ) -> Iterator[dict]:
        """Every matching row as a dict, streamed (for registers of 100,000 rows).

        ``order_by`` (a register's own order, e.g. 姓氏笔画) replaces the screen's sort;
        ``labelled``: columns with ``labels`` give the word shown rather than the stored code,
        as a register prints it; ``keys``: only these columns (a register's), so the sums it
        does not print are not computed."""
        labels = {
            c.key: c.labels
            for c in self.columns
            if c.labels is not None and labelled and (keys is None or c.key in keys)
        }
        stmt = (
            self._select(query, keys).order_by(*order_by, *self.default_sort)
            if order_by
            else self._ordered(query, keys)
        )
        # Columns, not objects: the connection gives plain rows, without the ORM's loading
        # (a third of the reading time of a register), in the session's transaction. What the
        # session holds unsaved is written first, as its own execute would (autoflush).
        session.flush()
        result = session.connection().execute(stmt.execution_options(yield_per=batch))
        names = list(result.keys())
        for row in result:
            values = dict(zip(names, row, strict=True))
            for key, mapping in labels.items():
                value = values[key]
                if value is not None:
                    values[key] = mapping.get(value, value)
            yield values


def _column(expr: Any) -> Any:
    """The SQL expression behind a mapped attribute (``Volunteer.id`` → the id column)."""
    return getattr(expr, "expression", expr)


def _same_column(a: Any, b: Any) -> bool:
    first, second = _column(a), _column(b)
    table = getattr(first, "table", None)
    return table is not None and table is getattr(second, "table", None) and first.key == second.key


def _direction(order: Any) -> tuple[Any, bool]:
    """(expression, descending) of one entry of a ``default_sort``."""
    if isinstance(order, UnaryExpression) and order.modifier in (
        operators.desc_op,
        operators.asc_op,
    ):
        return order.element, order.modifier is operators.desc_op
    return order, False


def _beyond(keys: Sequence[_Key], values: Sequence[Any]) -> ColumnElement[bool]:
    """The rows after the one whose keys are ``values``, in the order of ``keys``."""
    same_way = len({key.descending for key in keys}) == 1
    if same_way and not any(key.nullable for key in keys):
        left = tuple_(*(key.expr for key in keys))
        right = tuple_(*(literal(v, key.expr.type) for key, v in zip(keys, values, strict=True)))
        return left < right if keys[0].descending else left > right
    alternatives = []
    for i, key in enumerate(keys):
        beyond = key.beyond(values[i])
        if beyond is not None:
            ties = [k.equal(v) for k, v in zip(keys[:i], values[:i], strict=True)]
            alternatives.append(and_(*ties, beyond))
    bound = or_(*alternatives)
    start = keys[0].from_here(values[0])
    return and_(start, bound) if start is not None else bound
