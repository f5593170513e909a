from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import organiser_required, scope_to_organiser
from webinars import services
from webinars.calendar_links import google_calendar_url, outlook_calendar_url
from webinars.filter_chips import filter_chips
from webinars.forms import CatalogueFilterForm, DuplicateForm, RescheduleForm, SessionForm, error_summary
from webinars.models import Session, Status
from webinars.page_cache import Built, catalogue_fragment, first_after
from webinars.signals import offerings_registrant_state

PAGE_SIZE = 20
# Service errors are keyed by model field; the form shows them next to its own fields.
FORM_FIELD_FOR = {"starts_at": "starts_time", "ends_at": "ends_time", "__all__": None}


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = FORM_FIELD_FOR.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def catalogue_page_offerings(request, offerings) -> None:
    """What a page shows of registrations (webinars.signals.offerings_registrant_state): the
    waitlists' lengths for everyone, and the visitor's own registrations only when signed in.
    Signed-in visitors' pages never enter the shared cache (page_cache.catalogue_fragment), so
    nobody's own state reaches another visitor."""
    offerings_registrant_state(offerings, user=request.user if request.user.is_authenticated else None)


def render_catalogue_page(request, parts: dict[str, str]):
    return render(request, "webinars/cached_page.html", parts)


def catalogue_context(request, form: CatalogueFilterForm, query: QueryDict, page) -> dict:
    """What a catalogue list's template needs: the page's rows (sessions or courses, read once,
    each offering told the registrant state its card shows: catalogue_page_offerings), the
    filters, the active ones as chips, and whether the filter panel starts open (on a phone,
    when a filter has an error)."""
    page.object_list = list(page.object_list)
    catalogue_page_offerings(request, [item.offering for item in page.object_list])
    return {
        "form": form,
        "page": page,
        "query": query,
        "chips": filter_chips(form, query, request.path) if form.is_bound else [],
        "reset_url": request.path,
        "panel_open": form.is_bound and bool(form.errors),
    }


def catalogue_query(request) -> tuple[QueryDict, QueryDict | None]:
    """A catalogue list's query: what the page reads (the filters and the page number), and
    its cache parameters, the same when every value is well-formed (None otherwise). The page
    reads nothing else, so what the cache stores depends on nothing outside its key."""
    params = CatalogueFilterForm.canonical_query(request.GET)
    return (request.GET if params is None else params), params


def session_list(request):
    query, params = catalogue_query(request)

    def build() -> Built:
        now = timezone.now()
        form = CatalogueFilterForm(query or None)
        sessions = Session.objects.listed().upcoming(now).for_cards()
        if form.is_bound:
            form.is_valid()  # invalid filters show their error; the valid ones still apply
            sessions = form.filter_sessions(sessions, now)
        page = Paginator(sessions, PAGE_SIZE).get_page(query.get("side"))
        content = render_to_string(
            "webinars/_session_list.html", catalogue_context(request, form, query, page), request
        )
        # The page changes by itself when one of its sessions ends.
        return {"title": escape(_("Webinarer")), "content": content}, first_after(
            (s.ends_at for s in page.object_list), now
        )

    return render_catalogue_page(request, catalogue_fragment(request, "session_list", build, params=params))


def session_archive(request):
    query, params = catalogue_query(request)

    def build() -> Built:
        now = timezone.now()
        form = CatalogueFilterForm(query or None)
        sessions = Session.objects.listed().past(now).for_cards().order_by("-starts_at", "-id")
        if form.is_bound:
            form.is_valid()
            sessions = form.filter_sessions(sessions, now)
        page = Paginator(sessions, PAGE_SIZE).get_page(query.get("side"))
        content = render_to_string(
            "webinars/_session_archive.html", catalogue_context(request, form, query, page), request
        )
        return {"title": escape(_("Arkiv")), "content": content}, None

    return render_catalogue_page(request, catalogue_fragment(request, "session_archive", build, params=params))


def detail_queryset():
    return Session.objects.select_related("organisation", "offering__course").prefetch_related(
        "topics", "audiences", "speakers", "cohosts"
    )


