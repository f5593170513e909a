"""Plain INSERTs for the registration hot path.

`rows_insert` writes new model instances of one model in one `INSERT … RETURNING`, like
`bulk_create`, but with the statement built once per model, row count and database instead
of by the ORM's query compiler on every call. On this machine that compiler is most of the
cost of an insert: `bulk_create` of one registration costs 0.26 ms of CPU, the same row
through this function about a fifth of that (bench/registration_rush.py, docs/performance.md).

Values go through each field's own `pre_save` and `get_db_prep_save`, exactly as the ORM
prepares them, so defaults, `auto_now_add`, JSON and time zones behave the same on PostgreSQL
and SQLite. Like `bulk_create` it sends no signals; callers do what a receiver would have done.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, router
from django.db.models import Model


@lru_cache(maxsize=64)
def _statement(model: type[Model], alias: str, count: int) -> tuple[str, tuple]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * count)
    pk = quote(model._meta.pk.column)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values} RETURNING {pk}", fields


def rows_insert(objs: Sequence[Model]) -> None:
    """INSERT new instances of one model (auto primary key) and set their primary keys."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    sql, fields = _statement(model, alias, len(objs))
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    # RETURNING gives the rows in VALUES order on both databases (bulk_create relies on it too).
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
