from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.permissions import can_manage, organiser_required, scope_to_organiser
from library.embeds import embed_url, provider_name
from library.forms import ContributorFormSet, FilterForm, ResourceForm, RightsForm
from library.models import Resource
from library.questions import QUESTIONS_BY_SLUG, WHO_ARE_YOU
from library.search import resource_search
from library.services import PublishError, publish_blockers, resource_publish, resource_review, resource_save
from library.services import resource_unpublish as resource_unpublish_service
from library.site_search import GROUPS, site_search
from library.textsearch import MAX_QUERY_CHARS
from webinars.filter_chips import FilterChip, filter_chips, url_without
from webinars.markdown import render_markdown
from webinars.models import CARD_DEFERRED, Audience, Course, Session, Topic
from webinars.page_cache import Built, catalogue_fragment

PAGE_SIZE = 12
SEARCH_GROUP_SIZE = 5  # items per group on the search page
SEARCH_PAGE_SIZE = 20  # items per page of one group ("see all")
MAX_SEARCH_PAGE = 500
AKTUELT_SIZE = 30

# filter parameter → the lookup it applies
FILTER_LOOKUPS = {
    "type": "kind",
    "tema": "topics__slug",
    "malgruppe": "audiences__slug",
    "kontor": "organisation__slug",
    "sprak": "language",
}


def library_index(request):
    topics = list(Topic.objects.all())
    audiences = list(Audience.objects.all())
    offices = list(Organisation.objects.offices())
    form = FilterForm(request.GET, topics=topics, audiences=audiences, offices=offices)
    filters = form.filters()
    question = QUESTIONS_BY_SLUG.get(request.GET.get("sporsmal", ""))
    if question:
        filters = {**question.params, **filters}

    resources = Resource.objects.visible_to(request.user)
    for name, lookup in FILTER_LOOKUPS.items():
        if filters.get(name):
            resources = resources.filter(**{lookup: filters[name]})
    if filters.get("q"):
        resources = resource_search(resources, filters["q"])
    page = Paginator(resources.with_listing(), PAGE_SIZE).get_page(request.GET.get("side"))

    audience = next((a for a in audiences if a.slug == filters.get("malgruppe")), None)
    role_sessions, role_courses = upcoming_for_audience(audience) if audience else ([], [])
    topic = next((t for t in topics if t.slug == filters.get("tema")), None)
    query = request.GET.copy()
    query.pop("side", None)
    chips = filter_chips(form, request.GET, request.path)
    if question:
        chips.insert(0, FilterChip(_("Spørsmål"), question.text, url_without(request.GET, request.path, "sporsmal")))
    ctx = {
        "chips": chips,
        "reset_url": request.path,
        "panel_open": False,  # an invalid value here is a stale link, ignored: results stay first
        "form": form,
        "page": page,
        "question": question,
        "audience": audience,
        "role_sessions": role_sessions,
        "role_courses": role_courses,
        "topic": topic,
        "filtered": bool(filters),
        "querystring": query.urlencode(),
        "who_are_you": WHO_ARE_YOU,
    }
    return render(request, "library/index.html", ctx)


ROLE_EVENTS = 3


def upcoming_for_audience(audience: Audience) -> tuple[list, list]:
    """A role page's next few upcoming webinars and courses for `audience`, soonest first:
    listed (published, not cancelled) and not yet over. Two queries, whatever the amount of data."""
    now = timezone.now()
    sessions = (
        Session.objects.listed()
        .standalone()
        .filter(audiences=audience)
        .upcoming(now)
        .select_related("organisation")
        .defer(*CARD_DEFERRED[:1])
        .order_by("starts_at", "id")
    )
    courses = (
        Course.objects.published()
        .filter(audiences=audience)
        .upcoming(now)
        .select_related("organisation")
        .order_by("first_starts_at", "id")
    )
    return list(sessions[:ROLE_EVENTS]), list(courses[:ROLE_EVENTS])


def site_search_page(request):
    """/sok/?q=: everything public, grouped (library/site_search.py). Anonymous visitors get the
    rendered results from the catalogue's shared cache: they are the same for everybody."""
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    group = request.GET.get("vis") if request.GET.get("vis") in GROUPS else None
    try:
        page = min(max(int(request.GET.get("side", "1")), 1), MAX_SEARCH_PAGE)
    except ValueError:
        page = 1
    params = QueryDict(mutable=True)
    params.update({"q": text, "vis": group or "", "side": str(page)})

    def build() -> Built:
        if group:
            results = site_search(text, group=group, offset=(page - 1) * SEARCH_PAGE_SIZE, limit=SEARCH_PAGE_SIZE)
        else:
            results = site_search(text, limit=SEARCH_GROUP_SIZE)
        shown = results.groups.get(group) if group else None
        ctx = {
            "query": text,
            "results": results,
            "groups": list(results.groups.values()),
            "group": group,
            "page": page,
            "has_next": bool(shown and shown.count > page * SEARCH_PAGE_SIZE),
            "offices": list(Organisation.objects.offices()) if text and not results.total else [],
        }
        title = _("Søk etter «%(query)s»") % {"query": text} if text else _("Søk")
        # Parts come back from the cache marked safe: escaped here, like the template escapes the content.
        return {"title": escape(title), "content": render_to_string("library/search.html", ctx, request=request)}, None

    return render(request, "webinars/cached_page.html", catalogue_fragment(request, "search", build, params=params))


