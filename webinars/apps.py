from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = _("Webinarer")

    def ready(self):
        from accounts.models import Organisation
        from webinars.models import Audience, Session, Speaker, Topic
        from webinars.page_cache import bump_when_changed

        # Everything of this app and below that the catalogue and session pages show; the apps
        # above connect their own models (courses/apps.py, registrations/apps.py).
        bump_when_changed(
            Session,
            Speaker,
            Topic,
            Audience,
            Organisation,
            m2m=[Session.topics.through, Session.audiences.through, Session.cohosts.through],
        )
