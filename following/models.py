"""Following offices and topics (issue 17): who follows what, what was new in which week, and
which weekly digests were written. See docs/following.md."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from library.models import Resource
from webinars.models import Offering, Topic


def new_token() -> str:
    # 32 random bytes: 256 bits, URL-safe, unguessable (as registrations' tokens).
    return secrets.token_urlsafe(32)


class FollowerQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def of_person(self, *, email: str = "", user=None):
        match = Q(pk__in=[])
        if email:
            match |= Q(email__iexact=email)
        if user is not None:
            match |= Q(user=user)
        return self.filter(match)


class Follower(models.Model):
    """Someone who gets the weekly digest: a signed-in person (their account) or a guest (an
    address confirmed by double opt-in). `token` is the secret of the manage and unsubscribe
    links in every digest; `optin_token` that of a guest's confirmation link."""

    email = models.EmailField(_("e-post"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follower",
    )
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES, default="nb")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    optin_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    optin_expires_at = models.DateTimeField(_("bekreftelseslenken utløper"), null=True, blank=True)
    # What a guest asked to follow, applied when they confirm: until then nobody can add
    # follows to an address that is not theirs.
    pending = models.JSONField(_("venter på bekreftelse"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("samtykke gitt"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bekreftet"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("følger")
        verbose_name_plural = _("følgere")
        constraints = [
            # One guest follower per address (a signed-in person's is keyed on the account).
            models.UniqueConstraint(Lower("email"), condition=Q(user__isnull=True), name="follower_guest_email_once"),
        ]

    def __str__(self):
        return self.email

    @property
    def address(self) -> str:
        """Where the digest goes: the account's current address, or the guest's."""
        return self.user.email if self.user_id else self.email


class Follow(models.Model):
    """One office or one topic a follower follows."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="follows")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name=_("kontor")
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name=_("tema")
    )
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("fulgt kontor eller tema")
        verbose_name_plural = _("fulgte kontorer og temaer")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, topic__isnull=False)
                | Q(organisation__isnull=False, topic__isnull=True),
                name="follow_office_or_topic",
            ),
            models.UniqueConstraint(
                fields=["follower", "organisation"], condition=Q(organisation__isnull=False), name="follow_office_once"
            ),
            models.UniqueConstraint(
                fields=["follower", "topic"], condition=Q(topic__isnull=False), name="follow_topic_once"
            ),
        ]

    def __str__(self):
        return str(self.organisation or self.topic)


class Announcement(models.Model):
    """An offering or a public resource was new in digest week `period` ("2026-W49"): recorded
    by the first digest run that saw it listed, so each one is in exactly one week's digests."""

    offering = models.OneToOneField(
        Offering, null=True, blank=True, on_delete=models.CASCADE, related_name="announcement"
    )
    resource = models.OneToOneField(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="announcement"
    )
    period = models.CharField(_("uke"), max_length=10, db_index=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("nyhet")
        verbose_name_plural = _("nyheter")
        constraints = [
            models.CheckConstraint(
                condition=Q(offering__isnull=True, resource__isnull=False)
                | Q(offering__isnull=False, resource__isnull=True),
                name="announcement_offering_or_resource",
            ),
        ]

    def __str__(self):
        return f"{self.period}: {self.offering or self.resource}"


class Digest(models.Model):
    """One follower's digest for one week, written in the same transaction as its outbox row:
    the unique (follower, period) means a week's digest is written, and so sent, once."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(_("uke"), max_length=10)
    offering_ids = models.JSONField(default=list)
    resource_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ukesoppsummering")
        verbose_name_plural = _("ukesoppsummeringer")
        constraints = [models.UniqueConstraint(fields=["follower", "period"], name="digest_once_per_week")]

    def __str__(self):
        return f"{self.follower_id} {self.period}"
