from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Påmeldinger og e-post")

    def ready(self):
        # Signal receivers connect, and this app's email kinds register with the builder.
        from registrations import email_kinds, receivers, receivers_mail  # noqa: F401
        from registrations.models import Question
        from webinars.page_cache import bump_when_changed

        # The registration page keeps an offering's questions between edits (page_data.py).
        bump_when_changed(Question)
