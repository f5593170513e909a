"""Demo topics, audiences and standalone webinars, dated relative to today.

Safe to run twice: everything is looked up by slug and updated in place.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Organisation
from webinars.models import Audience, Offering, Session, Speaker, Status, Topic
from webinars.vocabulary import AUDIENCES, TOPICS, vocabulary_seed
from webinars.zones import DEFAULT_ZONE, local_to_utc, utc_to_local

# (slug, office, days from today, local start, minutes, title, summary, description, topics, audiences,
#  speakers, capacity, stream URL)
SESSIONS = [
    (
        "gi-ut-musikk-nar-alt-er-avlyst",
        "brak",
        3,
        (10, 0),
        75,
        "Gi ut musikk når alt er avlyst",
        "Slik planlegger du en utgivelse når konsertene som skulle bære den, ikke blir noe av.",
        "Når turneen faller bort, må utgivelsen stå på egne ben. Vi går gjennom:\n\n"
        "- hvordan du legger en **utgivelsesplan** uten releasekonsert\n"
        "- pitching til spillelister og redaksjoner\n"
        "- hva du kan gjøre selv, og hva det lønner seg å betale for\n\n"
        "Ta gjerne med spørsmål om din egen utgivelse.",
        ["utgivelse", "stromming"],
        ["selvstendig", "frilanser", "selskap"],
        [("Ingrid Solberg", "Label-leder og prosjektleder for over 40 utgivelser"), ("Jonas Berg", "Artist")],
        100,
        "https://zoom.us/j/81234567001?pwd=demo",
    ),
    (
        "stromming-og-nye-inntekter",
        "tempo",
        5,
        (13, 0),
        60,
        "Strømming og nye inntektskilder",
        "Hvor kommer pengene fra når platesalget er borte, og hva kan du gjøre med det?",
        "Vi ser på hvordan strømmeøkonomien faktisk fungerer for en norsk artist: avregning, "
        "vederlag, og hvorfor *antall lyttere* ikke er hele historien. Deretter ser vi på "
        "supplerende inntekter som abonnement, direktesalg og lisensiering.",
        ["stromming", "inntekt", "rettigheter"],
        ["selvstendig", "selvstendig-og-ansatt", "selskap"],
        [("Mari Haugen", "Rådgiver i Tempo")],
        None,
        "https://teams.microsoft.com/l/meetup-join/demo-tempo-1",
    ),
    (
        "stotteordninger-for-selvstendige-musikere",
        "sorf",
        7,
        (12, 0),
        90,
        "Støtteordninger for selvstendige musikere",
        "En gjennomgang av kompensasjonsordninger, stipender og tilskudd – og hvordan du søker.",
        "Mange musikere har falt mellom alle stoler. Vi går gjennom hvilke **støtteordninger** som finnes "
        "for selvstendig næringsdrivende og frilansere, hvem som kan søke, og vanlige feil i søknadene.\n\n"
        "Webinaret passer også for deg som er både ansatt og selvstendig.",
        ["stotteordninger", "skatt-og-trygd"],
        ["selvstendig", "frilanser", "selvstendig-og-ansatt"],
        [("Kristin Aas", "Rådgiver i Sørf"), ("Ola Nygård", "Regnskapsfører for kulturarbeidere")],
        150,
        "https://zoom.us/j/81234567002?pwd=demo",
    ),
    (
        "livestromte-konserter-i-praksis",
        "star",
        9,
        (19, 0),
        90,
        "Livestrømte konserter i praksis",
        "Teknikk, rettigheter og billettsalg for konserter på nett.",
        "Fra mobiltelefon til flerkamera: hva trenger du egentlig? Vi ser på lyd, bilde og plattformer, "
        "og på hvordan du tar betalt. Avslutter med hvilke rettigheter du må klarere for en strømmet konsert.",
        ["konsert", "stromming", "rettigheter"],
        ["arrangor", "selvstendig"],
        [("Siri Lunde", "Produsent og lydtekniker")],
        80,
        "https://www.youtube.com/live/demo-star-1",
    ),
    (
        "arrangor-i-en-krisetid",
        "oks",
        11,
        (10, 0),
        60,
        "Arrangør i en krisetid: avlysning, utsettelse og kompensasjon",
        "Hva gjør du med kontrakter, billetter og støtte når arrangementer må avlyses?",
        "For arrangører og spillesteder: avlysningsklausuler, refusjon av billetter, "
        "og hvordan du dokumenterer tap for å søke kompensasjon.",
        ["stotteordninger", "konsert", "rettigheter"],
        ["arrangor"],
        [("Per Kristiansen", "Daglig leder på et spillested")],
        None,
        "https://whereby.com/oks-demo",
    ),
    (
        "skatt-og-trygd-for-frilansere",
        "most",
        14,
        (18, 0),
        60,
        "Skatt og trygd for frilansere i musikk",
        "Sykepenger, dagpenger og forskuddsskatt – det grunnleggende for deg med flere oppdragsgivere.",
        "Vi forklarer forskjellen på å være frilanser og selvstendig næringsdrivende, og hva det betyr for "
        "sykepenger, dagpenger og pensjon. Med eksempler fra virkeligheten.",
        ["skatt-og-trygd", "inntekt"],
        ["frilanser", "selvstendig-og-ansatt"],
        [("Hanne Moen", "Rådgiver i MØST")],
        60,
        "https://meet.google.com/abc-defg-hij",
    ),
    (
        "digital-utgivelse-i-nord",
        "ryk",
        16,
        (11, 0),
        75,
        "Digital utgivelse fra nord",
        "Distribusjon, metadata og samisk språk i strømmetjenestene.",
        "Hvordan får du riktig språk, sjanger og krediteringer inn i metadataene, og hvorfor betyr det noe "
        "for hvem som finner musikken? Vi tar også opp utgivelser på samisk.",
        ["utgivelse", "stromming"],
        ["selvstendig", "selskap"],
        [("Áile Somby", "Artist og produsent")],
        None,
        "https://zoom.us/j/81234567003?pwd=demo",
    ),
    (
        "avtaler-med-plateselskap",
        "brak",
        21,
        (14, 0),
        60,
        "Før du signerer: avtaler med plateselskap og management",
        "Hva står egentlig i kontrakten? De vanligste fellene i artistavtaler.",
        "Vi leser gjennom en typisk artistavtale og en managementavtale sammen, punkt for punkt.",
        ["rettigheter"],
        ["selvstendig", "selskap"],
        [("Thomas Vik", "Advokat med musikkbransjen som fagfelt")],
        120,
        "https://zoom.us/j/81234567004?pwd=demo",
    ),
    (
        "english-streaming-royalties",
        "tempo",
        24,
        (15, 0),
        60,
        "Streaming royalties explained (in English)",
        "An English-language walk-through of where streaming money comes from.",
        "For international musicians living in Norway: how streaming royalties reach you, "
        "and which Norwegian organisations collect on your behalf.",
        ["stromming", "inntekt"],
        ["selvstendig", "frilanser"],
        [("Emma Clarke", "Music business consultant")],
        None,
        "https://vimeo.com/event/0000000",
    ),
    (
        "sok-stotte-til-utgivelse",
        "sorf",
        28,
        (12, 0),
        60,
        "Søk støtte til utgivelsen din",
        "Søknadsverksted: budsjett, prosjektbeskrivelse og frister.",
        "Et praktisk verksted der vi går gjennom en god søknad, med budsjett og tidsplan.",
        ["stotteordninger", "utgivelse"],
        ["selvstendig", "frilanser"],
        [],
        40,
        "https://zoom.us/j/81234567005?pwd=demo",
    ),
    # Past sessions for the archive.
    (
        "musikkbransjen-etter-nedstengingen",
        "oks",
        -10,
        (10, 0),
        60,
        "Musikkbransjen etter nedstengingen",
        "Hva har endret seg for godt, og hva kommer tilbake?",
        "En samtale om hvordan inntektene har flyttet seg, og hva det betyr for årene framover.",
        ["inntekt", "konsert"],
        ["selvstendig", "arrangor"],
        [("Lise Dahl", "Bransjeanalytiker")],
        None,
        "https://zoom.us/j/81234567006?pwd=demo",
    ),
    (
        "kompensasjonsordningen-sporsmal-og-svar",
        "star",
        -20,
        (13, 0),
        60,
        "Kompensasjonsordningen: spørsmål og svar",
        "Vi svarte på spørsmål om kompensasjon for selvstendige og frilansere.",
        "Opptak og oppsummering ligger i ressursbanken.",
        ["stotteordninger", "skatt-og-trygd"],
        ["selvstendig", "frilanser", "selvstendig-og-ansatt"],
        [],
        None,
        "https://zoom.us/j/81234567007?pwd=demo",
    ),
]

# A draft to show that the workspace lists everything and the catalogue does not.
DRAFTS = ["sok-stotte-til-utgivelse"]


def at_local(days: int, clock: tuple[int, int], now: datetime | None = None) -> datetime:
    today = utc_to_local(now or timezone.now(), DEFAULT_ZONE).date()
    return local_to_utc(today + timedelta(days=days), time(*clock), DEFAULT_ZONE, fold=0)


def seed_taxonomy() -> None:
    vocabulary_seed()


def demo_offering(offering_id: int | None, **fields) -> Offering:
    """The demo item's offering: the one it has (seeding twice changes nothing), or a new one."""
    offering = Offering.objects.filter(pk=offering_id).first() or Offering()
    for name, value in fields.items():
        setattr(offering, name, value)
    offering.save()
    return offering


