"""Demo courses with their sessions, dated relative to today. Safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import Organisation
from webinars.demo import at_local, demo_offering
from webinars.models import Audience, Course, Offering, Session, Status, Topic
from webinars.zones import DEFAULT_ZONE

# slug, office, title, summary, description, topics, audiences, capacity, featured,
# sessions: (slug, title, days from today, (hour, minute), minutes)
COURSES = [
    (
        "bli-ditt-eget-plateselskap",
        "brak",
        "Bli ditt eget plateselskap",
        "Fire kvelder om å gi ut musikk selv: fra innspilling til lansering.",
        "Et kurs for artister som vil gi ut på eget selskap. Hver økt har en liten hjemmeoppgave, "
        "og i siste økt legger du fram utgivelsesplanen din.\n\n"
        "Du melder deg på **hele kurset** og får kalenderinvitasjon til alle øktene.",
        ["utgivelse", "rettigheter", "inntekt"],
        ["selvstendig", "selskap"],
        40,
        True,
        [
            ("plateselskap-1-rettigheter-og-avtaler", "Økt 1: Rettigheter og avtaler", 4, (18, 0), 90),
            ("plateselskap-2-distribusjon-og-metadata", "Økt 2: Distribusjon og metadata", 11, (18, 0), 90),
            ("plateselskap-3-lansering-og-spillelister", "Økt 3: Lansering og spillelister", 18, (18, 0), 90),
            ("plateselskap-4-budsjett-og-utgivelsesplan", "Økt 4: Budsjett og utgivelsesplan", 25, (18, 0), 90),
        ],
    ),
    (
        "okonomi-for-selvstendige-musikere",
        "oks",
        "Økonomi for selvstendige musikere",
        "Tre formiddager om regnskap, skatt og trygderettigheter for enkeltpersonforetak.",
        "For deg som driver enkeltpersonforetak – eller er både ansatt og selvstendig. "
        "Vi går fra oppstart og bokføring til skattemelding og sikkerhetsnett.",
        ["skatt-og-trygd", "stotteordninger", "inntekt"],
        ["selvstendig", "selvstendig-og-ansatt", "frilanser"],
        None,
        True,
        [
            ("okonomi-1-oppstart-og-bokforing", "Del 1: Oppstart og bokføring", 6, (10, 0), 120),
            ("okonomi-2-skatt-og-mva", "Del 2: Skatt og merverdiavgift", 13, (10, 0), 120),
            ("okonomi-3-trygd-og-pensjon", "Del 3: Sykepenger, dagpenger og pensjon", 20, (10, 0), 120),
        ],
    ),
    (
        "stromming-for-arrangorer",
        "ryk",
        "Strømming for arrangører",
        "To økter om å livestrømme konserter fra eget spillested.",
        "Utstyr, rettigheter, billetter og publikumskontakt når konserten også skal ut på nett.",
        ["konsert", "stromming"],
        ["arrangor"],
        25,
        False,
        [
            ("stromming-arrangor-1-utstyr", "Økt 1: Utstyr og oppsett", 8, (12, 0), 90),
            ("stromming-arrangor-2-rettigheter-og-billetter", "Økt 2: Rettigheter og billetter", 15, (12, 0), 90),
        ],
    ),
]


def seed(stdout) -> None:
    for slug, office_slug, title, summary, description, topics, audiences, capacity, featured, sessions in COURSES:
        office = Organisation.objects.get(slug=office_slug)
        offering = demo_offering(
            Course.objects.filter(slug=slug).values_list("offering_id", flat=True).first(),
            kind=Offering.Kind.COURSE,
            organisation=office,
            capacity=capacity,
            status=Status.PUBLISHED,
        )
        course, _created = Course.objects.update_or_create(
            slug=slug,
            defaults={
                "offering": offering,
                "organisation": office,
                "title": title,
                "summary": summary,
                "description": description,
                "featured": featured,
            },
        )
        course.topics.set(Topic.objects.filter(slug__in=topics))
        course.audiences.set(Audience.objects.filter(slug__in=audiences))
        for position, (session_slug, session_title, days, clock, minutes) in enumerate(sessions):
            starts_at = at_local(days, clock)
            session, _created = Session.objects.update_or_create(
                slug=session_slug,
                defaults={
                    "offering": offering,
                    "position": position,
                    "organisation": office,
                    "title": session_title,
                    "summary": summary,
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(minutes=minutes),
                    "timezone": DEFAULT_ZONE,
                    "stream_url": f"https://zoom.us/j/8220000{position}{len(slug):03d}?pwd=kurs",
                    "status": Status.PUBLISHED,
                },
            )
            session.topics.set(course.topics.all())
            session.audiences.set(course.audiences.all())
    stdout.write(f"  courses: {len(COURSES)} courses")
