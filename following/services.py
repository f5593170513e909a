"""Following: a signed-in person follows at once; a guest confirms their address first (double
opt-in, like a guest registration: a token valid for OPTIN_VALID_FOR, sent through the outbox).
Unsubscribing deletes the follower with everything it follows (docs/following.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation
from following.models import Follow, Follower, new_token
from registrations.models import Notification
from registrations.outbox import enqueue, notification_new
from registrations.services import OPTIN_VALID_FOR
from webinars.models import Topic


class FollowOptinInvalid(Exception):
    """The confirmation link is unknown or has expired."""


def _language(language: str | None) -> str:
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def followable_offices():
    return Organisation.objects.offices().order_by("name")


def followable_topics():
    return Topic.objects.order_by("name")


def follower_for_user(*, user, language: str | None = None) -> Follower:
    """The signed-in person's follower, made on their first follow. A guest follower with the
    account's address becomes theirs (the address is verified by the account)."""
    follower = Follower.objects.filter(user=user).first()
    if follower is not None:
        return follower
    with transaction.atomic():
        follower = Follower.objects.select_for_update().filter(user__isnull=True, email__iexact=user.email).first()
        now = timezone.now()
        if follower is not None:
            follower.user = user
            follower.confirmed_at = follower.confirmed_at or now
            follower.optin_token = ""
            follower.pending = {}  # what it asked for unconfirmed is chosen again, signed in
            follower.save(update_fields=["user", "confirmed_at", "optin_token", "pending"])
            return follower
        try:
            with transaction.atomic():
                return Follower.objects.create(
                    user=user,
                    email=user.email,
                    language=_language(language or user.preferred_language),
                    consent_at=now,
                    confirmed_at=now,
                )
        except IntegrityError:  # a double submit made it meanwhile
            return Follower.objects.get(user=user)


def follows_set(*, follower: Follower, organisation_ids: Iterable[int], topic_ids: Iterable[int]) -> None:
    """Make the follower follow exactly these offices and topics."""
    organisation_ids = set(followable_offices().filter(pk__in=set(organisation_ids)).values_list("pk", flat=True))
    topic_ids = set(Topic.objects.filter(pk__in=set(topic_ids)).values_list("pk", flat=True))
    with transaction.atomic():
        current = list(Follow.objects.filter(follower=follower))
        have_orgs = {f.organisation_id for f in current if f.organisation_id}
        have_topics = {f.topic_id for f in current if f.topic_id}
        gone = [
            f.pk
            for f in current
            if (f.organisation_id and f.organisation_id not in organisation_ids)
            or (f.topic_id and f.topic_id not in topic_ids)
        ]
        Follow.objects.filter(pk__in=gone).delete()
        Follow.objects.bulk_create(
            [Follow(follower=follower, organisation_id=pk) for pk in organisation_ids - have_orgs]
            + [Follow(follower=follower, topic_id=pk) for pk in topic_ids - have_topics],
            ignore_conflicts=True,
        )


def follows_add(*, follower: Follower, organisation_ids: Iterable[int] = (), topic_ids: Iterable[int] = ()) -> None:
    current = follower.follows.all()
    follows_set(
        follower=follower,
        organisation_ids={f.organisation_id for f in current if f.organisation_id} | set(organisation_ids),
        topic_ids={f.topic_id for f in current if f.topic_id} | set(topic_ids),
    )


def follow_toggle(*, user, organisation: Organisation | None = None, topic: Topic | None = None) -> bool:
    """Follow or stop following one office or topic; True when it is now followed."""
    follower = follower_for_user(user=user)
    existing = Follow.objects.filter(follower=follower, organisation=organisation, topic=topic)
    if existing.exists():
        existing.delete()
        return False
    follows_add(
        follower=follower,
        organisation_ids=[organisation.pk] if organisation else [],
        topic_ids=[topic.pk] if topic else [],
    )
    return True


def follower_language_set(*, follower: Follower, language: str) -> None:
    follower.language = _language(language)
    follower.save(update_fields=["language"])


