from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.ids import whole_number
from accounts.permissions import organiser_required
from registrations import services
from registrations.erasure import person_erase
from registrations.exports import export_columns, registrations_csv_rows
from registrations.forms import QuestionForm, RegistrationForm, answer_display
from registrations.models import ExportRecord, JoinLink, ParticipantProfile, PrivacyRecord, Question, Registration
from registrations.offering_pages import kind_of, managed_offering, offering_workspace_url
from registrations.page_data import RegistrationPage, fresh_seats, registration_page
from registrations.ratelimit import client_ip, guest_registration_limited
from registrations.signals import registration_links_collect
from webinars.models import Status


def _language(request) -> str:
    language = (get_language() or "nb")[:2]
    return "en" if language == "en" else "nb"


def _join_links(registration: Registration) -> list[JoinLink]:
    links = list(registration.join_links.select_related("session__offering__course").order_by("session__starts_at"))
    _mark_moved([registration], links)
    return links


def _mark_moved(registrations, links) -> None:
    """Give each join link the time its session had before it was last moved (`moved_from`),
    if the person registered before that move: a page strikes the old time through."""
    registered = {r.pk: r.created_at for r in registrations}
    for link in links:
        link.moved_from = link.session.moved_from_for(registered[link.registration_id])


def _register(request, page: RegistrationPage):
    offering, kind, sessions = page.offering, page.kind, page.sessions
    language = _language(request)
    guest = not request.user.is_authenticated

    def render_page(*, form=None, closed=None):
        fresh_seats(offering)  # the stored copy's seats are as they were when it was read
        existing = None
        if not guest:
            existing = services.active_registration(offering=offering, email=request.user.email)
            if existing is not None and existing.status == Registration.Status.WAITLISTED:
                # Only a waitlisted person needs the position: the subqueries cost on every page otherwise.
                existing.waitlist_position = (
                    Registration.objects.with_waitlist_position()
                    .values_list("waitlist_position", flat=True)
                    .get(pk=existing.pk)
                )
        full = offering.seats_left == 0
        context = {
            "offering": offering,
            "kind": kind,
            "sessions": sessions,
            "closed": closed,
            "existing": existing,
            # Just registered (the redirect after the POST): the page confirms, it does not
            # say "already registered".
            "just_registered": existing is not None and request.GET.get("pameldt") == "1",
            "waitlist_length": (
                Registration.objects.filter(offering=offering, status=Registration.Status.WAITLISTED).count()
                if full and not existing
                else 0
            ),
            "join_links": _join_links(existing) if existing else [],
            # Only for the notice: the seat itself is decided under the lock.
            "full": full,
            # Nothing is written when closed or registered: the page says why, or shows it.
            "form": None if existing or closed else form,
        }
        return render(request, "registrations/register.html", context)

    closed = services.registration_closed_reason(offering, sessions=sessions)
    if closed:
        return render_page(closed=closed)
    form_options = {
        "questions": page.questions,
        "guest": guest,
        "language": language,
        "audiences": page.audiences,
        "asks_county": offering.organisation.asks_county,
    }
    if request.method != "POST":
        # A signed-in person's role and county come from their profile (Min konto), if given.
        profile = None if guest else ParticipantProfile.objects.filter(user=request.user).first()
        initial = {"audience": profile.audience_id or "", "county": profile.county} if profile else {}
        return render_page(form=RegistrationForm(initial=initial, **form_options))

    form = RegistrationForm(request.POST, **form_options)
    if not form.is_valid():
        return render_page(form=form)
    if guest:
        email = form.cleaned_data["email"]
        if guest_registration_limited(ip=client_ip(request), email=email):
            return render(request, "registrations/rate_limited.html", {"offering": offering}, status=429)
        name = form.cleaned_data["name"]
    else:
        email = request.user.email
        # The account's name, or none: an account without a name is greeted neutrally, never
        # by its address (get_full_name falls back to the address).
        name = request.user.display_name
    try:
        # Finds the registration already there, if any: the page after the redirect shows it.
        services.registration_create(
            offering=offering,
            user=None if guest else request.user,
            name=name,
            email=email,
            language=language if guest else (request.user.preferred_language or language),
            answers=form.answers(),
            audience=form.audience(),
            county=form.county(),
            sessions=sessions,
        )
    except services.RegistrationClosed as exc:
        return render_page(closed=str(exc))
    if guest:
        # The same page whether or not this address had registered before: it reveals nothing,
        # so it echoes the address as typed, never the one stored with an earlier registration.
        # The address travels in a short-lived signed cookie, not the session store: nothing
        # the visitor typed rests in our database outside the registration (docs/privacy.md).
        response = redirect("registration_optin_sent")
        response.set_signed_cookie(
            OPTIN_EMAIL_COOKIE,
            email,
            salt=OPTIN_EMAIL_COOKIE,
            max_age=OPTIN_EMAIL_COOKIE_AGE,
            path=reverse("registration_optin_sent"),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response
    return HttpResponseRedirect(request.path + "?pameldt=1")


OPTIN_EMAIL_COOKIE = "optin_email"
OPTIN_EMAIL_COOKIE_AGE = 600


@never_cache
def session_register(request, slug):
    # The session with its offering and office, its questions and the audiences: kept per
    # process between an organiser's edits (registrations/page_data.py).
    page = registration_page("session", slug)
    if page.course_slug:
        # A course session is registered for as part of its course.
        return redirect("course_register", slug=page.course_slug)
    return _register(request, page)


@never_cache
def course_register(request, slug):
    return _register(request, registration_page("course", slug))


@never_cache
def registration_optin_sent(request):
    email = request.get_signed_cookie(
        OPTIN_EMAIL_COOKIE, default="", salt=OPTIN_EMAIL_COOKIE, max_age=OPTIN_EMAIL_COOKIE_AGE
    )
    return render(request, "registrations/optin_sent.html", {"email": email})


@never_cache
def registration_optin(request, token):
    registration = Registration.objects.filter(optin_token=token).select_related("offering").first()
    if registration is None or not token:
        return render(request, "registrations/optin.html", {"invalid": True}, status=404)
    context = {"registration": registration, "offering": registration.offering}
    if request.method == "POST":
        try:
            registration = services.registration_confirm_optin(token=token)
        except services.OptinInvalid:
            return render(request, "registrations/optin.html", {**context, "expired": True}, status=410)
        except services.RegistrationClosed as exc:
            return render(request, "registrations/optin.html", {**context, "closed": str(exc)})
        return redirect("registration_detail", manage_token=registration.manage_token)
    if registration.status != Registration.Status.PENDING:
        return redirect("registration_detail", manage_token=registration.manage_token)
    if registration.optin_expires_at is None or registration.optin_expires_at <= timezone.now():
        return render(request, "registrations/optin.html", {**context, "expired": True}, status=410)
    # GET only shows the button: mail scanners fetch links without meaning to confirm.
    return render(request, "registrations/optin.html", context)


@never_cache
def registration_detail(request, manage_token):
    """A registrant's own page, reached through the signed link in every email."""
    registration = get_object_or_404(
        Registration.objects.with_waitlist_position().select_related("offering"), manage_token=manage_token
    )
    return render(
        request,
        "registrations/registration_detail.html",
        {
            "registration": registration,
            "offering": registration.offering,
            "join_links": _join_links(registration),
            "sessions": list(registration.offering.sessions_in_order()),
        },
    )


@never_cache
def registration_cancel(request, manage_token):
    registration = get_object_or_404(Registration.objects.select_related("offering"), manage_token=manage_token)
    if request.method == "POST":
        was_cancelled = registration.status == Registration.Status.CANCELLED
        services.registration_cancel(registration=registration)
        if not was_cancelled:
            messages.success(request, _("Du er meldt av «%(title)s».") % {"title": registration.offering.title})
        if request.user.is_authenticated and request.POST.get("next") == "mine":
            return redirect("my_registrations")
        return redirect("registration_detail", manage_token=manage_token)
    # GET asks for confirmation: a link fetched by a mail scanner cancels nothing.
    return render(
        request,
        "registrations/cancel.html",
        {
            "registration": registration,
            "offering": registration.offering,
            "sessions": list(registration.offering.sessions_in_order()),
        },
    )


def _offering_ends_at(registration: Registration):
    return max((link.session.ends_at for link in registration.join_links.all()), default=None)


@never_cache
@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(Q(user=request.user) | Q(email__iexact=request.user.email))
        .with_waitlist_position()
        # What each card links to: the course's page, or the webinar's (its one session).
        .select_related("offering__course")
        .prefetch_related(
            Prefetch(
                "join_links",
                queryset=JoinLink.objects.select_related("session__offering__course").order_by("session__starts_at"),
            ),
            "offering__sessions",
        )
        .order_by("-created_at")
    )
    now = timezone.now()
    registrations = list(registrations)
    _mark_moved(registrations, [link for r in registrations for link in r.join_links.all()])
    upcoming, earlier = [], []
    for registration in registrations:
        ends_at = _offering_ends_at(registration)
        # A cancelled offering is over for its registrants too: it goes under "Tidligere".
        if registration.is_current and (ends_at is None or ends_at >= now):
            upcoming.append(registration)
        else:
            earlier.append(registration)
    upcoming.sort(key=lambda r: min((link.session.starts_at for link in r.join_links.all()), default=now))
    # What the apps above add under a registration (a course certificate), from what is loaded here.
    added = registration_links_collect(registrations=registrations)
    for registration in registrations:
        registration.added_links = added.get(registration.pk, [])
    return render(request, "registrations/my_registrations.html", {"upcoming": upcoming, "earlier": earlier})


