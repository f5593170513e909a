"""The dashboards' figures, kept in the shared cache for a few minutes.

Measured (bench/dashboard.py): over 100,000 registrations the grouped queries of one national
view take hundreds of milliseconds on PostgreSQL, which no page serving several people at
once can spend on every request. The figures of one scope (an office, or all offices), period
and language are therefore computed once and kept for CACHE_SECONDS; the page says when they
were computed. Replacing the version (insight_cache_reset) makes every stored entry
unreachable at once (the benchmark's first-request measurement and the tests use it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

CACHE_SECONDS = 300
VERSION_KEY = "insight:version"

T = TypeVar("T")


def insight_cache_reset() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def cached_figures(parts: tuple, compute: Callable[[], T]) -> tuple[T, datetime]:
    """(the value for `parts`, when it was computed): from the cache, or computed now."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "none"
    key = "insight:{}:{}".format(version, ":".join(str(part) for part in parts))
    stored = cache.get(key)
    if stored is not None:
        return stored
    stored = (compute(), timezone.now())
    cache.set(key, stored, timeout=CACHE_SECONDS)
    return stored
