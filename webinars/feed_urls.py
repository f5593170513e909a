from django.urls import path

from webinars import feed_views

urlpatterns = [
    path("hjelp/kalender/", feed_views.calendar_help, name="calendar_help"),
    path("webinarer/kalender.ics", feed_views.catalogue_feed, name="catalogue_feed"),
    path("webinarer/<slug:slug>/kalender.ics", feed_views.session_ics, name="session_ics"),
    path("organisasjoner/<slug:slug>/kalender.ics", feed_views.office_feed, name="office_feed"),
    path("webinarer/tema/<slug:slug>/kalender.ics", feed_views.topic_feed, name="topic_feed"),
]