@never_cache
def join(request, token):
    link = get_object_or_404(
        JoinLink.objects.select_related("session__offering__course", "registration__offering"), token=token
    )
    session, registration = link.session, link.registration
    now = timezone.now()
    context = {"session": session, "registration": registration}
    if link.revoked_at is not None:
        state = "revoked"
    elif session.status == Status.CANCELLED or registration.offering_state == "cancelled":
        # Cancelled first: a waitlist place or a pending opt-in of a cancelled offering
        # promises nothing any more.
        state = "session_cancelled"
    elif registration.status != Registration.Status.CONFIRMED:
        state = registration.status
    elif now < session.join_window_opens_at:
        state = "before"
    elif now > session.ends_at:
        state = "ended"
    elif not session.stream_url:
        state = "no_stream"
    else:
        JoinLink.objects.filter(pk=link.pk).update(
            first_joined_at=Coalesce(F("first_joined_at"), now), last_joined_at=now, join_count=F("join_count") + 1
        )
        # The only place the stream URL ever leaves the server.
        response = HttpResponseRedirect(session.stream_url)
        response["Referrer-Policy"] = "no-referrer"
        return response
    if state == Registration.Status.WAITLISTED:
        context["waitlist_position"] = (
            Registration.objects.with_waitlist_position()
            .values_list("waitlist_position", flat=True)
            .get(pk=registration.pk)
        )
    context["state"] = state
    return render(request, "registrations/join.html", context)