def seed(stdout) -> None:
    seed_taxonomy()
    offices = {o.slug: o for o in Organisation.objects.filter(slug__in={row[1] for row in SESSIONS})}
    for (
        slug,
        office,
        days,
        clock,
        minutes,
        title,
        summary,
        description,
        topics,
        audiences,
        speakers,
        capacity,
        stream_url,
    ) in SESSIONS:
        starts_at = at_local(days, clock)
        status = Status.DRAFT if slug in DRAFTS else Status.PUBLISHED
        offering = demo_offering(
            Session.objects.filter(slug=slug).values_list("offering_id", flat=True).first(),
            kind=Offering.Kind.WEBINAR,
            organisation=offices[office],
            capacity=capacity,
            registration_closes_at=starts_at if capacity else None,
            status=status,
        )
        session, _created = Session.objects.update_or_create(
            slug=slug,
            defaults={
                "offering": offering,
                "organisation": offices[office],
                "title": title,
                "summary": summary,
                "description": description,
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(minutes=minutes),
                "timezone": DEFAULT_ZONE,
                "language": "en" if slug.startswith("english") else "nb",
                "stream_url": stream_url,
                "status": status,
            },
        )
        session.topics.set(Topic.objects.filter(slug__in=topics))
        session.audiences.set(Audience.objects.filter(slug__in=audiences))
        session.speakers.all().delete()
        Speaker.objects.bulk_create(
            Speaker(session=session, name=name, bio=bio, position=i) for i, (name, bio) in enumerate(speakers)
        )
    Session.objects.get(slug="livestromte-konserter-i-praksis").cohosts.set([offices["sorf"]])
    stdout.write(f"  webinars: {len(SESSIONS)} sessions, {len(TOPICS)} topics, {len(AUDIENCES)} audiences")
