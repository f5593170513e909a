from allauth.account.signals import user_logged_in
from django.conf import settings
from django.dispatch import receiver


@receiver(user_logged_in)
def use_preferred_language_on_login(sender, request, response, user, **kwargs):
    # A person who has not picked a language in this browser gets the one on their profile.
    if response is None or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    if user.preferred_language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