def follower_subscribe_guest(
    *, email: str, organisation_ids: Iterable[int], topic_ids: Iterable[int], language: str
) -> Follower:
    """A guest asks to follow: what they chose waits on the follower (`pending`) until they
    open the link sent to the address, which adds it to what the address already follows.
    A still-valid link is kept, so the first email's link works after a second request."""
    email = email.strip()
    now = timezone.now()
    pending = {
        "organisations": sorted(
            set(followable_offices().filter(pk__in=set(organisation_ids)).values_list("pk", flat=True))
        ),
        "topics": sorted(set(Topic.objects.filter(pk__in=set(topic_ids)).values_list("pk", flat=True))),
        "language": _language(language),
    }
    with transaction.atomic():
        follower = Follower.objects.select_for_update().filter(user__isnull=True, email__iexact=email).first()
        if follower is None:
            try:
                with transaction.atomic():
                    follower = Follower.objects.create(email=email, language=pending["language"])
            except IntegrityError:
                follower = Follower.objects.select_for_update().get(user__isnull=True, email__iexact=email)
        if not follower.optin_token or follower.optin_expires_at is None or follower.optin_expires_at <= now:
            follower.optin_token = new_token()
        follower.optin_expires_at = now + OPTIN_VALID_FOR
        follower.pending = pending
        follower.consent_at = now
        follower.save(update_fields=["optin_token", "optin_expires_at", "pending", "consent_at"])
        enqueue(
            notification_new(
                kind=Notification.Kind.FOLLOW_OPTIN,
                to_email=follower.email,
                language=pending["language"],
                payload={"follower": follower.pk},
            )
        )
    return follower


def follower_confirm(*, token: str) -> Follower:
    """The guest opened their link: the address is confirmed and what they chose is followed."""
    if not token:
        raise FollowOptinInvalid
    with transaction.atomic():
        follower = Follower.objects.select_for_update().filter(optin_token=token).first()
        now = timezone.now()
        if follower is None or follower.optin_expires_at is None or follower.optin_expires_at <= now:
            raise FollowOptinInvalid
        pending = follower.pending or {}
        follower.confirmed_at = follower.confirmed_at or now
        follower.language = _language(pending.get("language") or follower.language)
        follower.optin_token = ""
        follower.optin_expires_at = None
        follower.pending = {}
        follower.save(update_fields=["confirmed_at", "language", "optin_token", "optin_expires_at", "pending"])
        follows_add(
            follower=follower,
            organisation_ids=pending.get("organisations", []),
            topic_ids=pending.get("topics", []),
        )
    return follower


def follower_unsubscribe(*, token: str) -> bool:
    """One-click unsubscribe: the follower and what it follows are deleted (its digests
    waiting in the outbox are then skipped by the builder). True when there was one."""
    if not token:
        return False
    deleted, _ = Follower.objects.filter(token=token).delete()
    return bool(deleted)


def followers_erase(*, email: str = "", user=None) -> int:
    """Erasure (registrations.signals.person_erased): everything following holds about the person."""
    deleted, _ = Follower.objects.of_person(email=email, user=user).delete()
    return deleted


def followers_unconfirmed_delete(*, now: datetime | None = None) -> int:
    """Guests who never confirmed: forgotten RETENTION_PENDING_REGISTRATION_DAYS after their
    link expired, as unconfirmed guest registrations are."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_PENDING_REGISTRATION_DAYS)
    deleted, _ = Follower.objects.filter(
        confirmed_at__isnull=True, user__isnull=True, optin_expires_at__lt=cutoff
    ).delete()
    return deleted


def is_following(user, *, organisation: Organisation | None = None, topic: Topic | None = None) -> bool:
    """For the follow buttons on other apps' pages (config/pages.py)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Follower.objects.filter(user=user, follows__organisation=organisation, follows__topic=topic).exists()


def follows_of_user(user) -> list[dict]:
    """What a signed-in person follows, for Min konto and its download."""
    follows = Follow.objects.filter(follower__user=user).select_related("organisation", "topic", "follower")
    return [
        {
            "kind": "office" if f.organisation_id else "topic",
            "name": f.organisation.name if f.organisation_id else f.topic.local_name,
            "since": f.created_at.isoformat(),
            "digest_language": f.follower.language,
            "digest_address": f.follower.address,
        }
        for f in follows
    ]
