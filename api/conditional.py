"""Validators and a short shared cache for the API's GET responses.

A response body is stored in the cache under the catalogue's version (webinars/page_cache.py),
the path and the sorted query, so any write the catalogue shows (which replaces the version)
makes the next request build a new body. The ETag is a hash of the body itself and
Last-Modified is when that body was built: both change exactly when what a client reads
changes, and If-None-Match / If-Modified-Since answer 304 otherwise. A body also expires after
CACHE_SECONDS or when it stops being true by itself (a session starts or ends, registration
opens or closes: the view sets `request.api_valid_until`), as the catalogue's fragments do.
Only 200 responses are stored; the body does not depend on the language or on who asks.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from webinars.page_cache import CACHE_SECONDS, catalogue_version

logger = logging.getLogger(__name__)

CACHE_CONTROL = f"public, max-age={CACHE_SECONDS}"
# Every query parameter an API view reads. The key and the `next` links use these only, so
# made-up parameters neither change a body nor fill the cache with copies of one.
PARAMETERS = frozenset({"kind", "office", "topic", "audience", "language", "from", "to", "cursor", "limit"})


def known_parameters(request) -> list[tuple[str, list[str]]]:
    return sorted((name, values) for name, values in request.GET.lists() if name in PARAMETERS)


def _key(request) -> str:
    query = urlencode(known_parameters(request), doseq=True)
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:32]
    return f"api:{catalogue_version()}:{digest}"


def _stored(key: str | None) -> tuple[bytes, float] | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("API cache unavailable; building the response", exc_info=True)
        return None


def _store(key: str | None, body: bytes, built_at: float, valid_until: datetime | None) -> None:
    timeout = CACHE_SECONDS
    if valid_until is not None:
        timeout = min(timeout, int((valid_until - timezone.now()).total_seconds()))
    if key is None or timeout < 1:
        return
    try:
        cache.set(key, (body, built_at), timeout)
    except Exception:
        logger.warning("Could not store an API response", exc_info=True)


def conditional_get(view: Callable) -> Callable:
    """Serve the view's 200 responses from the cache, with ETag, Last-Modified and 304s."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            key = _key(request)
        except Exception:
            logger.warning("Catalogue version unavailable; building the response", exc_info=True)
            key = None
        stored = _stored(key)
        if stored is not None:
            body, built_at = stored
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            body, built_at = response.content, timezone.now().timestamp()
            _store(key, body, built_at, getattr(request, "api_valid_until", None))
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        # Whole seconds, as HTTP dates are: two bodies built within one second share it, which
        # is why If-None-Match (the ETag, exact) wins over If-Modified-Since when both are sent.
        last_modified = int(built_at)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)

    return wrapper
