from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Ressursbank")

    def ready(self):
        from library.emails import build_recording_message
        from registrations.emails import register_builder
        from registrations.models import Notification

        register_builder(Notification.Kind.RECORDING, build_recording_message)
