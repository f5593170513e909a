"""Keyset ("cursor") pagination for the API's lists.

A page is the rows after the last one of the previous page in a fixed order, so a page never
repeats or skips a row when rows are added before it (as an offset would). The cursor is
that last row's sort values, JSON in URL-safe base64: opaque to clients, checked strictly
here (a cursor that does not decode to the expected values is a 400, never a 500).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

MAX_CURSOR_CHARS = 200


class CursorError(ValueError):
    pass


def cursor_encode(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    if len(cursor) > MAX_CURSOR_CHARS:
        raise CursorError
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment_text, pk = json.loads(raw)
        moment = parse_datetime(moment_text)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise CursorError from None
    if moment is None or moment.tzinfo is None or not isinstance(pk, int) or isinstance(pk, bool):
        raise CursorError
    return moment, pk


def page_after(
    rows: QuerySet, *, field: str, cursor: str | None, limit: int, descending: bool = False
) -> tuple[list, str | None]:
    """Up to `limit` rows of `rows` ordered by (`field`, pk) — both descending when asked —
    after `cursor`, and the cursor of the next page (None on the last page). One query."""
    if cursor:
        moment, pk = cursor_decode(cursor)
        if descending:
            rows = rows.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
        else:
            rows = rows.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk}))
    order = [f"-{field}", "-pk"] if descending else [field, "pk"]
    found = list(rows.order_by(*order)[: limit + 1])
    page = found[:limit]
    more = len(found) > limit
    return page, (cursor_encode(getattr(page[-1], field), page[-1].pk) if more else None)
