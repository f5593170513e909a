"""The registration-rush benchmark's baseline: one INSERT per request through the same
middleware stack. Routed only when settings.BENCHMARK_ENDPOINTS is on; the benchmark
creates the table itself."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


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
