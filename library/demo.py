"""Demo resources for the one-command run: guides, links and recordings across the offices
and the three questions. Written fresh for the demo; safe to run twice (keyed by slug)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organisation
from library.models import Contributor, Resource
from webinars.models import Session
from webinars.vocabulary import vocabulary_seed

GUIDE, LINK, RECORDING = Resource.Kind.GUIDE, Resource.Kind.LINK, Resource.Kind.RECORDING

RESOURCES = [
    {
        "slug": "selvstendig-og-ansatt-hva-gjelder",
        "kind": GUIDE,
        "office": "oks",
        "title": "Både selvstendig næringsdrivende og ansatt: dette gjelder for deg",
        "summary": "Skatt, trygd, sykepenger og pensjon når du har både lønn og eget enkeltpersonforetak.",
        "topics": ["skatt-og-trygd", "inntekt"],
        "audiences": ["selvstendig-og-ansatt", "selvstendig", "ansatt"],
        "days_ago": 3,
        "body": """Mange musikere har en deltidsstilling i kulturskolen og et enkeltpersonforetak ved siden av.
Da gjelder to regelsett samtidig, og det lønner seg å holde dem fra hverandre.

## Skatt

- Lønn skattlegges gjennom skattekortet ditt som vanlig.
- Overskuddet i foretaket skattlegges som næringsinntekt, med høyere trygdeavgift.
- Betal forskuddsskatt for næringsinntekten, ellers kommer restskatten.

## Sykepenger og dagpenger

Som ansatt har du sykepenger fra første dag gjennom arbeidsgiveren. For næringsinntekten får du
sykepenger fra NAV først etter 16 dager, og bare 80 prosent, med mindre du har tegnet tilleggsforsikring.
Dagpenger beregnes i hovedsak ut fra lønnsinntekten.

## Pensjon

Foretaket sparer ikke automatisk til pensjon. Vurder egen pensjonsordning for selvstendig næringsdrivende.

## Slik kommer du i gang

1. Før inntekter og utgifter i foretaket på en egen konto.
2. Sjekk forskuddsskatten på skatteetaten.no hvert halvår.
3. Ta kontakt med musikkontoret ditt for en gratis samtale.
""",
    },
    {
        "slug": "slik-gir-du-ut-musikk-steg-for-steg",
        "kind": GUIDE,
        "office": "brak",
        "title": "Slik gir du ut musikk: utgivelse steg for steg",
        "summary": "Fra ferdig miks til strømmetjenestene: distribusjon, metadata, ISRC og planlegging av utgivelsen.",
        "topics": ["utgivelse", "stromming", "rettigheter"],
        "audiences": ["selvstendig", "frilanser", "selskap"],
        "days_ago": 5,
        "body": """En god utgivelse starter seks til åtte uker før slippdatoen.

## 1. Rettigheter og avtaler

Sørg for skriftlige avtaler med alle som har bidratt på innspillingen, og meld verket til TONO.

## 2. Distribusjon

Velg en digital distributør som leverer til strømmetjenestene. Sammenlign pris, utbetalingsfrekvens
og hvem som eier ISRC-kodene.

## 3. Metadata

Riktige navn på utøvere, låtskrivere og produsenter er det som sørger for at pengene kommer fram.

## 4. Planlegg slippet

- Send låten til redaksjonelle spillelister minst fire uker før slipp.
- Lag en enkel plan for sosiale medier og presse.
- Husk at en utgivelse er starten, ikke slutten, på arbeidet med låten.
""",
    },
    {
        "slug": "fem-nye-inntektskilder-for-musikere",
        "kind": GUIDE,
        "office": "tempo",
        "title": "Fem nye inntektskilder for musikere",
        "summary": "Undervisning, konserter på nett, lisensiering, medlemsordninger og salg direkte til fansen.",
        "topics": ["inntekt", "konsert", "stromming"],
        "audiences": ["selvstendig", "frilanser", "selvstendig-og-ansatt"],
        "days_ago": 8,
        "body": """Når konsertinntektene svikter, kan flere små inntektskilder til sammen gi et bedre fundament.

