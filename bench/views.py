"""The benchmarks' baselines and references, served by the same middleware stack as the
platform. Routed only when BENCHMARK_ENDPOINTS is on (see bench/__init__.py).

- baseline: a static page, for bench/catalogue.py to compare the catalogue against;
- baseline_insert: one INSERT per request, the registration rush's baseline (the rush
  creates the table `bench_baseline` itself);
- signed_in_insert and seat_floor: references in the rush (docs/performance.md).
"""

import secrets

from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def baseline(request):
    return HttpResponse("<!doctype html><title>baseline</title><p>ok</p>")


def _insert() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline (created_at) VALUES (%s)", [timezone.now()])


# Exempt so the baseline measures the stack and one INSERT, not a CSRF round-trip.
@csrf_exempt
@require_POST
def baseline_insert(request):
    _insert()
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def signed_in_insert(request):
    """A reference, not the baseline: the same INSERT for a signed-in visitor with CSRF, i.e.
    what any registration POST pays before it does anything of its own (the session read,
    the user row, the token check)."""
    if not request.user.is_authenticated:
        return HttpResponse("not signed in", status=403, content_type="text/plain")
    _insert()
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def seat_floor(request, pk: int):
    """A reference, not the baseline: the least a registration can do, written straight in SQL
    (no page lookup, no questions, no form, one outbox row): lock the session's row, count its
    seats, insert the registration, its join link and its email, commit. Signed in, with CSRF.
    The benchmark uses it to show how far the real view could ever get (docs/performance.md)."""
    if not request.user.is_authenticated:
        return HttpResponse("not signed in", status=403, content_type="text/plain")
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT capacity FROM webinars_session WHERE id = %s FOR UPDATE", [pk])
        (capacity,) = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM registrations_registration WHERE session_id = %s AND status = 'confirmed'", [pk]
        )
        status = "confirmed" if cursor.fetchone()[0] < capacity else "waitlisted"
        cursor.execute(
            "INSERT INTO registrations_registration (session_id, user_id, name, email, language, status, answers,"
            " revision, optin_token, manage_token, created_at, confirmed_at, waitlisted_at)"
            " VALUES (%s, %s, %s, %s, 'nb', %s, '{}', 0, '', %s, %s, %s, %s) RETURNING id",
            [
                pk,
                request.user.pk,
                request.user.display_name,
                request.user.email,
                status,
                secrets.token_urlsafe(32),
                now,
                now if status == "confirmed" else None,
                None if status == "confirmed" else now,
            ],
        )
        (registration_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO registrations_joinlink (registration_id, session_id, token, join_count) VALUES (%s, %s, %s, 0)",
            [registration_id, pk, secrets.token_urlsafe(32)],
        )
        cursor.execute(
            "INSERT INTO registrations_notification (kind, state, to_email, language, registration_id, payload,"
            " due_at, claimed_by, attempts, last_error, email_message_id, created_at)"
            " VALUES (%s, 'pending', %s, 'nb', %s, '{}', %s, '', 0, '', '', %s)",
            [status, request.user.email, registration_id, now, now],
        )
    return HttpResponse(status=302, headers={"Location": request.path})
