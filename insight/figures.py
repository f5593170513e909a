"""The offices' reach figures, computed in the database (docs/insight.md defines each one).

Every figure is over the registrations of the offerings *held in the period*: an offering
belongs to the period when its first session starts in it. Each function runs a fixed number of
grouped queries whatever the number of registrations; Python only adds up per-offering rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connections
from django.db.models import Case, Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Collate, Lower, TruncWeek
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
    erased: int = 0  # anonymised registrations: each one is a person of its own
    extra: dict = field(default_factory=dict)
    weeks: dict = field(default_factory=dict)  # office dashboard: {Monday (date): registrations}

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
        for name in (
            "registrations",
            "confirmed",
            "attended",
            "confirmed_started",
            "conversions",
            "cancellations",
            "erased",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _counts(registrations: QuerySet) -> dict:
    """Per offering, in one pass over its registrations. Attended: confirmed and among the
    registrations with a join link used (an uncorrelated `IN (SELECT …)`, which PostgreSQL
    hashes once, where a correlated `EXISTS` per row cost a second on 100,000 registrations)."""
    joined = JoinLink.objects.filter(first_joined_at__isnull=False).values("registration_id")
    confirmed = Q(status=Registration.Status.CONFIRMED)
    rows = (
        registrations.filter(COUNTED)
        .values("offering_id")
        .annotate(
            registrations=Count("id"),
            confirmed=Count("id", filter=confirmed),
            attended=Count("id", filter=confirmed & Q(pk__in=joined)),
            conversions=Count("id", filter=Q(promoted_at__isnull=False)),
            cancellations=Count("id", filter=Q(status=Registration.Status.CANCELLED)),
            erased=Count("id", filter=Q(erased_at__isnull=False)),
        )
        .order_by()
    )
    return {row.pop("offering_id"): row for row in rows}


def _people(registrations: QuerySet, scopes: dict, rows: dict[int, Row]) -> tuple[int, dict]:
    """Unique people in all and within each scope (a list of offering ids), in one query.

    The addresses are grouped once, each with a 0/1 flag per scope saying whether it
    registered there; the outer query counts the addresses and sums each flag. Every
    anonymised registration is one more person in each scope its offering is in, counted per
    offering by _counts (`erased`): the grouping only sees registrations that name someone.
    This replaced a `COUNT(DISTINCT …)` per scope (one sort of all registrations each)."""
    scopes = {key: ids for key, ids in scopes.items() if ids}
    flags = {
        f"in_{n}": Max(Case(When(offering_id__in=ids, then=Value(1)), default=Value(0)))
        for n, ids in enumerate(scopes.values())
    }
    address = Lower("email")
    if connections[registrations.db].vendor == "postgresql":
        # Grouped by sorting: byte order sorts faster than the database's locale and groups
        # the same addresses (a deterministic collation's equality is byte equality).
        address = Collate(address, "C")
    per_person = (
        registrations.filter(COUNTED, erased_at__isnull=True)
        .values(person=address)
        .annotate(registrations=Count("id"), **flags)  # grouped by address
        .order_by()
    )
    sums = per_person.aggregate(everyone=Count("person"), **{f"people_{name}": Sum(name) for name in flags})
    everyone = (sums["everyone"] or 0) + sum(row.erased for row in rows.values())
    within = {}
    for name, (key, ids) in zip(flags, scopes.items(), strict=True):
        within[key] = (sums[f"people_{name}"] or 0) + sum(rows[pk].erased for pk in ids if pk in rows)
    return everyone, within


@dataclass
class Figures:
    total: Row
    offerings: list[Row]
    audiences: list[tuple[str, int]]
    counties: list[tuple[str, int]]
    weeks: list[tuple[date, int]]  # (the week's Monday, registrations), in order
    extra_columns: list = field(default_factory=list)
    office_rows: list[Row] = field(default_factory=list)  # national: per office
    topic_rows: list[Row] = field(default_factory=list)  # national: per topic


def figures_for(
    *, period: Period, offices=None, language: str = "nb", breakdown=None, offering_weeks: bool = False
) -> Figures:
    """The figures of `offices` (all offices when None) for `period`; with `breakdown` (a list
    of offices) also per office and per topic; with `offering_weeks` also each offering's
    registrations per week (`Row.weeks`, the office dashboard's sparklines). Queries: the
    offerings, the per-offering counts, (breakdown: each offering's topics, two) unique
    people, the audience and county counts, the audiences' names and the weekly registrations
    (with `offering_weeks`: per offering and week, the weekly ones their sums)."""
    now = timezone.now()
    offerings = list(
        offerings_in_period(period, offices)
        .select_related("organisation")
        .only("pk", "kind", "status", "organisation_id", "organisation__short_name", "organisation__name")
    )
    # The ids as a list, not a subquery: PostgreSQL plans `offering_id IN (…)` on the
    # (offering, status) index, where the subquery's correlated first-session lookups cost more.
    registrations = Registration.objects.filter(offering_id__in=[offering.pk for offering in offerings])
    counts = _counts(registrations)
    rows: dict[int, Row] = {}
    total = Row(label="")
    for offering in offerings:
        row = Row(
            key=offering.pk,
            label=offering.title_text or "",
            office=offering.organisation.short_name or offering.organisation.name,
            office_id=offering.organisation_id,
            kind=offering.kind,
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
        rows[offering.pk] = row
        total.add(row)
    office_rows: dict[int, Row] = {}
    topic_rows: dict[int, Row] = {}
    scopes: dict[tuple, list[int]] = {}
    if breakdown is not None:
        office_rows = {office.pk: Row(key=office.pk, label=office.short_name or office.name) for office in breakdown}
        for row in rows.values():
            if row.office_id in office_rows:
                office_rows[row.office_id].add(row)
                scopes.setdefault(("office", row.office_id), []).append(row.key)
        topic_rows = _topic_rows(rows, scopes, language)
    total.people, people = _people(registrations, scopes, rows)
    for (level, *key), n in people.items():
        if level == "office":
            office_rows[key[0]].people = n
        else:
            topic_rows[key[1]].people += n  # a webinar's and a course's people of a topic, summed
    for row in rows.values():
        row.kind = str(Offering.Kind(row.kind).label)
    extra = offering_extra_columns(offering_ids=list(rows))
    for column in extra:
        for row in rows.values():
            row.extra[column.key] = column.values.get(row.key)
    audiences, counties = _mixes(registrations, language)
    if offering_weeks:
        per_week: dict = {}
        for offering_id, week, n in weekly_per_offering(registrations):
            rows[offering_id].weeks[week] = n
            per_week[week] = per_week.get(week, 0) + n
        weeks = sorted(per_week.items())
    else:
        weeks = [(week.date(), n) for week, n in weekly(registrations)]
    return Figures(
        total=total,
        offerings=list(rows.values()),
        audiences=audiences,
        counties=counties,
        weeks=weeks,
        extra_columns=extra,
        office_rows=list(office_rows.values()),
        topic_rows=sorted(topic_rows.values(), key=lambda row: row.label.lower()),
    )


def _topic_rows(rows: dict[int, Row], scopes: dict, language: str) -> dict[int, Row]:
    """Per topic, from the per-offering rows: a webinar's topics are its session's, a course's
    its page's, and an offering counts under each of its topics once. Adds to `scopes` each
    (kind, topic)'s offerings, for the unique people per topic (a person at a webinar and a
    course of one topic counts twice). Two queries."""
    name_field = "name_en" if language == "en" else "name"
    paths = {Offering.Kind.WEBINAR: "sessions__topics", Offering.Kind.COURSE: "course__topics"}
    topic_rows: dict[int, Row] = {}
    for kind, path in paths.items():
        # All the ids, not only this kind's: the query runs (and is counted) whatever the mix.
        pairs = (
            Offering.objects.filter(pk__in=list(rows), kind=kind, **{f"{path}__isnull": False})
            .values_list("pk", f"{path}__id", f"{path}__name", f"{path}__{name_field}")
            .distinct()
            .order_by()
        )
        for offering_id, topic_id, name, local_name in pairs:
            topic = topic_rows.setdefault(topic_id, Row(key=topic_id, label=local_name or name))
            topic.add(rows[offering_id])
            scopes.setdefault(("topic", kind, topic_id), []).append(offering_id)
    return topic_rows


def _mixes(registrations: QuerySet, language: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The audience mix and the county mix, from one grouped query over both (at most the
    roles times the counties rows), and the audiences' names."""
    audience_counts: dict = {}
    county_counts: dict = {}
    pairs = (
        registrations.filter(COUNTED)
        .values("audience_id", "county")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("audience_id", "county", "n")
    )
    for audience_id, county, n in pairs:
        audience_counts[audience_id] = audience_counts.get(audience_id, 0) + n
        county_counts[county] = county_counts.get(county, 0) + n
    return audience_mix(audience_counts, language), county_mix(county_counts)


def audience_mix(counts: dict, language: str) -> list[tuple[str, int]]:
    mix = []
    for audience in Audience.objects.all():
        name = audience.name_en if language == "en" and audience.name_en else audience.name
        mix.append((name, counts.get(audience.pk, 0)))
    if counts.get(None):
        mix.append((_unknown(language), counts[None]))
    return mix


def county_mix(counts: dict) -> list[tuple[str, int]]:
    mix = [(label, counts[value]) for value, label in sorted(County.choices, key=lambda c: c[1]) if counts.get(value)]
    if counts.get(""):
        mix.append(("", counts[""]))
    return mix


def weekly(registrations: QuerySet) -> list[tuple[datetime, int]]:
    """Registrations per week, hash-grouped in the database (no ORDER BY: a sort of every
    registration) and put in order here."""
    rows = (
        registrations.filter(COUNTED)
        .annotate(week=TruncWeek("created_at", tzinfo=OSLO))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("week", "n")
    )
    return sorted(rows, key=lambda row: row[0])


def weekly_per_offering(registrations: QuerySet) -> list[tuple[int, date, int]]:
    """Registrations per offering and week as (offering id, the week's Monday in Norwegian
    time, count), hash-grouped in the database like `weekly` (no ORDER BY)."""
    rows = (
        registrations.filter(COUNTED)
        .annotate(week=TruncWeek("created_at", tzinfo=OSLO))
        .values("offering_id", "week")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("offering_id", "week", "n")
    )
    return [(offering_id, week.date(), n) for offering_id, week, n in rows]


def _unknown(language: str) -> str:
    return "Not given" if language == "en" else "Ikke oppgitt"
