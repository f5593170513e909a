"""Fixed-window rate limits for guest registrations, kept in Django's cache (Redis
when REDIS_URL is set, so every web process shares the counts)."""

from __future__ import annotations

import hashlib
import ipaddress
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
    """The address to count attempts under.

    REMOTE_ADDR is the peer of gunicorn's socket: behind a reverse proxy, that is the proxy
    for everyone. Each of the TRUSTED_PROXY_COUNT proxies appends the address it was
    reached from to X-Forwarded-For, so the client is the entry that many places from the
    right; anything further left was written by the client and may be made up. A header
    too short or not made of addresses (no proxy of ours wrote it) falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return remote
    trusted = hops[-proxies:]
    try:
        for hop in trusted:
            ipaddress.ip_address(hop)
    except ValueError:
        return remote
    return trusted[0]


def guest_registration_limited(*, ip: str, email: str) -> bool:
    """Count a guest registration attempt; True if this IP or email has made too many."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    over_ip = _hit(f"ip:{ip}", settings.GUEST_RATE_LIMIT_PER_IP)
    over_email = _hit(f"email:{email_key}", settings.GUEST_RATE_LIMIT_PER_EMAIL)
    return over_ip or over_email
