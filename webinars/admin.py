"""The admin shows what the services write and changes none of it.

Sessions, courses and their offerings change only through webinars/courses services (the
reschedule hook, the seats counter, the signals that send invites); registrations, questions,
messages and the outbox through the registrations services; resources through the library's
(consent before publishing). A row saved or deleted in the admin would skip those rules (a
deleted confirmed registration leaves its seat taken and the waitlist unmoved, sends no
CANCEL, and takes its email history with it), so these rows are read-only here: staff can
look, not add, change or delete (accounts.admin.ReadOnlyAdmin). Organisers change them in the
workspace.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from webinars.models import Course, Offering, Session, Speaker


@admin.register(Offering)
class OfferingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "organisation", "status", "capacity", "seats_taken"]
    list_filter = ["kind", "status"]


class SpeakerInline(ReadOnlyInline):
    model = Speaker
    fields = ["name", "bio", "position"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "starts_at", "status"]
    list_filter = ["status", "organisation"]
    search_fields = ["title"]
    # The stream URL leaves the server only through a registrant's join link.
    exclude = ["stream_url"]
    inlines = [SpeakerInline]


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "featured"]
    search_fields = ["title"]
