"""Fast bulk writing of generated rows, for demo and benchmark data only.

Rows are plain tuples in a fixed field order with primary keys given by the generator, so that
related rows can point at each other before anything is written, the same way on SQLite and on
PostgreSQL. PostgreSQL gets ``COPY``; other databases ``executemany``. On PostgreSQL a large load
can drop the tables' foreign keys and non-unique indexes and make them again afterwards from their
own definitions (one validation and one index build instead of millions of row checks); that is
DDL, so it runs inside the seed's transaction and is undone with it if anything fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

Row = tuple[Any, ...]


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


class Table:
    """Buffered writes of rows into one model's table."""

    def __init__(
        self, loader: Loader, model: type[models.Model], fields: Sequence[str], batch_size: int
    ) -> None:
        self.loader = loader
        self.model = model
        meta = model._meta
        self.columns = [str(meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]
        self.table = meta.db_table
        self.batch_size = batch_size
        self.rows: list[Row] = []
        self.written = 0
        self._adapters: list[tuple[int, Callable[[Any], Any]]] = []
        if connection.vendor != "postgresql":
            for i, name in enumerate(fields):
                kind = meta.get_field(name).get_internal_type()
                if kind == "DateTimeField":
                    self._adapters.append((i, _sqlite_datetime))
                elif kind == "DateField":
                    self._adapters.append((i, _sqlite_date))

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                if self._adapters:
                    rows = [self._adapt(r) for r in rows]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608
        self.written += len(rows)
        self.loader.advance(len(rows))

    def _adapt(self, row: Row) -> Row:
        values = list(row)
        for i, fn in self._adapters:
            values[i] = fn(values[i])
        return tuple(values)


class Loader:
    """Hands out primary keys and tables; resets the id sequences when done."""

    def __init__(
        self, *, advance: Callable[[int], None] | None = None, batch_size: int = 20_000
    ) -> None:
        self.batch_size = batch_size
        self._advance = advance
        self._next_id: dict[type[models.Model], int] = {}
        self._tables: list[Table] = []

    def advance(self, n: int) -> None:
        if self._advance is not None:
            self._advance(n)

    def first_id(self, model: type[models.Model]) -> int:
        """The first free primary key of ``model``: one above the largest in use."""
        if model not in self._next_id:
            largest = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
            self._next_id[model] = int(largest) + 1
        return self._next_id[model]

    def take_ids(self, model: type[models.Model], count: int) -> int:
        """Reserve ``count`` consecutive primary keys; returns the first."""
        start = self.first_id(model)
        self._next_id[model] = start + count
        return start

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        t = Table(self, model, fields, self.batch_size)
        self._tables.append(t)
        return t

    def finish(self) -> None:
        """Flush everything and move the id sequences past the keys we gave out."""
        for t in self._tables:
            t.flush()
        touched = list(dict.fromkeys(t.model for t in self._tables))
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextmanager
def postgres_bulk_mode(models_: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL: drop these tables' foreign keys and non-unique indexes, load, re-create them.

    Unique indexes and check constraints stay, so the load is still checked where it matters.
    Elsewhere this does nothing.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        # Pending deferred checks on these tables would block ALTER TABLE; run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        fkeys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary"
            " ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in fkeys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in fkeys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
