"""An offering's page in the organisers' workspace, and the confirmation before it is cancelled.

One page per webinar or course gathers what the organiser does after publishing: the
registrants, the registration questions, the reminders, the messages, the recording and the
participants' feedback (outcomes/summary.py), each a
section with its count, and keeps the destructive action ("Avlys") apart from the others. It
lives in the project package because it shows several apps at once: the registrations below
and the library's recordings above them (docs/architecture.md, "Layers"). The cancel pages are
here for the same reason: they say how many registrants the cancellation reaches, which only
`registrations` knows; the cancelling itself is `webinars`' and `courses`' service.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import organiser_required, scope_to_organiser
from courses.services import course_cancel
from library.models import Resource
from outcomes.summary import feedback_for_offering
from registrations import reminders
from registrations.email_kinds import offset_text
from registrations.erasure import speaker_erase, speaker_mentions
from registrations.message_views import ReminderOffsetsForm
from registrations.models import Message, Registration
from registrations.offering_pages import kind_of, managed_offering
from webinars.models import Offering, Session, Speaker, Status
from webinars.services import session_cancel


def registration_counts(offering: Offering) -> dict[str, int]:
    """How many registrations the offering has in each status (one query)."""
    counts = dict.fromkeys(Registration.Status.values, 0)
    rows = Registration.objects.filter(offering=offering).values("status").annotate(n=Count("id")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def offering_resources(offering: Offering):
    """The library's resources about the offering: recordings of its sessions, and the course's."""
    return (
        Resource.objects.filter(Q(session__offering=offering) | Q(course__offering=offering))
        .select_related("session")
        .order_by("-created_at")
    )


@organiser_required
def workspace_offering(request, pk: int, kind: str):
    offering = managed_offering(request, kind=kind, pk=pk)
    if kind == "session" and offering.is_course:
        # A course's session registers through its course: the course's page is the one.
        return redirect("workspace_course_overview", offering.course.pk)
    counts = registration_counts(offering)
    questions = list(offering.questions.all())
    offsets = reminders.offsets_clean(offering.reminder_offsets)
    sent = list(Message.objects.filter(offering=offering).order_by("-created_at")[:5])
    message_count = Message.objects.filter(offering=offering).count()
    resources = list(offering_resources(offering))
    sessions = list(offering.sessions.order_by("position", "starts_at")) if offering.is_course else []
    context = {
        "offering": offering,
        "page": offering.presentation,
        "kind": kind_of(offering),
        "counts": counts,
        "active_count": counts["confirmed"] + counts["waitlisted"] + counts["pending"],
        "questions": questions,
        "reminders": [offset_text(m, request.LANGUAGE_CODE) for m in offsets],
        "reminder_form": ReminderOffsetsForm(initial=ReminderOffsetsForm.initial_for(offsets)),
        "sent": sent,
        "message_count": message_count,
        "resources": resources,
        "recordings": [r for r in resources if r.kind == Resource.Kind.RECORDING],
        "sessions": sessions,
        "speakers": list(
            Speaker.objects.filter(session__offering=offering).select_related("session").order_by("session", "position")
        ),
        "cancelled": offering.status == Status.CANCELLED,
        "feedback": feedback_for_offering(offering),
    }
    return render(request, "workspace/offering.html", context)


@require_POST
@organiser_required
def workspace_speaker_erase(request, pk: int):
    """A speaker asked to be forgotten (docs/privacy.md): their rows on the office's sessions
    go, the sessions stay. The page says where the office's own texts still name them."""
    speaker = get_object_or_404(
        Speaker.objects.filter(session__in=scope_to_organiser(Session.objects.all(), request.user)).select_related(
            "session__offering__course"
        ),
        pk=pk,
    )
    name, session = speaker.name, speaker.session
    offering = session.offering
    counts = speaker_erase(speaker=speaker)
    messages.success(
        request,
        ngettext(
            "Opplysningene om foredragsholderen %(name)s er slettet fra %(n)d økt.",
            "Opplysningene om foredragsholderen %(name)s er slettet fra %(n)d økter.",
            counts["speakers"],
        )
        % {"name": name, "n": counts["speakers"]},
    )
    mentions = speaker_mentions(organisation_id=session.organisation_id, name=name)
    if mentions:
        messages.warning(
            request,
            _("Navnet står fortsatt i teksten dere har skrevet om: %(titles)s. Endre teksten der.")
            % {"titles": ", ".join(f"«{title}»" for title in mentions)},
        )
    kind = "course" if offering.is_course else "session"
    page = offering.course if offering.is_course else session
    return HttpResponseRedirect(reverse(f"workspace_{kind}_overview", args=[page.pk]) + "#foredragsholdere")


@organiser_required
def workspace_offering_cancel(request, pk: int, kind: str):
    """The confirmation page says what cancelling does, with the numbers; only its POST cancels.
    A session of a course is cancelled on its own (its course goes on)."""
    offering = managed_offering(request, kind=kind, pk=pk)
    page = offering.presentation
    whole_course = kind == "course"
    if request.method == "POST":
        if whole_course:
            course_cancel(course=page)
            messages.success(request, _("«%(title)s» og alle øktene er avlyst.") % {"title": page.title})
        else:
            session_cancel(session=page)
            messages.success(request, _("«%(title)s» er avlyst.") % {"title": page.title})
        return redirect("workspace")
    counts = registration_counts(offering)
    context = {
        "offering": offering,
        "page": page,
        "kind": kind,
        "counts": counts,
        "part_of_course": kind == "session" and offering.is_course,
        "already_cancelled": page.status == Status.CANCELLED,
        "session_count": offering.sessions.exclude(status=Status.CANCELLED).count() if whole_course else 1,
    }
    return render(request, "workspace/offering_cancel.html", context)