1. **Undervisning på nett.** Enkelttimer og kurs i instrument, låtskriving eller produksjon.
2. **Betalte strømmekonserter.** Med billettsalg og god lyd kan en nettkonsert nå et publikum langt utenfor hjembyen.
3. **Lisensiering (sync).** Musikk til film, reklame og spill gir engangsbetaling og vederlag.
4. **Medlemsordninger.** Fast månedlig støtte fra de mest engasjerte lytterne.
5. **Salg direkte til fansen.** Vinyl, signerte utgaver og eksklusive opptak.

Start med én eller to, og regn på tidsbruken før du utvider.
""",
    },
    {
        "slug": "sok-stotte-til-utgivelse",
        "kind": GUIDE,
        "office": "sorf",
        "title": "Søk støtte til utgivelse og turné",
        "summary": "Hvilke støtteordninger finnes, og hva gjør en søknad god? En kort oversikt med frister.",
        "topics": ["stotteordninger", "utgivelse", "inntekt"],
        "audiences": ["selvstendig", "frilanser", "selskap"],
        "days_ago": 12,
        "body": """Det finnes ordninger både nasjonalt, i fylket og i kommunen.

## Dette ser de etter

- Et tydelig prosjekt med start og slutt.
- Et realistisk budsjett der egen innsats også er med.
- En plan for hvordan musikken skal nå et publikum.

## Tips

Les retningslinjene to ganger, og be musikkontoret ditt lese utkastet før du sender.
""",
    },
    {
        "slug": "arrangorens-sjekkliste-for-konsert",
        "kind": GUIDE,
        "office": "star",
        "title": "Arrangørens sjekkliste for konsert",
        "summary": "Avtaler, økonomi, sikkerhet og rapportering til TONO – alt du må huske som arrangør.",
        "topics": ["konsert", "rettigheter"],
        "audiences": ["arrangor", "selskap"],
        "days_ago": 20,
        "body": """## Før konserten

- Skriftlig avtale med artisten om honorar, reise og teknikk.
- Budsjett med billettinntekter, støtte og alle kostnader.
- Risikovurdering og plan for publikumssikkerhet.

## Etter konserten

- Rapporter konserten og spillelisten til TONO.
- Betal honorar som avtalt, og send takk til alle som bidro.
""",
    },
    {
        "slug": "strommeinntekter-forklart",
        "kind": GUIDE,
        "office": "ryk",
        "title": "Strømmeinntekter forklart",
        "summary": "Hvordan pengene fra strømming fordeles mellom plateselskap, utøvere og låtskrivere.",
        "topics": ["stromming", "inntekt", "rettigheter"],
        "audiences": ["selvstendig", "frilanser", "selskap"],
        "days_ago": 30,
        "body": """Strømmetjenestene betaler for innspillingen (masterrettighetene) og for verket (låten).

- **Innspillingen:** pengene går til den som eier masteren, ofte via distributøren.
- **Verket:** TONO krever inn vederlag for låtskrivere og forlag.
- **Utøvere:** GramArt og Gramo fordeler vederlag for bruk av innspillinger i radio og offentlig framføring.

