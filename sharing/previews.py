"""What a link to a public page shows when it is shared: Open Graph and Twitter card tags,
the share image's address and its text, and (on session and course pages) the JSON-LD.

base.html asks for the head of the page being rendered (`{% share_head %}`,
sharing/templatetags/sharing.py); the session and course pages' content comes from the
catalogue cache without its objects, so their heads are read by slug and cached the same way
(webinars.page_cache.catalogue_fragment, made stale by the same writes)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organisation
from library.models import Resource
from sharing import structured_data
from sharing.share_image import HEIGHT, WIDTH, image_digest
from webinars.models import Course, Offering, Session, Status
from webinars.page_cache import Built, first_after
from webinars.templatetags.webinar_tags import in_zone


def oslo_time(moment: datetime) -> str:
    return in_zone(moment, "Europe/Oslo")


def offering_image_text(
    offering: Offering, sessions: list[Session], *, title: str, office: Organisation
) -> dict[str, str]:
    """The share image's three lines: the title, when (Norwegian time) and the office."""
    live = [s for s in sessions if s.status != Status.CANCELLED] or sessions
    if offering.state_from(sessions) == "cancelled":
        when = _("Avlyst")
    elif offering.is_course and live:
        when = _("Fra %(start)s · %(count)s økter") % {"start": oslo_time(live[0].starts_at), "count": len(live)}
    elif live:
        when = oslo_time(live[0].starts_at)
    else:
        when = ""
    return {"title": title, "when": when, "office": office.name}


def image_text_digest(text: dict[str, str]) -> str:
    return image_digest(get_language() or "", text["title"], text["when"], text["office"])


def image_url(kind: str, key: str, text: dict[str, str]) -> str:
    """The image's stable address; `v` changes with what it shows, so a scraper that keeps
    images by address fetches the new one after a change of title or time."""
    path = reverse("share_image", args=[kind, key])
    query = f"?v={image_text_digest(text)}"
    if (get_language() or "").startswith("en"):
        query += "&sprak=en"
    return settings.SITE_URL + path + query


def _head(*, title: str, description: str, path: str, og_type: str, image: str, image_alt: str, ld: str = "") -> str:
    english = (get_language() or "").startswith("en")
    return render_to_string(
        "sharing/_head.html",
        {
            "og_title": title,
            "og_description": description,
            "og_url": settings.SITE_URL + path,
            "og_type": og_type,
            "og_image": image,
            "og_image_alt": image_alt,
            "og_image_width": WIDTH,
            "og_image_height": HEIGHT,
            "og_locale": "en_GB" if english else "nb_NO",
            "og_locale_alternate": "nb_NO" if english else "en_GB",
            "site_name": settings.PLATFORM_NAME,
            "ld_json": ld,
        },
    )


def session_head(slug: str) -> Built:
    session = (
        Session.objects.visible()
        .select_related("organisation", "offering__course")
        .prefetch_related("speakers")
        .filter(slug=slug)
        .first()
    )
    if session is None:
        return {"head": ""}, None
    text = offering_image_text(session.offering, [session], title=session.full_title, office=session.organisation)
    ld = structured_data.ld_json(structured_data.session_event(session))
    head = _head(
        title=session.full_title,
        description=session.summary or session.title,
        path=session.get_absolute_url(),
        og_type="website",
        image=image_url("webinar", session.slug, text),
        image_alt=f"{text['title']} – {text['when']} – {text['office']}",
        ld=ld,
    )
    offering = session.offering
    changes_at = first_after(
        [offering.registration_opens_at, offering.registration_closes_at, session.starts_at, session.ends_at],
        timezone.now(),
    )
    return {"head": head}, changes_at


def course_head(slug: str) -> Built:
    course = Course.objects.visible().select_related("organisation", "offering").filter(slug=slug).first()
    if course is None:
        return {"head": ""}, None
    sessions = list(
        course.offering.sessions.filter(status__in=[Status.PUBLISHED, Status.CANCELLED]).order_by(
            "position", "starts_at", "id"
        )
    )
    text = offering_image_text(course.offering, sessions, title=course.title, office=course.organisation)
    ld = structured_data.ld_json(structured_data.course_document(course, sessions))
    head = _head(
        title=course.title,
        description=course.summary or course.title,
        path=course.get_absolute_url(),
        og_type="website",
        image=image_url("kurs", course.slug, text),
        image_alt=f"{text['title']} – {text['when']} – {text['office']}",
        ld=ld,
    )
    return {"head": head}, first_after([s.ends_at for s in sessions], timezone.now())


def resource_image_text(resource: Resource) -> dict[str, str]:
    return {"title": resource.title, "when": resource.get_kind_display(), "office": resource.organisation.name}


def resource_head(resource: Resource) -> str:
    # Only a public resource is described to the world; a locked page says nothing more.
    if not resource.is_published or resource.visibility != Resource.Visibility.PUBLIC:
        return ""
    text = resource_image_text(resource)
    return _head(
        title=resource.title,
        description=resource.summary or resource.title,
        path=resource.get_absolute_url(),
        og_type="article",
        image=image_url("ressurs", resource.slug, text),
        image_alt=f"{text['title']} – {text['office']}",
    )


def office_image_text(office: Organisation) -> dict[str, str]:
    return {"title": office.name, "when": office.region, "office": settings.PLATFORM_NAME}


def office_head(office: Organisation) -> str:
    text = office_image_text(office)
    description = _("Webinarer, kurs og ressurser fra %(office)s.") % {"office": office.name}
    return _head(
        title=office.name,
        description=description,
        path=reverse("organisation_detail", args=[office.slug]),
        og_type="website",
        image=image_url("kontor", office.slug, text),
        image_alt=office.name,
    )