def session_page_context(request, session: Session, *, preview: bool = False) -> dict:
    # The canonical address, not one built from the request's Host header.
    page_url = settings.SITE_URL + session.get_absolute_url()
    now = timezone.now()
    offering = session.offering
    registration_state = "open"
    if session.status != Status.PUBLISHED or offering.status != Status.PUBLISHED or session.ends_at < now:
        registration_state = "none"
    elif offering.registration_opens_at and now < offering.registration_opens_at:
        registration_state = "not_yet"
    elif (offering.registration_closes_at and now >= offering.registration_closes_at) or session.starts_at < now:
        registration_state = "closed"
    course = session.course
    catalogue_page_offerings(request, [offering])
    return {
        "session": session,
        "course": course,
        "preview": preview,
        "publish_check": services.session_publish_check(session) if preview else None,
        # A course's session is published with its course.
        "can_publish": preview and session.status == Status.DRAFT and course is None,
        "registration_state": registration_state,
        "state": session.state,
        "google_calendar_url": google_calendar_url(session, page_url),
        "outlook_calendar_url": outlook_calendar_url(session, page_url),
    }


def session_page_parts(request, session: Session, *, preview: bool = False) -> Built:
    context = session_page_context(request, session, preview=preview)
    content = render_to_string("webinars/_session_page.html", context, request)
    # Registration opens and closes, and the calendar links go, at known times.
    changes_at = first_after(
        [
            session.offering.registration_opens_at,
            session.offering.registration_closes_at,
            session.starts_at,
            session.ends_at,
        ],
        timezone.now(),
    )
    return {"title": escape(session.title), "content": content}, changes_at


def session_detail(request, slug):
    def build() -> Built:
        session = get_object_or_404(detail_queryset().visible(), slug=slug)
        return session_page_parts(request, session)

    return render_catalogue_page(request, catalogue_fragment(request, "session_detail", build))


# Organisers' workspace. Every view is scoped: an organiser of another office gets 404.


def managed_session(request, pk) -> Session:
    return get_object_or_404(scope_to_organiser(Session.objects.all(), request.user), pk=pk)


@organiser_required
def workspace_session_create(request):
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(**form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Webinaret «%(title)s» er lagret som utkast.") % {"title": session.title})
            return redirect("workspace_session_preview", session.pk)
    return render(
        request, "webinars/workspace/session_form.html", {"form": form, "session": None, "errors": error_summary(form)}
    )


@organiser_required
def workspace_session_edit(request, pk):
    session = managed_session(request, pk)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(session=session, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("workspace_session_preview", session.pk)
    return render(
        request,
        "webinars/workspace/session_form.html",
        {"form": form, "session": session, "errors": error_summary(form)},
    )


@organiser_required
def workspace_session_preview(request, pk):
    session = get_object_or_404(scope_to_organiser(detail_queryset(), request.user), pk=pk)
    parts, _changes_at = session_page_parts(request, session, preview=True)
    return render_catalogue_page(request, parts)


@organiser_required
@require_POST
def workspace_session_publish(request, pk):
    session = managed_session(request, pk)
    try:
        services.session_publish(session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("«%(title)s» er publisert.") % {"title": session.title})
    if request.POST.get("next") == "preview":
        return redirect("workspace_session_preview", session.pk)
    return redirect("workspace")


@organiser_required
def workspace_session_reschedule(request, pk):
    session = managed_session(request, pk)
    form = RescheduleForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(
                session=session, starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("«%(title)s» har fått nytt tidspunkt.") % {"title": session.title})
            return redirect("workspace")
    return render(request, "webinars/workspace/session_reschedule.html", {"form": form, "session": session})


@organiser_required
def workspace_session_duplicate(request, pk):
    session = managed_session(request, pk)
    form = DuplicateForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        copy = services.session_duplicate(
            session=session, starts_at=form.cleaned_data["starts_at"], title=form.cleaned_data["title"]
        )
        messages.success(request, _("Kopien er lagret som utkast. Se over den før du publiserer."))
        return redirect("workspace_session_edit", copy.pk)
    return render(request, "webinars/workspace/session_duplicate.html", {"form": form, "session": session})
