from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from accounts.models import Organisation
from accounts.permissions import managed_organisations, organiser_required
from library.models import Resource
from sharing import previews
from sharing.share_image import image_digest, share_image_png
from webinars.models import Course, Session, Status, Topic
from webinars.page_cache import NO_PARAMETERS, Built, catalogue_fragment, first_after

IMAGE_CACHE_SECONDS = 24 * 60 * 60
EMBED_LIMIT = 12
# The embed page may be framed by any site (that is its purpose); every other page keeps
# `frame-ancestors 'none'` and X-Frame-Options: DENY.
EMBED_POLICY = settings.CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")
# The workspace's preview frames our own embed page.
PREVIEW_POLICY = settings.CONTENT_SECURITY_POLICY.replace("frame-src ", "frame-src 'self' ")


def _image_text(kind: str, key: str) -> dict[str, str]:
    if kind == "webinar":
        session = get_object_or_404(
            Session.objects.visible().select_related("organisation", "offering__course"), slug=key
        )
        return previews.offering_image_text(
            session.offering, [session], title=session.full_title, office=session.organisation
        )
    if kind == "kurs":
        course = get_object_or_404(Course.objects.visible().select_related("organisation", "offering"), slug=key)
        sessions = course.offering.sessions.filter(status__in=[Status.PUBLISHED, Status.CANCELLED]).order_by(
            "position", "starts_at", "id"
        )
        return previews.offering_image_text(
            course.offering, list(sessions), title=course.title, office=course.organisation
        )
    if kind == "ressurs":
        resource = get_object_or_404(
            Resource.objects.select_related("organisation"),
            slug=key,
            status=Resource.Status.PUBLISHED,
            visibility=Resource.Visibility.PUBLIC,
        )
        return previews.resource_image_text(resource)
    if kind == "kontor":
        return previews.office_image_text(get_object_or_404(Organisation, slug=key))
    raise Http404


def share_image(request, kind: str, key: str):
    """The share image of a public page, built from what it shows now. Its ETag is a hash of
    that text, so a changed title or time is a new image (and a new `v` in the page's tags);
    the PNG is kept in the cache under the same hash."""
    language = "en" if request.GET.get("sprak") == "en" else "nb"
    with translation.override(language):
        text = _image_text(kind, key)
        digest = image_digest(language, text["title"], text["when"], text["office"])
        etag = f'"{digest}"'
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponse(status=304)
        else:
            cache_key = f"sharing:image:{digest}"
            png = cache.get(cache_key)
            if png is None:
                png = share_image_png(platform=settings.PLATFORM_NAME, **text)
                cache.set(cache_key, png, IMAGE_CACHE_SECONDS)
            response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _embed_sessions(office: Organisation | None, topic: Topic | None):
    sessions = Session.objects.listed().standalone().upcoming().select_related("organisation", "offering")
    courses = Course.objects.published().upcoming().select_related("organisation", "offering")
    if office is not None:
        # As the office's own page lists them: its sessions and those it co-hosts.
        sessions = sessions.filter(Q(organisation=office) | Q(pk__in=office.cohosted_sessions.values("pk")))
        courses = courses.filter(organisation=office)
    if topic is not None:
        sessions = sessions.filter(topics=topic)
        courses = courses.filter(topics=topic)
    return list(sessions.order_by("starts_at", "id")[:EMBED_LIMIT]), list(
        courses.order_by("first_starts_at", "id")[:EMBED_LIMIT]
    )


def _embed_response(request, name: str, office: Organisation | None, topic: Topic | None, params: QueryDict):
    def build() -> Built:
        now = timezone.now()
        sessions, courses = _embed_sessions(office, topic)
        items = sorted(
            [("webinar", s.starts_at, s) for s in sessions] + [("course", c.first_starts_at, c) for c in courses],
            key=lambda item: item[1],
        )[:EMBED_LIMIT]
        context = {
            "office": office,
            "topic": topic,
            "items": items,
            "site_url": settings.SITE_URL,
            "more_url": settings.SITE_URL + _catalogue_path(office, topic),
        }
        content = render_to_string("sharing/_embed_list.html", context, request)
        # The list changes by itself when one of its webinars or courses ends.
        ends = [s.ends_at for s in sessions] + [c.last_ends_at for c in courses]
        return {"content": content}, first_after(ends, now)

    parts = catalogue_fragment(request, name, build, params=params)
    response = render(request, "sharing/embed.html", {**parts, "office": office, "topic": topic})
    response["Content-Security-Policy"] = EMBED_POLICY
    return response


def _catalogue_path(office: Organisation | None, topic: Topic | None) -> str:
    query = QueryDict(mutable=True)
    if office is not None:
        query["kontor"] = office.slug
    if topic is not None:
        query["tema"] = topic.slug
    return reverse("session_list") + (f"?{query.urlencode()}" if query else "")


def _topic_from(request) -> tuple[Topic | None, QueryDict | None]:
    """The `tema` parameter: a topic, or none; an unknown topic is a 404 (nothing to show)."""
    slug = request.GET.get("tema", "")
    if not slug:
        return None, NO_PARAMETERS
    topic = get_object_or_404(Topic, slug=slug)
    return topic, QueryDict(f"tema={topic.slug}")


@xframe_options_exempt
def embed_office(request, slug: str):
    office = get_object_or_404(Organisation, slug=slug)
    topic, params = _topic_from(request)
    return _embed_response(request, "embed_office", office, topic, params)


@xframe_options_exempt
def embed_topic(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    return _embed_response(request, "embed_topic", None, topic, NO_PARAMETERS)


def embed_snippets(office: Organisation, topic: Topic | None) -> dict[str, str]:
    path = reverse("embed_office", args=[office.slug]) + (f"?tema={topic.slug}" if topic else "")
    src = settings.SITE_URL + path
    title = _("Webinarer og kurs fra %(office)s") % {"office": office.name}
    iframe = (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="600" '
        f'loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>'
    )
    script_url = settings.SITE_URL + settings.STATIC_URL + "sharing/embed.js"
    topic_attr = f' data-tema="{escape(topic.slug)}"' if topic else ""
    script = f'<script src="{escape(script_url)}" data-kontor="{escape(office.slug)}"{topic_attr} async></script>'
    # The preview frames the page on this host ('self' in the preview's frame-src).
    return {"src": src, "preview_src": path, "iframe": iframe, "script": script}


@organiser_required
def workspace_embed(request):
    """ "Vis på egen nettside": a preview of an office's embed and the snippet to paste."""
    offices = list(managed_organisations(request.user).order_by("name"))
    office = next((o for o in offices if o.slug == request.GET.get("kontor")), offices[0] if offices else None)
    topics = list(Topic.objects.all())
    topic = next((t for t in topics if t.slug == request.GET.get("tema")), None)
    context = {"offices": offices, "office": office, "topics": topics, "topic": topic}
    if office is not None:
        context.update(embed_snippets(office, topic))
    response = render(request, "sharing/workspace_embed.html", context)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response
