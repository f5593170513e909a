from django.conf import settings

from accounts.permissions import is_organiser


def site(request):
    user = getattr(request, "user", None)
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "SITE_URL": settings.SITE_URL,
        "user_is_organiser": bool(user and user.is_authenticated and is_organiser(user)),
    }
