from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.ids import whole_number
from accounts.permissions import organiser_required, scope_to_organiser
from courses import services
from courses.forms import CourseForm
from courses.session_forms import MAX_SESSIONS, SeriesForm, SessionDefaultsForm, SessionRowFormSet
from webinars.forms import CatalogueFilterForm, error_summary
from webinars.models import Course, Offering, Session, Status
from webinars.page_cache import Built, catalogue_fragment, first_after
from webinars.views import (
    PAGE_SIZE,
    add_service_errors,
    catalogue_context,
    catalogue_page_offerings,
    catalogue_query,
    render_catalogue_page,
)


def course_list(request):
    query, params = catalogue_query(request)

    def build() -> Built:
        now = timezone.now()
        form = CatalogueFilterForm(query or None)
        courses = (
            Course.objects.published()
            .upcoming(now)
            .select_related("organisation", "offering")
            .prefetch_related("topics", "audiences")
            .order_by("first_starts_at", "id")
        )
        if form.is_bound:
            form.is_valid()
            courses = form.filter_courses(courses, now)
        page = Paginator(courses, PAGE_SIZE).get_page(query.get("side"))
        content = render_to_string("courses/_course_list.html", catalogue_context(request, form, query, page), request)
        # A course leaves the list when its last session ends.
        return {"title": escape(_("Kurs")), "content": content}, first_after(
            (c.last_ends_at for c in page.object_list), now
        )

    return render_catalogue_page(request, catalogue_fragment(request, "course_list", build, params=params))


def course_queryset(*, include_drafts: bool = False):
    sessions = Session.objects.order_by("position", "starts_at", "id")
    if not include_drafts:
        sessions = sessions.exclude(status=Status.DRAFT)
    return (
        Course.objects.with_schedule()
        .select_related("organisation", "offering")
        .prefetch_related("topics", "audiences", Prefetch("offering__sessions", queryset=sessions))
    )


def course_page_context(request, course: Course, *, preview: bool = False) -> dict:
    now = timezone.now()
    offering = course.offering
    catalogue_page_offerings(request, [offering])
    state = "open"
    if offering.status != Status.PUBLISHED or not course.last_ends_at or course.last_ends_at < now:
        state = "none"
    elif offering.registration_opens_at and now < offering.registration_opens_at:
        state = "not_yet"
    elif offering.registration_closes_at and now >= offering.registration_closes_at:
        state = "closed"
    return {
        "course": course,
        "preview": preview,
        "publish_check": services.course_publish_check(course) if preview else None,
        "can_publish": preview and offering.status == Status.DRAFT,
        "registration_state": state,
        "state": offering.state,
        "now": now,
    }


def course_page_parts(request, course: Course, *, preview: bool = False) -> Built:
    context = course_page_context(request, course, preview=preview)
    content = render_to_string("courses/_course_page.html", context, request)
    changes_at = first_after(
        [course.offering.registration_opens_at, course.offering.registration_closes_at, course.last_ends_at],
        context["now"],
    )
    return {"title": escape(course.title), "content": content}, changes_at


def course_detail(request, slug):
    def build() -> Built:
        course = get_object_or_404(course_queryset().visible(), slug=slug)
        return course_page_parts(request, course)

    return render_catalogue_page(request, catalogue_fragment(request, "course_detail", build))


# Organisers' workspace.


def managed_course(request, pk) -> Course:
    return get_object_or_404(scope_to_organiser(Course.objects.select_related("offering"), request.user), pk=pk)


def posted_initial(form: forms.BaseForm, data) -> dict:
    """A form's values as posted, for showing them again in an unbound form (no errors yet):
    adding rows to the sessions is not yet saving, so nothing is reported missing."""
    initial = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if key in data:
            multiple = isinstance(field.widget, forms.SelectMultiple)
            initial[name] = data.getlist(key) if multiple else data.get(key)
    return initial


class SessionRows:
    """The new sessions part of a course page: rows, the series generator and what every new
    session gets. `action` is "generate" (add a series), "add_row" (an empty row) or "save"."""

    def __init__(self, request, *, numbered_from: int = 1, default_action: str = "save"):
        data = request.POST if request.method == "POST" else None
        self.action = request.POST.get("action", default_action) if data is not None else None
        if self.action not in ("generate", "add_row", "save"):
            data = None  # another form on the page was sent
        rows_data = data if data is not None and "okter-TOTAL_FORMS" in data else None
        self.note = ""
        self.rows = SessionRowFormSet(rows_data, prefix="okter")
        self.series = SeriesForm(prefix="serie")
        self.defaults = SessionDefaultsForm(data, prefix="felles")
        if self.action in ("generate", "add_row"):
            rows = self.rows.rows_kept()
            self.series = SeriesForm(initial=posted_initial(self.series, data), prefix="serie")
            if self.action == "generate":
                posted = SeriesForm(data, prefix="serie")
                if posted.is_valid():
                    rows += posted.rows(first_number=numbered_from + len(rows))
                    self.note = posted.description()
                else:
                    self.series = posted
            else:
                rows.append({})
            if len(rows) > MAX_SESSIONS:
                rows = rows[:MAX_SESSIONS]
                self.note = _("Et kurs kan ha høyst %(n)d nye økter om gangen.") % {"n": MAX_SESSIONS}
            self.rows = SessionRowFormSet(prefix="okter", initial=rows)
            self.defaults = SessionDefaultsForm(initial=posted_initial(self.defaults, data), prefix="felles")
        elif self.action == "save":
            self.series = SeriesForm(initial=posted_initial(self.series, data), prefix="serie")

    @property
    def saving(self) -> bool:
        return self.action == "save"

    def is_valid(self) -> bool:
        # A form without the rows' management data (an older page, a script) adds no sessions.
        return all([not self.rows.is_bound or self.rows.is_valid(), self.defaults.is_valid()])

    def errors(self) -> list[dict]:
        return error_summary(self.defaults, self.series, rows=self.rows, row_label=_("Økt %(n)d"))

    def save(self, course: Course) -> list[Session]:
        return services.course_sessions_add(
            course=course, sessions=self.rows.sessions(), stream_url=self.defaults.cleaned_data["stream_url"]
        )


