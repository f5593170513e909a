"""Fixed-window rate limits for guest registrations, kept in Django's cache (Redis
when REDIS_URL is set, so every web process shares the counts)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def _hit(key: str, limit: int) -> bool:
    """Count one attempt under `key`; True when the limit for this window is exceeded."""
    window = int(time.time() // WINDOW_SECONDS)
    full_key = f"rl:guestreg:{key}:{window}"
    # add() is atomic and only sets a missing key; incr() is atomic on Redis.
    cache.add(full_key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count > limit


def client_ip(request) -> str:
    # gunicorn and the proxy in front set REMOTE_ADDR; we never trust a client's own headers.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def guest_registration_limited(*, ip: str, email: str) -> bool:
    """Count a guest registration attempt; True if this IP or email has made too many."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    over_ip = _hit(f"ip:{ip}", settings.GUEST_RATE_LIMIT_PER_IP)
    over_email = _hit(f"email:{email_key}", settings.GUEST_RATE_LIMIT_PER_EMAIL)
    return over_ip or over_email
