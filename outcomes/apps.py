from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Tilbakemeldinger og kursbevis")

    def ready(self):
        # Receivers of registrations' signals: links under registrations, erasure.
        from outcomes import receivers  # noqa: F401
