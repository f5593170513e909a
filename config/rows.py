"""Fixed statements for the few queries every signed-in request or every registration makes.

The ORM compiles a query anew on every call, and on this machine that compiling is most of a
simple query's cost: `User.objects.get(pk=…)` costs about 0.3 ms of CPU, the same SELECT
written out about a fifth of that (bench/registration_rush.py, docs/performance.md). These
helpers keep the models' own value handling and drop only the compiling:

- `columns(model)` is the model's column list by name (never `*`, so a prepared statement's
  result type does not change when a migration adds a column under running processes);
- `rows_fetch` runs a SELECT whose list starts with such columns and builds instances with
  `Model.from_db`, converting each value with the same database and field converters the
  ORM's compiler applies (times on SQLite, JSON, …); extra columns after them become
  attributes as they come;
- `rows_insert` writes new instances of one model in one `INSERT … RETURNING`, preparing each
  value with the field's own `pre_save` and `get_db_prep_save` as `bulk_create` does, and sends
  no signals (callers do what a receiver would have done).

The SQL written with them must run on PostgreSQL and SQLite alike; the test suite runs on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, router
from django.db.models import Model


@lru_cache(maxsize=128)
def columns(model: type[Model], table_alias: str = "", fields: tuple[str, ...] | None = None) -> str:
    """`alias."col", …` for the model's concrete fields (or the named ones), in model order."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    prefix = f"{table_alias}." if table_alias else ""
    return ", ".join(prefix + quote(field.column) for field in _fields(model, fields))


def _fields(model: type[Model], names: tuple[str, ...] | None) -> list:
    concrete = model._meta.concrete_fields
    if names is None:
        return list(concrete)
    return [field for field in concrete if field.attname in names or field.name in names]


@lru_cache(maxsize=128)
def _reader(model: type[Model], alias: str, names: tuple[str, ...] | None) -> tuple[list[str], list]:
    connection = connections[alias]
    fields = _fields(model, names)
    converters = []
    for field in fields:
        column = field.cached_col
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        converters.append((column, found) if found else None)
    return [field.attname for field in fields], converters


def rows_fetch(
    model: type[Model], sql: str, params: Sequence, *, fields: tuple[str, ...] | None = None, extra: Sequence[str] = ()
) -> list[Model]:
    """Instances of `model` from `sql`, whose select list is `columns(model, …, fields)`
    followed by the `extra` columns (set on each instance under those names)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    attnames, converters = _reader(model, alias, fields)
    count = len(attnames)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row[:count])
        for index, conversion in enumerate(converters):
            if conversion is not None:
                column, functions = conversion
                for function in functions:
                    values[index] = function(values[index], column, connection)
        instance = model.from_db(alias, attnames, values)
        for name, value in zip(extra, row[count:], strict=True):
            setattr(instance, name, value)
        found.append(instance)
    return found


@lru_cache(maxsize=64)
def _insert_statement(model: type[Model], alias: str, count: int) -> tuple[str, tuple]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    names = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * count)
    pk = quote(model._meta.pk.column)
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES {values} RETURNING {pk}", fields


def rows_insert(objs: Sequence[Model]) -> None:
    """INSERT new instances of one model (auto primary key) and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _insert_statement(model, alias, len(objs))
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    # RETURNING gives the rows in VALUES order on both databases (bulk_create relies on it too).
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
