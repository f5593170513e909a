"""The API's representations: what a client reads, and so the OpenAPI description.

Every field here is something the public pages already show. Never add a stream URL, a
registration, a person's name or address (other than a speaker's or an office's, which the
pages show), or anything of a draft: api/tests/test_privacy.py walks every endpoint for them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

State = Literal["open", "full", "cancelled", "ended"]


class Error(Schema):
    detail: str = Field(description="What was wrong, in words.")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Messages by query parameter.")


class OrganisationRef(Schema):
    slug: str
    name: str
    short_name: str


class Organisation(OrganisationRef):
    kind: Literal["office", "partner"]
    region: str
    website: str
    contact_email: str
    description: str
    url: str = Field(description="The organisation's public page.")


class Term(Schema):
    slug: str
    name: str = Field(description="Norwegian Bokmål.")
    name_en: str = Field(description="English (may be empty).")


class Speaker(Schema):
    name: str
    bio: str


class OfferingSession(Schema):
    id: int
    title: str
    slug: str
    url: str = Field(description="The session's public page.")
    starts_at: datetime = Field(description="UTC.")
    ends_at: datetime = Field(description="UTC.")
    timezone: str = Field(description="The IANA zone the session's times are shown in, e.g. Europe/Oslo.")
    state: State
    moved_from: datetime | None = Field(
        description="When the session was rescheduled: the start it had before (UTC); otherwise null."
    )
    speakers: list[Speaker]


class Offering(Schema):
    id: int
    kind: Literal["webinar", "course"]
    title: str
    slug: str
    summary: str
    url: str = Field(description="The webinar's or course's public page, where people register.")
    organisation: OrganisationRef
    cohosts: list[OrganisationRef]
    topics: list[str] = Field(description="Topic slugs (see /topics).")
    audiences: list[str] = Field(description="Audience slugs (see /audiences).")
    language: str
    state: State = Field(
        description="As the site shows it: open, full (registration gives a waitlist place), "
        "cancelled, or ended (every live session is over)."
    )
    starts_at: datetime = Field(description="The first session's start (UTC).")
    ends_at: datetime = Field(description="The last session's end (UTC).")
    timezone: str = Field(description="The IANA zone the offering's times are shown in.")
    capacity: int | None = Field(description="Seats in all; null when unlimited.")
    seats_left: int | None = Field(description="Seats still free; null when unlimited.")
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    sessions: list[OfferingSession]


class OfferingPage(Schema):
    items: list[Offering]
    next: str | None = Field(description="The next page's address; null on the last page.")


class RecordedSession(Schema):
    id: int
    title: str
    url: str


class Resource(Schema):
    id: int
    kind: Literal["recording", "guide", "document", "link"]
    title: str
    slug: str
    summary: str
    url: str = Field(description="The resource's public page.")
    organisation: OrganisationRef
    topics: list[str]
    audiences: list[str]
    language: str
    published_at: datetime | None
    reviewed_at: datetime | None = Field(description="When it was last checked to be right.")
    video_url: str | None = Field(description="A recording's YouTube or Vimeo address.")
    duration_minutes: int | None
    link_url: str | None = Field(description="A link's address at the other organisation.")
    partner: OrganisationRef | None = Field(description="The organisation a link goes to.")
    download_url: str | None = Field(description="A document's file.")
    recorded_session: RecordedSession | None = Field(description="The webinar a recording is of.")


class ResourcePage(Schema):
    items: list[Resource]
    next: str | None = Field(description="The next page's address; null on the last page.")


class OrganisationList(Schema):
    items: list[Organisation]


class TermList(Schema):
    items: list[Term]
