from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Påmeldinger og e-post")

    def ready(self):
        from registrations import receivers, receivers_mail  # noqa: F401
        from registrations.models import Registration
        from webinars.page_cache import bump_when_changed

        # Catalogue pages show seats left, counted from confirmed registrations: a new
        # registration or a status change makes them stale; saving a token or a revision does not.
        bump_when_changed(Registration, fields=["status"])