@organiser_required
def workspace_course_create(request):
    sessions = SessionRows(request)
    if sessions.saving:
        form = CourseForm(request.POST, user=request.user)
    elif request.method == "POST":
        form = CourseForm(initial=posted_initial(CourseForm(user=request.user), request.POST), user=request.user)
    else:
        form = CourseForm(user=request.user)
    if sessions.saving and all([form.is_valid(), sessions.is_valid()]):
        try:
            with transaction.atomic():
                course = services.course_create(**form.service_kwargs())
                added = sessions.save(course)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if added:
                messages.success(
                    request,
                    ngettext(
                        "Kurset er lagret som utkast med %(n)d økt.",
                        "Kurset er lagret som utkast med %(n)d økter.",
                        len(added),
                    )
                    % {"n": len(added)},
                )
                return redirect("workspace_course_preview", course.pk)
            messages.success(request, _("Kurset er lagret som utkast. Legg til øktene."))
            return redirect("workspace_course_sessions", course.pk)
    context = {"form": form, "course": None, "sessions": sessions, "errors": error_summary(form) + sessions.errors()}
    return render(request, "courses/workspace/course_form.html", context)


@organiser_required
def workspace_course_edit(request, pk):
    course = managed_course(request, pk)
    form = CourseForm(request.POST or None, instance=course, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_update(course=course, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("workspace_course_preview", course.pk)
    context = {"form": form, "course": course, "errors": error_summary(form)}
    return render(request, "courses/workspace/course_form.html", context)


@organiser_required
def workspace_course_preview(request, pk):
    course = get_object_or_404(scope_to_organiser(course_queryset(include_drafts=True), request.user), pk=pk)
    parts, _changes_at = course_page_parts(request, course, preview=True)
    return render_catalogue_page(request, parts)


@organiser_required
def workspace_course_sessions(request, pk):
    course = managed_course(request, pk)
    # New sessions, typed or generated, are added here too; the course's sessions are then
    # edited one by one (their own form) or taken out of the course below.
    new_sessions = SessionRows(request, numbered_from=course.offering.sessions.count() + 1, default_action="pick")
    if new_sessions.saving and new_sessions.is_valid():
        try:
            added = new_sessions.save(course)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext("%(n)d økt er lagt til.", "%(n)d økter er lagt til.", len(added)) % {"n": len(added)},
            )
            return redirect("workspace_course_sessions", course.pk)
    # The office's webinars that may join, and every session the course has, whichever office
    # it belongs to now and cancelled ones too: a session left off this list would be dropped.
    candidates = list(
        Session.objects.filter(
            Q(organisation=course.organisation, offering__kind=Offering.Kind.WEBINAR) & ~Q(status=Status.CANCELLED)
            | Q(offering=course.offering_id)
        ).order_by("starts_at")
    )
    chosen = {c.pk for c in candidates if c.offering_id == course.offering_id}
    positions = {c.pk: c.position + 1 for c in candidates if c.pk in chosen}
    # A cancelled session stays in its course (course_sessions_set keeps it); it is shown, not offered.
    fixed = {c.pk for c in candidates if c.pk in chosen and c.status == Status.CANCELLED}
    if request.method == "POST" and new_sessions.action == "pick":
        by_pk = {c.pk: c for c in candidates if c.pk not in fixed}
        picked = [by_pk[pk] for pk in map(whole_number, request.POST.getlist("session")) if pk in by_pk]

        def order(session):
            position = whole_number(request.POST.get(f"position_{session.pk}", ""), maximum=10_000)
            return (10_000 if position is None else position, session.starts_at)

        try:
            services.course_sessions_set(course=course, sessions=sorted(picked, key=order))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kursets økter er lagret."))
            return redirect("workspace_course_preview", course.pk)
        chosen = {s.pk for s in picked}
    rows = [
        {"session": c, "chosen": c.pk in chosen, "fixed": c.pk in fixed, "position": positions.get(c.pk, "")}
        for c in candidates
    ]
    rows.sort(key=lambda r: (not r["chosen"], r["position"] or 0, r["session"].starts_at))
    context = {"course": course, "rows": rows, "sessions": new_sessions, "errors": new_sessions.errors()}
    return render(request, "courses/workspace/course_sessions.html", context)


@organiser_required
@require_POST
def workspace_course_publish(request, pk):
    course = managed_course(request, pk)
    try:
        services.course_publish(course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("«%(title)s» er publisert.") % {"title": course.title})
    if request.POST.get("next") == "preview":
        return redirect("workspace_course_preview", course.pk)
    return redirect("workspace")
