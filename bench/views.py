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


# The seat floor's statements, written by hand for the offering's seat counter: the least a
# registration can do (their only caller is seat_floor below; bench/registration_rush.py runs
# them on PostgreSQL).
SEAT_FLOOR_OFFERING = "SELECT offering_id FROM webinars_session WHERE id = %s"
# Taking a seat, as the registration service does: exactly one row changed means a seat.
SEAT_FLOOR_TAKE = (
    "UPDATE webinars_offering SET seats_taken = seats_taken + 1"
    " WHERE id = %s AND status = 'published' AND (capacity IS NULL OR seats_taken < capacity)"
)
SEAT_FLOOR_REGISTRATION = (
    "INSERT INTO registrations_registration (offering_id, user_id, name, email, language, status, answers,"
    " revision, optin_token, manage_token, created_at, confirmed_at, waitlisted_at, county)"
    " VALUES (%s, %s, %s, %s, 'nb', %s, '{}', 0, '', %s, %s, %s, %s, '') RETURNING id"
)
SEAT_FLOOR_JOIN_LINK = (
    "INSERT INTO registrations_joinlink (registration_id, session_id, token, join_count) VALUES (%s, %s, %s, 0)"
)
SEAT_FLOOR_NOTIFICATION = (
    "INSERT INTO registrations_notification (kind, state, to_email, language, registration_id, payload,"
    " due_at, claimed_by, attempts, last_error, created_at)"
    " VALUES (%s, 'pending', %s, 'nb', %s, '{}', %s, '', 0, '', %s)"
)


@require_POST
def seat_floor(request, pk: int):
    """A reference, not the baseline: the least a registration can do, written straight in SQL
    (no page, no questions, no form, one outbox row) for the standalone webinar `pk` (an
    offering with one session): find its offering, take a seat with the conditional UPDATE
    (none left: a waitlist place), insert the registration, its join link and its email,
    commit. Signed in, with CSRF. The rush uses it to show how far the real view could ever
    get (docs/performance.md)."""
    if not request.user.is_authenticated:
        return HttpResponse("not signed in", status=403, content_type="text/plain")
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SEAT_FLOOR_OFFERING, [pk])
        (offering_id,) = cursor.fetchone()
        cursor.execute(SEAT_FLOOR_TAKE, [offering_id])
        status = "confirmed" if cursor.rowcount == 1 else "waitlisted"
        cursor.execute(
            SEAT_FLOOR_REGISTRATION,
            [
                offering_id,
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
        cursor.execute(SEAT_FLOOR_JOIN_LINK, [registration_id, pk, secrets.token_urlsafe(32)])
        cursor.execute(SEAT_FLOOR_NOTIFICATION, [status, request.user.email, registration_id, now, now])
    return HttpResponse(status=302, headers={"Location": request.path})
