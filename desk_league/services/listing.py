"""Lists for the screens and registers: paged, sorted and filtered in SQL.

A ``Listing`` is declared once per list (volunteers, service records, …) by a service module;
the UI's one generic table model and the Excel registers both read it. Never all rows at once:
``page`` fetches a slice, ``iter_rows`` streams for exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session


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


@dataclass
class ListQuery:
    """What the user asked to see: search text, filters by key, sort."""

    text: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort_key: str | None = None
    descending: bool = False


FilterFn = Callable[[Any], ColumnElement[bool] | None]


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

    def _select(self, query: ListQuery) -> Select:
        stmt = self.base.with_only_columns(
            *(c.expr.label(c.key) for c in self.columns), maintain_column_froms=True
        )
        return stmt.where(*self._where(query))

    def count(self, session: Session, query: ListQuery) -> int:
        inner = self._select(query).order_by(None).subquery()
        return session.scalar(select(func.count()).select_from(inner)) or 0

    def _ordered(self, query: ListQuery) -> Select:
        stmt = self._select(query)
        if query.sort_key:
            column = self.column(query.sort_key)
            expr = column.sort_expr if column.sort_expr is not None else column.expr
            stmt = stmt.order_by(expr.desc() if query.descending else expr.asc())
        return stmt.order_by(*self.default_sort)

    def page(self, session: Session, query: ListQuery, offset: int, limit: int) -> list[tuple]:
        stmt = self._ordered(query).offset(offset).limit(limit)
        return [tuple(row) for row in session.execute(stmt)]

    def iter_rows(
        self,
        session: Session,
        query: ListQuery,
        batch: int = 2000,
        order_by: Sequence[Any] = (),
        *,
        labelled: bool = False,
    ) -> Iterator[dict]:
        """Every matching row as a dict, streamed (for registers of 100,000 rows).

        ``order_by`` (a register's own order, e.g. 姓氏笔画) replaces the screen's sort;
        ``labelled``: columns with ``labels`` give the word shown rather than the stored code,
        as a register prints it."""
        labels = {c.key: c.labels for c in self.columns if c.labels is not None and labelled}
        stmt = (
            self._select(query).order_by(*order_by, *self.default_sort)
            if order_by
            else self._ordered(query)
        )
        result = session.execute(stmt.execution_options(yield_per=batch))
        for row in result.mappings():
            values = dict(row)
            for key, mapping in labels.items():
                value = values[key]
                if value is not None:
                    values[key] = mapping.get(value, value)
            yield values
