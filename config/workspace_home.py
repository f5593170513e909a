"""The workspace's front page (`/arbeidsrom/`): the organiser's upcoming and past sessions and
courses, and the way to every organiser tool (new webinar or course, resources, the dashboard,
the embed snippet). It names tools of several apps (courses, library, insight, sharing), so it
lives in the project package, which sits above them all."""

from django.shortcuts import render
from django.utils import timezone

from accounts.permissions import managed_organisations, organiser_required, scope_to_organiser
from webinars.models import Course, Session


@organiser_required
def workspace(request):
    now = timezone.now()
    sessions = scope_to_organiser(Session.objects.select_related("organisation", "offering__course"), request.user)
    courses = scope_to_organiser(
        Course.objects.with_schedule().select_related("organisation", "offering"), request.user
    ).order_by("-first_starts_at", "title")
    context = {
        "organisations": managed_organisations(request.user),
        "upcoming": sessions.filter(ends_at__gte=now).order_by("starts_at"),
        "past": sessions.filter(ends_at__lt=now).order_by("-starts_at")[:30],
        "courses": courses,
    }
    return render(request, "workspace/home.html", context)
