"""The read-only public API, /api/v1/ (django-ninja; docs/api.md).

Thin views: the querysets and the catalogue's filters are in api/queries.py, the
representations in api/representations.py, the validators and the short cache in
api/conditional.py, CORS in api/middleware.py."""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import Field

from api import queries, representations, schemas
from api.conditional import conditional_get, known_parameters
from api.cursors import CursorError, page_after
from library.models import Resource
from webinars.models import Audience, Topic
from webinars.page_cache import first_after

PAGE_SIZE = 20
PAGE_SIZE_MAX = 100

api = NinjaAPI(
    title="Musikkhjemmekontoret",
    version="1",
    description=(
        "The national catalogue of the Norwegian regional music offices' webinars and courses, "
        "and their public resources: read-only, no authentication. Times are UTC; each offering "
        "and session names the zone its page shows them in. See docs/api.md."
    ),
    urls_namespace="api-v1",
    docs_url=None,  # the human page is api_docs (below): Swagger UI's CDN and inline code break the CSP
    openapi_url="/openapi.json",
)

# 304: the body a client holds is current (If-None-Match, If-Modified-Since; api/conditional.py).
ERRORS = {304: None, 400: schemas.Error, 404: schemas.Error}


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(ValidationError)
def bad_parameter(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        errors.setdefault(loc[-1] if loc else "query", []).append(str(error.get("msg", "")))
    return _error(request, 400, _("Ugyldig verdi i forespørselen."), errors)


@api.exception_handler(queries.FilterError)
def bad_filter(request, exc: queries.FilterError):
    return _error(request, 400, _("Ugyldig filter."), exc.errors)


@api.exception_handler(CursorError)
def bad_cursor(request, exc: CursorError):
    return _error(request, 400, _("Ugyldig side-markør."), {"cursor": [_("Bruk lenken i «next» uendret.")]})


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _error(request, 404, _("Finnes ikke."))


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = [(k, v) for k, values in known_parameters(request) if k != "cursor" for v in values]
    return f"{settings.SITE_URL}{request.path}?{urlencode([*params, ('cursor', cursor)])}"


class OfferingFilters(Schema):
    kind: Literal["webinar", "course"] | None = Field(None, description="Only webinars or only courses.")
    office: str | None = Field(None, max_length=100, description="An organisation's slug (host or co-host).")
    topic: str | None = Field(None, max_length=100, description="A topic's slug.")
    audience: str | None = Field(None, max_length=100, description="An audience's slug.")
    language: str | None = Field(None, max_length=8, description="nb or en.")
    date_from: date | None = Field(
        None, alias="from", description="Offerings not over before this day (Norwegian time). Default: now."
    )
    date_to: date | None = Field(None, alias="to", description="Offerings starting on or before this day.")
    cursor: str | None = Field(None, max_length=200, description="From the previous page's `next`.")
    limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description="Items per page (1–100, default 20).")


class ResourceFilters(Schema):
    kind: Literal["recording", "guide", "document", "link"] | None = Field(None, description="One kind of resource.")
    office: str | None = Field(None, max_length=100, description="An office's slug.")
    topic: str | None = Field(None, max_length=100, description="A topic's slug.")
    audience: str | None = Field(None, max_length=100, description="An audience's slug.")
    language: str | None = Field(None, max_length=8, description="nb or en.")
    cursor: str | None = Field(None, max_length=200, description="From the previous page's `next`.")
    limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description="Items per page (1–100, default 20).")


@api.get("/offerings", response={200: schemas.OfferingPage, **ERRORS}, url_name="offerings", tags=["offerings"])
@decorate_view(conditional_get)
def offering_list(request, filters: Query[OfferingFilters]):
    """Webinars and courses, by first start (then id), with their public sessions."""
    now = timezone.now()
    params = {
        "kind": filters.kind,
        "office": filters.office,
        "topic": filters.topic,
        "audience": filters.audience,
        "language": filters.language,
        "from": filters.date_from and filters.date_from.isoformat(),
        "to": filters.date_to and filters.date_to.isoformat(),
    }
    offerings = queries.offerings_for_output(queries.offerings_filtered(params, now=now))
    page, cursor = page_after(offerings, field="starts_at", cursor=filters.cursor, limit=filters.limit)
    request.api_valid_until = _offerings_change_at(page, now)
    return {"items": [representations.offering(o) for o in page], "next": _next_url(request, cursor)}


def _offerings_change_at(offerings, now):
    """When the listed offerings' states or the list itself change by themselves."""
    moments = []
    for offering in offerings:
        moments += [offering.registration_opens_at, offering.registration_closes_at, offering.ends_at]
        moments += [s.ends_at for s in offering.public_sessions]
    return first_after(moments, now)


@api.get(
    "/offerings/{offering_id}",
    response={200: schemas.Offering, **ERRORS},
    url_name="offering",
    tags=["offerings"],
)
@decorate_view(conditional_get)
def offering_detail(request, offering_id: int):
    """One webinar or course with a public page; 404 for anything else."""
    if not 0 < offering_id < 2**31:
        raise Http404
    offering = get_object_or_404(queries.offerings_for_output(queries.offerings_public()), pk=offering_id)
    request.api_valid_until = _offerings_change_at([offering], timezone.now())
    return representations.offering(offering)