def resource_detail(request, slug):
    resource = get_object_or_404(
        Resource.objects.select_related("organisation", "session__offering", "course", "partner"), slug=slug
    )
    if not Resource.objects.viewable_by(request.user).filter(pk=resource.pk).exists():
        if resource.is_published and resource.visibility != Resource.Visibility.PUBLIC:
            # Say what the resource is and how to get access; never its content or video.
            return render(request, "library/resource_locked.html", {"resource": resource}, status=403)
        raise Http404
    related = resource.related.visible_to(request.user).select_related("organisation")
    embed = embed_url(resource.video_url) if resource.kind == Resource.Kind.RECORDING else ""
    ctx = {
        "resource": resource,
        "upcoming_events": related_upcoming_events(resource),
        "body_html": render_markdown(resource.body),
        "related": related,
        "embed": embed,
        "play": bool(embed) and request.GET.get("spill") == "1",
        "provider": provider_name(resource.video_url) if resource.video_url else "",
        "topics": resource.topics.all(),
        "audiences": resource.audiences.all(),
        "contributors": resource.contributors.all() if resource.kind == Resource.Kind.RECORDING else [],
        "can_manage": can_manage(request.user, resource.organisation),
    }
    return render(request, "library/resource_detail.html", ctx)


RELATED_EVENTS = 4


def related_upcoming_events(resource: Resource) -> list:
    """Up to four upcoming webinars and courses sharing a topic or an audience with `resource`,
    soonest first: where a guide's reader can go next. Two queries (plus the tags')."""
    topics = [t.pk for t in resource.topics.all()]
    audiences = [a.pk for a in resource.audiences.all()]
    if not topics and not audiences:
        return []
    now = timezone.now()
    shared = Q(topics__in=topics) | Q(audiences__in=audiences)
    sessions = Session.objects.listed().standalone().upcoming(now).filter(shared).distinct()
    sessions = list(sessions.select_related("organisation", "offering").defer(*CARD_DEFERRED[:1])[:RELATED_EVENTS])
    courses = (
        Course.objects.published().upcoming(now).filter(shared).distinct().select_related("organisation", "offering")
    )
    events = sessions + list(courses.order_by("first_starts_at")[:RELATED_EVENTS])
    events.sort(key=lambda e: e.starts_at if isinstance(e, Session) else e.first_starts_at)
    return events[:RELATED_EVENTS]


def resource_download(request, slug):
    resource = get_object_or_404(Resource.objects.viewable_by(request.user), slug=slug, kind=Resource.Kind.DOCUMENT)
    if not resource.file:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=resource.file_name or resource.file.name)


def aktuelt(request):
    resources = Resource.objects.public().latest_activity().select_related("organisation")[:AKTUELT_SIZE]
    return render(request, "library/aktuelt.html", {"resources": resources})


# Organiser workspace


def _own_resource(request, pk) -> Resource:
    return get_object_or_404(scope_to_organiser(Resource.objects.all(), request.user), pk=pk)


@organiser_required
def workspace_resources(request):
    resources = (
        scope_to_organiser(Resource.objects.all(), request.user)
        .select_related("organisation", "session")
        .order_by("status", "-updated_at")
    )
    return render(request, "library/workspace/resources.html", {"resources": resources})


def _resource_form_page(request, form, resource=None):
    if request.method == "POST" and form.is_valid():
        saved = resource_save(
            resource=form.save(commit=False),
            topics=form.cleaned_data["topics"],
            audiences=form.cleaned_data["audiences"],
            related=form.cleaned_data["related"],
        )
        messages.success(request, _("Ressursen «%(title)s» er lagret.") % {"title": saved.title})
        if saved.kind == Resource.Kind.RECORDING and resource is None:
            return redirect("workspace_resource_consent", pk=saved.pk)
        return redirect("workspace_resources")
    return render(request, "library/workspace/resource_form.html", {"form": form, "resource": resource})


@organiser_required
def workspace_resource_create(request):
    initial = {"kind": request.GET.get("type", Resource.Kind.GUIDE)}
    form = ResourceForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    return _resource_form_page(request, form)


@organiser_required
def workspace_resource_edit(request, pk):
    resource = _own_resource(request, pk)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource, user=request.user)
    return _resource_form_page(request, form, resource)


@organiser_required
def workspace_resource_consent(request, pk):
    resource = _own_resource(request, pk)
    if resource.kind != Resource.Kind.RECORDING:
        raise Http404
    formset = ContributorFormSet(request.POST or None, instance=resource, prefix="medvirkende")
    rights = RightsForm(request.POST or None, instance=resource)
    if request.method == "POST" and formset.is_valid() and rights.is_valid():
        formset.save()
        rights.save()
        messages.success(request, _("Samtykker og rettigheter er lagret."))
        return redirect("workspace_resource_consent", pk=resource.pk)
    ctx = {"resource": resource, "formset": formset, "rights": rights, "blockers": publish_blockers(resource)}
    return render(request, "library/workspace/consent.html", ctx)


@organiser_required
@require_POST
def workspace_resource_publish(request, pk):
    resource = _own_resource(request, pk)
    try:
        resource_publish(resource=resource)
    except PublishError as exc:
        messages.error(request, str(exc))
        if resource.kind == Resource.Kind.RECORDING:
            return redirect("workspace_resource_consent", pk=resource.pk)
        return redirect("workspace_resources")
    messages.success(request, _("«%(title)s» er publisert.") % {"title": resource.title})
    return redirect("workspace_resources")


@organiser_required
@require_POST
def workspace_resource_unpublish(request, pk):
    resource = resource_unpublish_service(resource=_own_resource(request, pk))
    messages.success(request, _("«%(title)s» er gjort om til utkast.") % {"title": resource.title})
    return redirect("workspace_resources")


@organiser_required
@require_POST
def workspace_resource_review(request, pk):
    resource = resource_review(resource=_own_resource(request, pk))
    messages.success(request, _("«%(title)s» er merket som gjennomgått i dag.") % {"title": resource.title})
    return redirect("workspace_resources")
