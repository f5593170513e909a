from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from library.models import Resource


class AktueltFeed(Feed):
    """Atom feed of what was latest published or reviewed; public resources only."""

    feed_type = Atom1Feed
    title = _("Aktuelt fra Musikkhjemmekontoret")
    subtitle = _("Nye og nylig gjennomgåtte ressurser fra de regionale musikkontorene.")
    link = reverse_lazy("aktuelt")

    def items(self):
        return Resource.objects.public().latest_activity().select_related("organisation")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.activity_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_categories(self, item):
        return [item.get_kind_display()]

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"
