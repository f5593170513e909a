from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Ressursbank")

    def ready(self):
        from registrations import emails
        from registrations.models import Notification

        # The builder registry arrives with the invites work; until then the kind has no builder.
        if hasattr(emails, "register_builder"):
            from library.emails import build_recording_message

            emails.register_builder(Notification.Kind.RECORDING, build_recording_message)
