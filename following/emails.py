"""The two emails of following, built by the one message builder (registrations/emails.py;
registered in following/apps.py): a guest's confirmation link (`follow_optin`) and the weekly
digest (`digest`), each from following/templates/following/email/<kind>-subject.txt, -body.txt
and -body.html, in the follower's language.

An outbox row holds only ids (`payload`): the digest's offerings and resources are read when it
is built, so one cancelled or unpublished since is left out, and a digest left with nothing, or
whose follower has unsubscribed meanwhile, is not sent (the builder returns None).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from accounts.models import Organisation
from following.models import Digest, Follow, Follower
from library.models import Resource
from registrations.email_kinds import when_text
from registrations.emails import PlatformEmail, batch_cached, render_email, site_url
from registrations.models import Notification
from webinars.models import Offering, Session, Topic


def _store() -> dict:
    # One dict per outbox batch (a fresh one outside a batch): offerings, sessions and
    # resources many digests share are loaded once per batch.
    return batch_cached(("following", "store"), dict)


def digest_prefetch(rows: list[Notification]) -> None:
    """A chunk's digests with their followers, what they follow, and the offerings (with their
    next session) and resources they name: at most six queries per chunk."""
    ids = {row.payload.get("digest") for row in rows} - {None}
    digests = {d.pk: d for d in Digest.objects.filter(pk__in=ids).select_related("follower__user")}
    follows: dict[int, list[Follow]] = {}
    for follow in Follow.objects.filter(follower_id__in={d.follower_id for d in digests.values()}).select_related(
        "organisation", "topic"
    ):
        follows.setdefault(follow.follower_id, []).append(follow)
    for digest in digests.values():
        digest.follower._digest_follows = follows.get(digest.follower_id, [])
    store = _load(
        offering_ids={pk for d in digests.values() for pk in d.offering_ids},
        resource_ids={pk for d in digests.values() for pk in d.resource_ids},
    )
    for row in rows:
        row._digest = digests.get(row.payload.get("digest"))
        row._digest_store = store


def _load(*, offering_ids: set[int], resource_ids: set[int]) -> dict:
    store = _store()
    offerings = store.setdefault("offerings", {})
    sessions = store.setdefault("next_session", {})
    resources = store.setdefault("resources", {})
    missing = offering_ids - offerings.keys()
    if missing:
        for offering in Offering.objects.published().filter(pk__in=missing).select_related("organisation", "course"):
            offerings[offering.pk] = offering
        now = timezone.now()
        for session in Session.objects.listed().upcoming(now).filter(offering_id__in=missing).order_by("starts_at"):
            sessions.setdefault(session.offering_id, session)
        for pk in missing:
            offerings.setdefault(pk, None)
    missing = resource_ids - resources.keys()
    if missing:
        for resource in Resource.objects.public().filter(pk__in=missing).select_related("organisation"):
            resources[resource.pk] = resource
        for pk in missing:
            resources.setdefault(pk, None)
    return store


def _offering_item(store: dict, pk: int) -> dict | None:
    offering = store["offerings"].get(pk)
    session = store["next_session"].get(pk)
    if offering is None or session is None:  # unpublished, cancelled or over since
        return None
    page = offering.course if offering.is_course else session
    url = site_url("course_detail", page.slug) if offering.is_course else site_url("session_detail", page.slug)
    return {
        "title": page.title,
        "summary": page.summary,
        "url": url,
        "office": offering.organisation.short_name or offering.organisation.name,
        "is_course": offering.is_course,
        "when": when_text(session),
    }


def _resource_item(store: dict, pk: int) -> dict | None:
    resource = store["resources"].get(pk)
    if resource is None:
        return None
    return {
        "title": resource.title,
        "summary": resource.summary,
        "url": site_url("resource_detail", resource.slug),
        "office": resource.organisation.short_name or resource.organisation.name,
        "kind": resource.get_kind_display(),
    }


def digest_email(notification: Notification) -> PlatformEmail | None:
    digest = getattr(notification, "_digest", None)
    if digest is None:
        digest_prefetch([notification])
        digest = notification._digest
    if digest is None:  # the follower unsubscribed (or was erased) since
        return None
    follower = digest.follower
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        store = notification._digest_store
        offerings = [item for pk in digest.offering_ids if (item := _offering_item(store, pk))]
        resources = [item for pk in digest.resource_ids if (item := _resource_item(store, pk))]
        if not offerings and not resources:  # never an empty digest
            return None
        follows = getattr(follower, "_digest_follows", None)
        if follows is None:
            follows = list(follower.follows.select_related("organisation", "topic"))
        unsubscribe_url = site_url("following_unsubscribe", follower.token)
        context = {
            "offerings": offerings,
            "resources": resources,
            "week": digest.period.rsplit("W", 1)[-1].lstrip("0"),
            "followed": [
                (f.organisation.short_name or f.organisation.name) if f.organisation_id else f.topic.local_name
                for f in follows
            ],
            "manage_url": site_url("following_manage", follower.token),
            "unsubscribe_url_digest": unsubscribe_url,
            "privacy_url": site_url("privacy"),
            "platform_name": settings.PLATFORM_NAME,
            "site_url": settings.SITE_URL,
        }
        headers = {
            # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" to the URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return render_email(
            notification, template="following/email/digest", context=context, office=None, headers=headers
        )


def follow_optin_email(notification: Notification) -> PlatformEmail | None:
    """The guest's confirmation link, made at send time from the follower's current token
    (the outbox row holds no secret)."""
    follower = Follower.objects.filter(pk=notification.payload.get("follower")).first()
    if follower is None or not follower.optin_token:
        return None
    if follower.optin_expires_at is None or follower.optin_expires_at <= timezone.now():
        return None
    pending = follower.pending or {}
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        chosen = [o.short_name or o.name for o in Organisation.objects.filter(pk__in=pending.get("organisations", []))]
        chosen += [t.local_name for t in Topic.objects.filter(pk__in=pending.get("topics", []))]
        context = {
            "optin_url": site_url("following_confirm", follower.optin_token),
            "chosen": chosen,
            "email": follower.email,
            "privacy_url": site_url("privacy"),
            "platform_name": settings.PLATFORM_NAME,
        }
        return render_email(notification, template="following/email/follow_optin", context=context, office=None)