@api.get("/resources", response={200: schemas.ResourcePage, **ERRORS}, url_name="resources", tags=["resources"])
@decorate_view(conditional_get)
def resource_list(request, filters: Query[ResourceFilters]):
    """Public resources (recordings, guides, documents, links), newest first."""
    params = filters.model_dump(include={"kind", "office", "topic", "audience", "language"})
    resources = queries.resources_filtered(params)
    page, cursor = page_after(resources, field="sort_at", cursor=filters.cursor, limit=filters.limit, descending=True)
    return {"items": [representations.resource(r) for r in page], "next": _next_url(request, cursor)}


@api.get(
    "/resources/{resource_id}",
    response={200: schemas.Resource, **ERRORS},
    url_name="resource",
    tags=["resources"],
)
@decorate_view(conditional_get)
def resource_detail(request, resource_id: int):
    """One public resource; 404 for anything else."""
    if not 0 < resource_id < 2**31:
        raise Http404
    resource = get_object_or_404(queries.resources_for_output(Resource.objects.public()), pk=resource_id)
    return representations.resource(resource)


@api.get(
    "/organisations",
    response={200: schemas.OrganisationList, **ERRORS},
    url_name="organisations",
    tags=["organisations"],
)
@decorate_view(conditional_get)
def organisation_list(request):
    """The regional music offices and their partner organisations (a short list, not paged)."""
    return {"items": [representations.organisation_full(o) for o in queries.organisations_public()]}


@api.get(
    "/organisations/{slug}",
    response={200: schemas.Organisation, **ERRORS},
    url_name="organisation",
    tags=["organisations"],
)
@decorate_view(conditional_get)
def organisation_detail(request, slug: str):
    # Only what a slug can be reaches the database (PostgreSQL refuses a NUL in a string).
    if len(slug) > 100 or not slug_re.fullmatch(slug):
        raise Http404
    organisation = get_object_or_404(queries.organisations_public(), slug=slug)
    return representations.organisation_full(organisation)


@api.get("/topics", response={200: schemas.TermList, **ERRORS}, url_name="topics", tags=["vocabulary"])
@decorate_view(conditional_get)
def topic_list(request):
    """The topics offerings and resources are tagged with (`topic` filter)."""
    return {"items": [representations.term(t) for t in Topic.objects.all()]}


@api.get("/audiences", response={200: schemas.TermList, **ERRORS}, url_name="audiences", tags=["vocabulary"])
@decorate_view(conditional_get)
def audience_list(request):
    """Who offerings and resources are for (`audience` filter)."""
    return {"items": [representations.term(a) for a in Audience.objects.all()]}


# The docs page speaks the visitor's language; the OpenAPI description, the contract clients
# read, stays in English. Each of its texts has its Bokmål original here, whose English
# translation is that text (api/tests/test_docs_page.py checks both ways).
DOCS_TEXTS = {
    "Webinars and courses, by first start (then id), with their public sessions.": gettext_lazy(
        "Webinarer og kurs, etter første start (så id), med de offentlige øktene sine."
    ),
    "Only webinars or only courses.": gettext_lazy("Bare webinarer eller bare kurs."),
    "An organisation's slug (host or co-host).": gettext_lazy(
        "En organisasjons kortnavn i adressen (arrangør eller medarrangør)."
    ),
    "A topic's slug.": gettext_lazy("Et temas kortnavn i adressen."),
    "An audience's slug.": gettext_lazy("En målgruppes kortnavn i adressen."),
    "nb or en.": gettext_lazy("nb eller en."),
    "Offerings not over before this day (Norwegian time). Default: now.": gettext_lazy(
        "Tilbud som ikke er over før denne dagen (norsk tid). Standard: nå."
    ),
    "Offerings starting on or before this day.": gettext_lazy("Tilbud som starter denne dagen eller før."),
    "From the previous page's `next`.": gettext_lazy("Fra forrige sides «next»."),
    "Items per page (1–100, default 20).": gettext_lazy("Elementer per side (1–100, standard 20)."),
    "One webinar or course with a public page; 404 for anything else.": gettext_lazy(
        "Ett webinar eller kurs med offentlig side; 404 for alt annet."
    ),
    "Public resources (recordings, guides, documents, links), newest first.": gettext_lazy(
        "Offentlige ressurser (opptak, veiledere, dokumenter, lenker), nyeste først."
    ),
    "One kind of resource.": gettext_lazy("Én type ressurs."),
    "An office's slug.": gettext_lazy("Et kontors kortnavn i adressen."),
    "One public resource; 404 for anything else.": gettext_lazy("Én offentlig ressurs; 404 for alt annet."),
    "The regional music offices and their partner organisations (a short list, not paged).": gettext_lazy(
        "De regionale musikkontorene og partnerorganisasjonene deres (en kort liste, uten sider)."
    ),
    "The topics offerings and resources are tagged with (`topic` filter).": gettext_lazy(
        "Temaene tilbud og ressurser er merket med (filteret «topic»)."
    ),
    "Who offerings and resources are for (`audience` filter).": gettext_lazy(
        "Hvem tilbud og ressurser er for (filteret «audience»)."
    ),
}


def _docs_text(text: str) -> str:
    return str(DOCS_TEXTS.get(text, text))


def api_docs(request):
    """The human page: every endpoint from the OpenAPI description, and where to read more."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = [
        {
            "path": path,
            "summary": operation.get("summary", ""),
            "description": _docs_text(operation.get("description", "")),
            "parameters": [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "description": _docs_text(p.get("description") or p.get("schema", {}).get("description", "")),
                }
                for p in operation.get("parameters", [])
            ],
        }
        for path, methods in schema["paths"].items()
        for operation in methods.values()
    ]
    return render(request, "api/docs.html", {"operations": operations, "site_url": settings.SITE_URL})
