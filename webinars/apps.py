from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = _("Webinarer")

    def ready(self):
        from accounts.models import Organisation
        from webinars.models import Audience, Course, Offering, Session, Speaker, Topic
        from webinars.page_cache import bump_when_changed

        # Everything the catalogue, session and course pages show. Seats taken change through
        # queryset updates, which send no signal: the registration services bump the cache.
        bump_when_changed(
            Offering,
            Session,
            Course,
            Speaker,
            Topic,
            Audience,
            Organisation,
            m2m=[
                Session.topics.through,
                Session.audiences.through,
                Session.cohosts.through,
                Course.topics.through,
                Course.audiences.through,
            ],
        )
