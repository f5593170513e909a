from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Ressursbank")

    def ready(self):
        from library.emails import build_recording_message
        from registrations import emails
        from registrations.models import Notification

        emails.register_builder(Notification.Kind.RECORDING, build_recording_message)
