import importlib
import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Påmeldinger og e-post")

    def ready(self):
        from registrations import receivers  # noqa: F401

        # receivers_mail arrives with the invites work; import it once it exists.
        if importlib.util.find_spec("registrations.receivers_mail") is not None:
            importlib.import_module("registrations.receivers_mail")
