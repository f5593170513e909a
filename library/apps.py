from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Ressursbank")

    def ready(self):
        from library.emails import build_recording_message
        from library.models import Resource
        from library.search_index import connect_receivers
        from registrations.emails import register_builder
        from registrations.models import Notification
        from webinars.page_cache import bump_when_changed

        register_builder(Notification.Kind.RECORDING, build_recording_message)
        connect_receivers(self)
        # The search page is cached with the catalogue's fragments (library/views.py): a changed
        # resource makes them stale too (the index changes only with a save of what it indexes).
        bump_when_changed(Resource, m2m=[Resource.topics.through, Resource.audiences.through])
