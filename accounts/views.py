from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@require_POST
def set_language(request):
    """Django's set_language, which also remembers the choice on the user's profile
    so that emails reach them in the language they chose."""
    language = request.POST.get("language", "")
    response = django_set_language(request)
    if request.user.is_authenticated and check_for_language(language) and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


def _broker_reachable() -> tuple[bool, str]:
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
            client.ping()
            return True, "ok"
        except redis.RedisError as exc:
            return False, exc.__class__.__name__
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
    import os

    ok = os.path.isdir(folder) and os.access(folder, os.W_OK)
    return ok, "ok" if ok else "broker folder not writable"


@never_cache
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means unreachable
        checks["database"] = exc.__class__.__name__
    broker_ok, detail = _broker_reachable()
    checks["broker"] = detail
    healthy = checks["database"] == "ok" and broker_ok
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
