"""The offices' reach figures, computed in the database (docs/insight.md defines each one).

Every figure is over the registrations of the offerings *held in the period*: an offering
belongs to the period when its first session starts in it. Each function runs a fixed number of
grouped queries whatever the number of registrations; Python only adds up per-offering rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Lower, TruncWeek
from django.utils import timezone

from insight.extra_columns import offering_extra_columns
from insight.periods import OSLO, Period
from registrations.models import County, JoinLink, Registration
from webinars.models import Audience, Offering, Session, Status

COUNTED = ~Q(status=Registration.Status.PENDING)  # an unconfirmed guest is no registration yet


def offerings_in_period(period: Period, offices=None) -> QuerySet[Offering]:
    """The offerings whose first session starts in the period (of `offices`, if given), with
    `first_starts_at` and `title` annotated (no per-offering query for either)."""
    first_session = Session.objects.filter(offering=OuterRef("pk")).order_by("starts_at", "id")
    offerings = Offering.objects.exclude(status=Status.DRAFT).annotate(
        first_starts_at=Subquery(first_session.values("starts_at")[:1]),
        title_text=Coalesce(F("course__title"), Subquery(first_session.values("title")[:1])),
    )
    if offices is not None:
        offerings = offerings.filter(organisation__in=offices)
    return offerings.filter(first_starts_at__gte=period.starts_at, first_starts_at__lt=period.ends_at)


def _person_key():
    """Who a registration is: its address (case-insensitive) while it names someone; an
    anonymised row names nobody, so each one counts as its own person."""
    return Case(
        When(erased_at__isnull=True, then=Lower("email")),
        default=Concat(Value("#"), Cast("id", CharField())),
        output_field=CharField(),
    )


@dataclass
class Row:
    """The figures of one offering, one office, one topic, or a whole period."""

    key: object = None
    label: str = ""
    office: str = ""
    office_id: int | None = None
    kind: str = ""
    starts_at: datetime | None = None
    started: bool = True
    registrations: int = 0
    people: int = 0
    confirmed: int = 0
    attended: int = 0
    confirmed_started: int = 0
    conversions: int = 0
    cancellations: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def no_shows(self) -> int:
        return self.confirmed_started - self.attended

    @property
    def attendance_rate(self) -> float | None:
        """joined ÷ confirmed, over offerings that have begun; None when nobody is confirmed."""
        if not self.confirmed_started:
            return None
        return self.attended / self.confirmed_started

    def add(self, other: Row) -> None:
        for name in ("registrations", "confirmed", "attended", "confirmed_started", "conversions", "cancellations"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _counts(registrations: QuerySet, group: str) -> dict:
    joined = JoinLink.objects.filter(registration=OuterRef("pk"), first_joined_at__isnull=False)
    confirmed = Q(status=Registration.Status.CONFIRMED)
    rows = (
        registrations.filter(COUNTED)
        .values(group)
        .annotate(
            registrations=Count("id"),
            confirmed=Count("id", filter=confirmed),
            attended=Count("id", filter=confirmed & Q(Exists(joined))),
            conversions=Count("id", filter=Q(promoted_at__isnull=False)),
            cancellations=Count("id", filter=Q(status=Registration.Status.CANCELLED)),
        )
        .order_by()
    )
    return {row.pop(group): row for row in rows}


@dataclass
class Figures:
    total: Row
    offerings: list[Row]
    audiences: list[tuple[str, int]]
    counties: list[tuple[str, int]]
    weeks: list[tuple[datetime, int]]
    extra_columns: list = field(default_factory=list)


def figures_for(*, period: Period, offices=None, language: str = "nb") -> Figures:
    """The figures of `offices` (all offices when None) for `period`. Queries: the offerings,
    the per-offering counts, unique people, the audience mix (with the audiences' names), the
    county mix and the weekly registrations."""
    now = timezone.now()
    offerings = list(
        offerings_in_period(period, offices)
        .select_related("organisation")
        .only("pk", "kind", "status", "organisation_id", "organisation__short_name", "organisation__name")
    )
    # The ids as a list, not a subquery: PostgreSQL plans `offering_id IN (…)` on the
    # (offering, status) index, where the subquery's correlated first-session lookups cost more.
    registrations = Registration.objects.filter(offering_id__in=[offering.pk for offering in offerings])
    counts = _counts(registrations, "offering_id")
    rows = []
    total = Row(label="")
    for offering in offerings:
        row = Row(
            key=offering.pk,
            label=offering.title_text or "",
            office=offering.organisation.short_name or offering.organisation.name,
            office_id=offering.organisation_id,
            kind=offering.get_kind_display(),
            starts_at=offering.first_starts_at,
            started=offering.first_starts_at is not None and offering.first_starts_at <= now,
            **counts.get(offering.pk, {}),
        )
        # Unique people per offering equal its registrations (one active one per address).
        row.people = row.registrations
        if row.started:
            row.confirmed_started = row.confirmed
        else:
            row.attended = 0  # an early join before the first session starts counts once it has
        rows.append(row)
        total.add(row)
    total.people = registrations.filter(COUNTED).aggregate(n=Count(_person_key(), distinct=True))["n"] or 0
    extra = offering_extra_columns(offering_ids=[row.key for row in rows])
    for column in extra:
        for row in rows:
            row.extra[column.key] = column.values.get(row.key)
    return Figures(
        total=total,
        offerings=rows,
        audiences=audience_mix(registrations, language),
        counties=county_mix(registrations),
        weeks=weekly(registrations),
        extra_columns=extra,
    )


def audience_mix(registrations: QuerySet, language: str) -> list[tuple[str, int]]:
    counts = dict(
        registrations.filter(COUNTED)
        .values("audience_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("audience_id", "n")
    )
    mix = []
    for audience in Audience.objects.all():
        name = audience.name_en if language == "en" and audience.name_en else audience.name
        mix.append((name, counts.get(audience.pk, 0)))
    if counts.get(None):
        mix.append((_unknown(language), counts[None]))
    return mix


def county_mix(registrations: QuerySet) -> list[tuple[str, int]]:
    counts = dict(
        registrations.filter(COUNTED).values("county").annotate(n=Count("id")).order_by().values_list("county", "n")
    )
    mix = [(label, counts[value]) for value, label in sorted(County.choices, key=lambda c: c[1]) if counts.get(value)]
    if counts.get(""):
        mix.append(("", counts[""]))
    return mix


def weekly(registrations: QuerySet) -> list[tuple[datetime, int]]:
    rows = (
        registrations.filter(COUNTED)
        .annotate(week=TruncWeek("created_at", tzinfo=OSLO))
        .values("week")
        .annotate(n=Count("id"))
        .order_by("week")
    )
    return [(row["week"], row["n"]) for row in rows]


def _unknown(language: str) -> str:
    return "Not given" if language == "en" else "Ikke oppgitt"


def by_office(figures: Figures, offices) -> list[Row]:
    """Per office, from the per-offering rows, plus unique people per office (one query)."""
    registrations = Registration.objects.filter(COUNTED, offering_id__in=[row.key for row in figures.offerings])
    people = dict(
        registrations.values("offering__organisation_id")
        .annotate(n=Count(_person_key(), distinct=True))
        .order_by()
        .values_list("offering__organisation_id", "n")
    )
    rows = {office.pk: Row(key=office.pk, label=office.short_name or office.name) for office in offices}
    for row in figures.offerings:
        target = rows.get(row.office_id)
        if target is not None:
            target.add(row)
    for pk, row in rows.items():
        row.people = people.get(pk, 0)
    return list(rows.values())


def by_topic(figures: Figures, language: str) -> list[Row]:
    """Per topic, from the per-offering rows: a webinar's topics are its session's, a course's
    its page's, and an offering counts under each of its topics. Unique people per topic in
    one grouped query per kind (a person at a webinar and a course of one topic counts twice).
    Four queries."""
    ids = [row.key for row in figures.offerings]
    name_field = "name_en" if language == "en" else "name"
    paths = {Offering.Kind.WEBINAR: "sessions__topics", Offering.Kind.COURSE: "course__topics"}
    rows: dict[int, Row] = {}
    topics_of: dict[int, list[int]] = {}
    people_paths = []
    for kind, path in paths.items():
        pairs = (
            Offering.objects.filter(pk__in=ids, kind=kind, **{f"{path}__isnull": False})
            .values_list("pk", f"{path}__id", f"{path}__name", f"{path}__{name_field}")
            .order_by()
        )
        for offering_id, topic_id, name, local_name in pairs:
            topics_of.setdefault(offering_id, []).append(topic_id)
            rows.setdefault(topic_id, Row(key=topic_id, label=local_name or name))
        people_paths.append((kind, f"offering__{path}"))
    for row in figures.offerings:
        for topic_id in topics_of.get(row.key, []):
            rows[topic_id].add(row)
    for kind, path in people_paths:
        people = (
            Registration.objects.filter(COUNTED, offering_id__in=ids, offering__kind=kind, **{f"{path}__isnull": False})
            .values(path)
            .annotate(n=Count(_person_key(), distinct=True))
            .order_by()
            .values_list(path, "n")
        )
        for topic_id, n in people:
            rows[topic_id].people += n
    return sorted(rows.values(), key=lambda row: row.label.lower())
