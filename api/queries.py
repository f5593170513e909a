"""What the API may read: the same public querysets and catalogue filters as the HTML pages.

Nothing here reads a draft: an offering is in the API when it has a public page (published,
or cancelled so that integrators hear about it: `Session.objects.visible()`,
`Course.objects.visible()`), and only its published and cancelled sessions are shown. A
resource is in it when `Resource.objects.public()` has it (published, visible to everyone).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict

from accounts.models import Organisation
from library.forms import FilterForm
from library.models import Resource
from library.views import FILTER_LOOKUPS
from webinars.forms import CatalogueFilterForm
from webinars.models import Audience, Course, Offering, Session, Status, Topic

PUBLIC = [Status.PUBLISHED, Status.CANCELLED]


class FilterError(ValueError):
    """A filter value the catalogue's own form refuses; `errors` maps parameter → messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))
        self.errors = errors


# API parameter → the catalogue filter form's field (webinars.forms.CatalogueFilterForm).
OFFERING_FILTERS = {"office": "kontor", "topic": "tema", "audience": "malgruppe", "language": "sprak"}
DATE_FILTERS = {"from": "fra", "to": "til"}
# API parameter → the library filter form's field (library.forms.FilterForm).
RESOURCE_FILTERS = {"kind": "type", "topic": "tema", "audience": "malgruppe", "office": "kontor", "language": "sprak"}


def _form_errors(form, names: dict[str, str]) -> dict[str, list[str]]:
    by_field = {field: api for api, field in names.items()}
    return {by_field.get(field, field): [str(m) for m in messages] for field, messages in form.errors.items()}


def public_sessions() -> QuerySet:
    """A public offering's sessions as the API shows them: published and cancelled ones."""
    return Session.objects.visible()


def offerings_public() -> QuerySet:
    """Every offering with a public page, with its first start and last end over its public
    sessions (an offering without one has no page and is left out)."""
    sessions = public_sessions().filter(offering=OuterRef("pk"))
    return (
        Offering.objects.filter(status__in=PUBLIC)
        .annotate(
            starts_at=Subquery(sessions.order_by("starts_at", "id").values("starts_at")[:1]),
            ends_at=Subquery(sessions.order_by("-ends_at", "-id").values("ends_at")[:1]),
        )
        .filter(starts_at__isnull=False)
    )


def offerings_for_output(offerings: QuerySet) -> QuerySet:
    """Everything an offering's representation reads, in a fixed number of queries."""
    sessions = (
        public_sessions()
        .order_by("position", "starts_at", "id")
        .defer("description", "stream_url")
        .prefetch_related("topics", "audiences", "speakers", "cohosts")
    )
    return (
        offerings.select_related("organisation", "course")
        .prefetch_related(
            Prefetch("sessions", queryset=sessions, to_attr="public_sessions"),
            "course__topics",
            "course__audiences",
        )
        .defer("course__description")
    )


def offerings_filtered(params: dict[str, str | None], *, now: datetime) -> QuerySet:
    """The public offerings that match the catalogue's filters (office, topic, audience,
    language, from/to dates as Norwegian calendar days) and `kind`. Without `from`, what is not
    over yet. Raises FilterError with the form's messages for a value the catalogue refuses."""
    data = QueryDict(mutable=True)
    for api_name, field in {**OFFERING_FILTERS, **DATE_FILTERS}.items():
        if params.get(api_name):
            data[field] = params[api_name]
    form = CatalogueFilterForm(data)
    if not form.is_valid():
        raise FilterError(_form_errors(form, {**OFFERING_FILTERS, **DATE_FILTERS}))
    # The subject filters on the catalogue's own querysets (a webinar through its session,
    # with co-hosts, a course through its page), dates on the offering's whole schedule.
    start, end = form.date_bounds(now)
    subject = {k: v for k, v in form.cleaned_data.items() if k not in ("fra", "til", "nar")}
    form.cleaned_data = subject
    sessions = form.filter_sessions(Session.objects.visible().standalone(), now)
    courses = form.filter_courses(Course.objects.visible(), now)
    kind = params.get("kind")
    matches = Q()
    if kind != Offering.Kind.COURSE:
        matches |= Q(kind=Offering.Kind.WEBINAR, pk__in=sessions.values("offering_id"))
    if kind != Offering.Kind.WEBINAR:
        matches |= Q(kind=Offering.Kind.COURSE, pk__in=courses.values("offering_id"))
    offerings = offerings_public().filter(matches)
    offerings = offerings.filter(ends_at__gte=start or now)
    if end:
        offerings = offerings.filter(starts_at__lt=end)
    return offerings


def resources_filtered(params: dict[str, str | None]) -> QuerySet:
    """The public resources that match the library's filters (kind, topic, audience, office,
    language); an unknown value is a FilterError here (the library page ignores stale links)."""
    data = {field: params[api] for api, field in RESOURCE_FILTERS.items() if params.get(api)}
    form = FilterForm(
        data, topics=Topic.objects.all(), audiences=Audience.objects.all(), offices=Organisation.objects.offices()
    )
    if not form.is_valid():
        raise FilterError(_form_errors(form, RESOURCE_FILTERS))
    resources = resources_for_output(Resource.objects.public())
    for name, lookup in FILTER_LOOKUPS.items():
        if form.cleaned_data.get(name):
            resources = resources.filter(**{lookup: form.cleaned_data[name]})
    return resources


def resources_for_output(resources: QuerySet) -> QuerySet:
    return (
        resources.with_listing()
        .select_related("partner")
        .defer("body", "transcript", "search_vector")
        .annotate(sort_at=Coalesce("published_at", "created_at"))
    )


def organisations_public() -> QuerySet:
    return Organisation.objects.all()