# Organisers' workspace


def _registrations_for_list(offering):
    return list(
        Registration.objects.filter(offering=offering)
        .with_waitlist_position()
        .prefetch_related("join_links")
        .order_by("created_at", "id")
    )


def _registration_list(request, offering):
    if request.method == "POST":
        registration_id = whole_number(request.POST.get("registration", ""))
        if registration_id is None:
            raise Http404
        registration = get_object_or_404(Registration.objects.filter(offering=offering), pk=registration_id)
        action = request.POST.get("action")
        if action == "cancel":
            services.registration_cancel(registration=registration, by_organiser=True)
            messages.success(request, _("%(name)s er meldt av.") % {"name": registration.name})
        elif action == "promote":
            try:
                services.registration_promote(registration=registration)
            except services.PromotionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("%(name)s har fått plass.") % {"name": registration.name})
        elif action == "erase":
            # On the person's request: the same cascade as their own erasure, for this office.
            person_erase(
                email=registration.email,
                kind=PrivacyRecord.Kind.ORGANISER_ERASED,
                organisation=offering.organisation,
            )
            messages.success(request, _("Opplysningene til %(name)s er slettet.") % {"name": registration.name})
        else:
            # Only a tampered form gets here: say so and change nothing.
            messages.error(request, _("Ukjent handling. Ingenting er endret."))
        return HttpResponseRedirect(request.path)
    registrations = _registrations_for_list(offering)
    questions = list(offering.questions.all())
    # The offering's real state (Offering.state) and each session's, moved ones with their old time.
    sessions = list(offering.sessions_in_order())
    offering.waitlist_length = sum(r.status == Registration.Status.WAITLISTED for r in registrations)
    language = _language(request)
    rows = []
    counts = {status: 0 for status in Registration.Status.values}
    attended = erased = 0
    for registration in registrations:
        counts[registration.status] += 1
        links = list(registration.join_links.all())
        joined = [link for link in links if link.first_joined_at]
        attended += bool(joined)
        if registration.erased_at:
            # An anonymised registration is only a count (registrations/anonymise.py).
            erased += 1
            continue
        rows.append(
            {
                "registration": registration,
                # (question, answer) pairs: the list shows them in a per-person detail.
                "answers": [(q, answer_display(q, registration.answers.get(str(q.pk)), language)) for q in questions],
                "joined_sessions": len(joined),
                "first_joined_at": min((link.first_joined_at for link in joined), default=None),
            }
        )
    return render(
        request,
        "registrations/workspace_registrations.html",
        {
            "offering": offering,
            "kind": kind_of(offering),
            "questions": questions,
            "rows": rows,
            "counts": counts,
            "attended": attended,
            "sessions": sessions,
            "state": offering.state_from(sessions),
            "erased": erased,
            "export_columns": export_columns(questions, language),
            "exports": _exports(offering, questions, language),
            "session_count": len(sessions) if offering.is_course else 1,  # a webinar is one session
        },
    )


