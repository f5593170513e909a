"""A shared cache of the public catalogue's rendered content, for anonymous visitors.

Only the content of a page is cached (its title and its content block), never the whole
response: base.html carries the language switcher's CSRF token and the visitor's messages,
and those must be rendered for each visitor. Signed-in visitors always get fresh pages.

A fragment's key holds a version, the active language, the page's name and its URL (path
plus the validated query parameters the page depends on, URL-encoded and sorted). Any write to what the catalogue shows replaces the version
(receivers connected by each app's apps.py through bump_when_changed, explicit calls after
the services' queryset updates), which makes every fragment stored before it unreachable at once.
Fragments also expire after at most CACHE_SECONDS, or sooner when the page changes by
itself at a known time (a session ends, registration opens), so time alone is never
hidden for long. See docs/performance.md.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60
VERSION_KEY = "catalogue:version"
# The version of what offerings *are* (their texts, times, window, state, office, questions),
# as opposed to their seats: replaced by every bump except the registration services' (seats
# and waitlists only). The registration page keeps what it reads under it (registrations/page_data.py).
SETTINGS_VERSION_KEY = "catalogue:settings-version"
NO_PARAMETERS = QueryDict()

# What a page's build function returns: its parts, each already HTML (escaped where needed;
# they are marked safe again when read back), and when they stop being true by themselves
# (None: only the fixed expiry applies).
Built = tuple[dict[str, str], datetime | None]


def _current(key: str) -> str:
    version = cache.get(key)
    if version is None:
        # A random value, never a counter starting at 1: after an eviction or a Redis
        # restart a counter could come back to a number that old fragments are stored under.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key) or "none"
    return version


def catalogue_version() -> str:
    return _current(VERSION_KEY)


def offering_settings_version() -> str:
    """The current version of the offerings' settings (SETTINGS_VERSION_KEY). Read it before
    the rows kept under it, as with catalogue_version."""
    return _current(SETTINGS_VERSION_KEY)


def _replace(*keys: str) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
    except Exception:  # the cache is an optimisation: a write must never fail because Redis is away
        logger.warning("Could not replace the catalogue cache version", exc_info=True)


def _replace_version() -> None:
    _replace(VERSION_KEY)


def _replace_versions() -> None:
    _replace(VERSION_KEY, SETTINGS_VERSION_KEY)


def catalogue_cache_bump(*, using: str | None = None, seats_only: bool = False) -> None:
    """Make every cached catalogue fragment stale. Call it after any write the catalogue shows.

    The version is replaced when the transaction commits (at once outside a transaction):
    before the commit a visitor can still read the old rows, so only a replacement after it
    makes them unreachable. Inside a savepoint, whose outer transaction may never commit
    here (a test's transaction, rolled back at its end), it is replaced now as well, so the
    change is visible at once. A registration in its own transaction costs one cache write.

    `seats_only`: the write changed nothing but seats taken or a waitlist (the registration
    services). Every other bump also replaces the offerings' settings version, and that one
    at once as well as at commit, whatever the transaction: such writes are an organiser's,
    rare, and a page read later in the same transaction sees the change.
    """
    connection = transaction.get_connection(using)
    blocks = connection.atomic_blocks
    if not seats_only:
        _replace(SETTINGS_VERSION_KEY)
    if len(blocks) > 1:
        _replace_version()
    transaction.on_commit(_replace_version if seats_only else _replace_versions, using=using)


def catalogue_cache_reset() -> None:
    """Forget the versions (tests: rows roll back between tests, cached fragments would not)."""
    cache.delete_many([VERSION_KEY, SETTINGS_VERSION_KEY])


def fragment_key(request, name: str, version: str, params: QueryDict) -> str:
    """The key of a page: its path and the parameters it depends on, URL-encoded and sorted
    (joining them unencoded made `?kontor=oks%26sprak%3Den` the key of `?kontor=oks&sprak=en`)."""
    url = request.path + "?" + urlencode(sorted(params.lists()), doseq=True)
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"catalogue:{version}:{get_language() or ''}:{name}:{digest}"


def first_after(moments: Iterable[datetime | None], now: datetime) -> datetime | None:
    """The first of `moments` after `now` (when a cached page stops being true by itself)."""
    future = [m for m in moments if m and m > now]
    return min(future) if future else None


# The version this process saw last. It only saves a round trip: it is never trusted
# without reading the current version in the same MGET.
_last_seen = {"version": ""}


def _cached_parts(request, name: str, params: QueryDict) -> tuple[str, dict[str, str] | None]:
    """The fragment's key under the current version, and the fragment if stored."""
    guess = fragment_key(request, name, _last_seen["version"], params)
    found = cache.get_many([VERSION_KEY, guess])
    version = found.get(VERSION_KEY)
    if version is not None and version == _last_seen["version"]:
        return guess, found.get(guess)
    _last_seen["version"] = version = version or catalogue_version()
    key = fragment_key(request, name, version, params)
    return key, cache.get(key)


def catalogue_fragment(
    request, name: str, build: Callable[[], Built], *, params: QueryDict | None = NO_PARAMETERS
) -> dict[str, str]:
    """The rendered parts of a catalogue page: from the shared cache for anonymous visitors,
    otherwise (and on a miss) from `build()`.

    `params` are the validated query parameters the page depends on, and `build()` must read
    no others (a page without parameters reads none); None means the query was malformed, and
    the page is built for this request only."""
    if request.user.is_authenticated or params is None:
        return build()[0]
    try:
        key, parts = _cached_parts(request, name, params)
    except Exception:
        logger.warning("Catalogue cache unavailable; rendering without it", exc_info=True)
        return build()[0]
    if parts is not None:
        return {part: mark_safe(html) for part, html in parts.items()}
    parts, valid_until = build()
    timeout = CACHE_SECONDS
    if valid_until is not None:
        timeout = min(timeout, int((valid_until - timezone.now()).total_seconds()))
    if timeout >= 1:
        try:
            cache.set(key, {part: str(html) for part, html in parts.items()}, timeout)
        except Exception:
            logger.warning("Could not store a catalogue fragment", exc_info=True)
    return parts


def _bump_on_write(sender, using: str | None = None, **kwargs) -> None:
    catalogue_cache_bump(using=using)


def _bump_on_m2m(sender, action: str, using: str | None = None, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        catalogue_cache_bump(using=using)


def _bump_on_save_of(fields: frozenset[str]) -> Callable[..., None]:
    def receiver(sender, created=False, update_fields=None, using: str | None = None, **kwargs) -> None:
        if created or update_fields is None or fields & set(update_fields):
            catalogue_cache_bump(using=using)

    return receiver


def bump_when_changed(*models, m2m: Iterable = (), fields: Iterable[str] | None = None) -> None:
    """Connect the receivers that make the catalogue cache stale when one of `models` is saved
    or deleted, or one of the `m2m` relations' through tables changes. With `fields`, a save
    counts only when it creates the row, saves every field, or saves one of `fields`.

    The apps call it for their own models from their AppConfig.ready(), so this module never
    names a model of an app above webinars."""
    receiver = _bump_on_write if fields is None else _bump_on_save_of(frozenset(fields))
    for model in models:
        label = model._meta.label
        # weak=False: the receiver may be a closure that nothing else keeps alive.
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"catalogue-cache-save-{label}")
        post_delete.connect(_bump_on_write, sender=model, dispatch_uid=f"catalogue-cache-delete-{label}")
    for through in m2m:
        m2m_changed.connect(_bump_on_m2m, sender=through, dispatch_uid=f"catalogue-cache-m2m-{through._meta.label}")