Registrer deg hos alle som skal betale deg, og sjekk utbetalingene jevnlig.
""",
    },
    {
        "slug": "gramart-kontrakter-og-rettigheter",
        "kind": LINK,
        "office": "brak",
        "partner": "gramart",
        "title": "Gramart: hjelp med kontrakter og rettigheter",
        "summary": "Artistenes interesseorganisasjon gir råd om plateavtaler, vederlag og rettigheter.",
        "topics": ["rettigheter", "utgivelse"],
        "audiences": ["selvstendig", "frilanser"],
        "days_ago": 6,
        "url": "https://gramart.example.no",
        "body": "Gramart hjelper artister og låtskrivere å lese kontrakter før de skriver under.",
    },
    {
        "slug": "mfo-for-ansatte-og-frilansere",
        "kind": LINK,
        "office": "oks",
        "partner": "musikernes-fellesorganisasjon",
        "title": "Musikernes fellesorganisasjon: arbeidsrett for ansatte og frilansere",
        "summary": "Fagforeningen for musikere gir juridisk bistand om ansettelse, oppdrag og forsikring.",
        "topics": ["rettigheter", "skatt-og-trygd"],
        "audiences": ["ansatt", "frilanser", "selvstendig-og-ansatt"],
        "days_ago": 9,
        "url": "https://mfo.example.no",
        "body": "Er du både ansatt og frilanser, kan MFO hjelpe deg å forstå rettighetene dine i hvert forhold.",
    },
    {
        "slug": "kulturradet-tilskudd-til-musikk",
        "kind": LINK,
        "office": "sorf",
        "partner": "kulturradet",
        "title": "Kulturrådet: tilskudd til musikkprosjekter",
        "summary": "Oversikt over Kulturrådets tilskuddsordninger for innspilling, turné og arrangører.",
        "topics": ["stotteordninger", "inntekt"],
        "audiences": ["selvstendig", "arrangor", "selskap"],
        "days_ago": 15,
        "url": "https://kulturradet.example.no",
        "body": "Les kriteriene og fristene hos Kulturrådet før du starter søknaden.",
    },
    {
        "slug": "nav-inntektssikring-selvstendig",
        "kind": LINK,
        "office": "most",
        "partner": "nav-selvstendig",
        "title": "NAV: inntektssikring for selvstendig næringsdrivende og frilansere",
        "summary": "Sykepenger, dagpenger og kompensasjonsordninger når oppdragene forsvinner.",
        "topics": ["skatt-og-trygd", "inntekt"],
        "audiences": ["selvstendig", "frilanser", "selvstendig-og-ansatt"],
        "days_ago": 4,
        "url": "https://nav.example.no",
        "body": "NAV har egne sider for selvstendig næringsdrivende og frilansere. Søk så tidlig som mulig.",
    },
    {
        "slug": "opptak-slik-lykkes-du-med-strommekonsert",
        "kind": RECORDING,
        "office": "tempo",
        "title": "Opptak: Slik lykkes du med en strømmekonsert",
        "summary": "Tempo går gjennom lyd, bilde, billettsalg og promotering av konserter på nett.",
        "topics": ["konsert", "inntekt", "stromming"],
        "audiences": ["selvstendig", "arrangor", "frilanser"],
        "days_ago": 10,
        "video_url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "duration_minutes": 58,
        "transcript": "Velkommen til dette webinaret om strømmekonserter. Vi starter med lyden, for publikum "
        "tilgir dårlig bilde lettere enn dårlig lyd …",
        "contributors": [("Ingrid Tempo", Contributor.Role.SPEAKER), ("Duoen Nordlys", Contributor.Role.PERFORMER)],
        "body": "Webinaret ble holdt for artister og arrangører som vil prøve betalte konserter på nett.",
    },
    {
        "slug": "opptak-utgivelse-uten-plateselskap",
        "kind": RECORDING,
        "office": "brak",
        "title": "Opptak: Utgivelse uten plateselskap",
        "summary": "Tre artister forteller hvordan de ga ut musikk selv – med distribusjon, budsjett og lærdom.",
        "topics": ["utgivelse", "stromming"],
        "audiences": ["selvstendig", "frilanser"],
        "days_ago": 18,
        "video_url": "https://vimeo.com/76979871",
        "duration_minutes": 45,
        "transcript": "I dag skal vi snakke om å gi ut musikk uten plateselskap …",
        "contributors": [("Ola Brak", Contributor.Role.SPEAKER)],
        "body": "Samtalen dekker distribusjon, metadata og hvordan du bygger et publikum over tid.",
    },
]


def seed(stdout) -> None:
    topics, audiences = vocabulary_seed()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    now = timezone.now()
    count = 0
    for spec in RESOURCES:
        office = organisations.get(spec["office"])
        if office is None:
            continue
        resource, _created = Resource.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "kind": spec["kind"],
                "title": spec["title"],
                "summary": spec["summary"],
                "body": spec["body"],
                "organisation": office,
                "language": "nb",
                "status": Resource.Status.PUBLISHED,
                "visibility": Resource.Visibility.PUBLIC,
                "published_at": now - timedelta(days=spec["days_ago"]),
                "reviewed_at": now - timedelta(days=max(spec["days_ago"] - 2, 0)),
                "url": spec.get("url", ""),
                "partner": organisations.get(spec.get("partner", "")),
                "video_url": spec.get("video_url", ""),
                "duration_minutes": spec.get("duration_minutes"),
                "transcript": spec.get("transcript", ""),
                # Demo recordings are cleared and consented, as publishing requires.
                "rights_cleared": spec["kind"] == RECORDING,
            },
        )
        resource.topics.set([topics[s] for s in spec["topics"]])
        resource.audiences.set([audiences[s] for s in spec["audiences"]])
        for position, (name, role) in enumerate(spec.get("contributors", [])):
            Contributor.objects.update_or_create(
                resource=resource,
                name=name,
                defaults={"role": role, "consent": Contributor.Consent.GIVEN, "position": position},
            )
        count += 1
    _gated_recording(organisations, topics, audiences, now)
    _relate(
        ("selvstendig-og-ansatt-hva-gjelder", "mfo-for-ansatte-og-frilansere", "nav-inntektssikring-selvstendig"),
        (
            "slik-gir-du-ut-musikk-steg-for-steg",
            "opptak-utgivelse-uten-plateselskap",
            "gramart-kontrakter-og-rettigheter",
        ),
        ("fem-nye-inntektskilder-for-musikere", "opptak-slik-lykkes-du-med-strommekonsert", "sok-stotte-til-utgivelse"),
        ("sok-stotte-til-utgivelse", "kulturradet-tilskudd-til-musikk"),
    )
    stdout.write(f"Library: {count} demo resources.")


def _gated_recording(organisations, topics, audiences, now) -> None:
    """A registrants-only recording of a past demo session, when the webinar demo made one."""
    session = Session.objects.past().filter(organisation__kind=Organisation.Kind.OFFICE).order_by("-ends_at").first()
    if session is None:
        return
    resource, _created = Resource.objects.update_or_create(
        slug=f"opptak-{session.slug}"[:220],
        defaults={
            "kind": RECORDING,
            "title": f"Opptak: {session.title}"[:200],
            "summary": "Opptaket fra webinaret, bare for dem som var påmeldt.",
            "body": session.summary or "",
            "organisation": session.organisation,
            "session": session,
            "status": Resource.Status.PUBLISHED,
            "visibility": Resource.Visibility.REGISTRANTS,
            "published_at": session.ends_at + timedelta(days=1),
            "video_url": "https://vimeo.com/148751763",
            "duration_minutes": int(session.duration.total_seconds() // 60),
            "rights_cleared": True,
            # The demo publishes directly, so it marks the follow-ups as handled instead of mailing.
            "followups_sent_at": now,
        },
    )
    resource.topics.set(session.topics.all())
    resource.audiences.set(session.audiences.all())
    for speaker in session.speakers.all():
        Contributor.objects.update_or_create(
            resource=resource,
            name=speaker.name,
            defaults={"role": Contributor.Role.SPEAKER, "consent": Contributor.Consent.GIVEN},
        )


def _relate(*groups) -> None:
    by_slug = {r.slug: r for r in Resource.objects.filter(slug__in={s for g in groups for s in g})}
    for group in groups:
        first = by_slug.get(group[0])
        if first is None:
            continue
        first.related.add(*[by_slug[s] for s in group[1:] if s in by_slug])