def _exports(offering, questions, language) -> list[dict]:
    """The office's last exports of this offering, with the headings of their columns."""
    headings = {key: heading for key, heading, _default in export_columns(questions, language)}
    return [
        {"record": record, "columns": [headings.get(key, key) for key in record.columns]}
        for record in ExportRecord.objects.filter(offering=offering).select_related("user")[:20]
    ]


def _registration_csv(request, offering, *, filename: str) -> HttpResponse:
    """The CSV with the columns the organiser ticked (`kolonne`; none: the default ones), and
    a record of the export (who, when, which columns) the office sees."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    registrations = [r for r in _registrations_for_list(offering) if r.erased_at is None]
    columns = registrations_csv_rows(
        response,
        offering=offering,
        registrations=registrations,
        questions=list(offering.questions.all()),
        columns=request.GET.getlist("kolonne"),
    )
    ExportRecord.objects.create(offering=offering, user=request.user, columns=columns, row_count=len(registrations))
    return response


# Each page has a webinar's address and a course's (…/webinarer/<id>/… and …/kurs/<id>/…);
# both lead to the offering behind it.


@organiser_required
def workspace_registrations(request, pk, kind):
    return _registration_list(request, managed_offering(request, kind=kind, pk=pk))


@organiser_required
def workspace_registrations_csv(request, pk, kind):
    offering = managed_offering(request, kind=kind, pk=pk)
    return _registration_csv(request, offering, filename=f"pameldinger-{offering.presentation.slug}.csv")


@organiser_required
def workspace_questions(request, pk, kind):
    offering = managed_offering(request, kind=kind, pk=pk)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.offering = offering
        question.save()
        messages.success(request, _("Spørsmålet er lagt til."))
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "registrations/workspace_questions.html",
        {"offering": offering, "kind": kind_of(offering), "questions": list(offering.questions.all()), "form": form},
    )


def _organiser_question(request, pk) -> Question:
    scoped = Question.objects.filter(offering__organisation__memberships__user=request.user).distinct()
    return get_object_or_404(scoped.select_related("offering"), pk=pk)


def _questions_url(question: Question) -> str:
    return offering_workspace_url(question.offering, "questions")


@organiser_required
def workspace_question_edit(request, pk):
    question = _organiser_question(request, pk)
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Spørsmålet er lagret."))
        return redirect(_questions_url(question))
    offering = question.offering
    return render(
        request,
        "registrations/workspace_question_edit.html",
        {"offering": offering, "question": question, "form": form, "back_url": _questions_url(question)},
    )


@organiser_required
@require_POST
def workspace_question_delete(request, pk):
    question = _organiser_question(request, pk)
    url = _questions_url(question)
    question.delete()
    messages.success(request, _("Spørsmålet er slettet."))
    return redirect(url)
