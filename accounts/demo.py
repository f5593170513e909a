"""Demo offices, partner organisations, organisers and a participant."""

from allauth.account.models import EmailAddress

from accounts.models import Membership, Organisation, User

# Development-only password, printed by seed_demo; never use it anywhere real.
DEMO_PASSWORD = "demo-passord-2026"

OFFICES = [
    (
        "brak",
        "Brak",
        "Brak – Bergen og Hordaland",
        "Vestland",
        "Nettverk og kompetanse for musikkbransjen på Vestlandet.",
        "Næringsutvikling, plateutgivelse, eksport og nettverk på Vestlandet.",
    ),
    (
        "star",
        "STAR",
        "STAR – Stavanger og Rogaland",
        "Rogaland",
        "Ressurssenter for rytmisk musikk i Rogaland.",
        "Artistutvikling, konsertarrangering og søknader.",
    ),
    (
        "oks",
        "ØKS",
        "ØKS – Østlandets kompetansesenter for musikk",
        "Østlandet",
        "Kompetansesenter for musikere og arrangører på Østlandet.",
        "Kurs for arrangører, rådgivning om selvstendig næringsdrift.",
    ),
    (
        "tempo",
        "Tempo",
        "Tempo – musikkontoret i Trøndelag",
        "Trøndelag",
        "Musikkontoret for Trøndelag.",
        "Strømming, rettigheter og nye inntektskilder.",
    ),
    (
        "sorf",
        "Sørf",
        "Sørf – Sørnorsk musikkontor",
        "Agder",
        "Sørlandets musikkontor for artister og bransje.",
        "Støtteordninger, turnéplanlegging og digital formidling.",
    ),
    (
        "most",
        "MØST",
        "MØST – Møre og Romsdal musikkontor",
        "Møre og Romsdal",
        "Musikkontoret for Møre og Romsdal.",
        "Nettverk, mentorordninger og søknadshjelp.",
    ),
    (
        "ryk",
        "RYK",
        "RYK – Rytmisk kompetansesenter i Nord-Norge",
        "Nord-Norge",
        "Kompetansesenter for rytmisk musikk i nord.",
        "Turné i nord, samisk musikk, digital utgivelse.",
    ),
]

PARTNERS = [
    (
        "gramart",
        "Gramart",
        "Gramart – artistenes interesseorganisasjon",
        "Interesseorganisasjon for artister og låtskrivere.",
        "Kontrakter, rettigheter og vederlag for artister.",
        "https://gramart.example.no",
    ),
    (
        "musikernes-fellesorganisasjon",
        "MFO",
        "Musikernes fellesorganisasjon",
        "Fagforening for musikere og andre som jobber med musikk.",
        "Arbeidsrett, ansettelser, forsikring og juridisk bistand.",
        "https://mfo.example.no",
    ),
    (
        "kulturradet",
        "Kulturrådet",
        "Norsk kulturråd",
        "Forvalter statlige tilskuddsordninger til kunst og kultur.",
        "Tilskudd og støtteordninger for musikkprosjekter.",
        "https://kulturradet.example.no",
    ),
    (
        "nav-selvstendig",
        "NAV",
        "NAV – for selvstendig næringsdrivende og frilansere",
        "Offentlige ytelser og inntektssikring.",
        "Inntektssikring for selvstendig næringsdrivende og frilansere, dagpenger og sykepenger.",
        "https://nav.example.no",
    ),
]


def _user(email: str, name: str, language: str = "nb") -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    user.display_name = name
    user.preferred_language = language
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed(stdout) -> None:
    for slug, short, name, region, description, helps in OFFICES:
        office, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "short_name": short,
                "name": name,
                "kind": Organisation.Kind.OFFICE,
                "region": region,
                "description": description,
                "helps_with": helps,
                "contact_email": f"post@{slug}.example.no",
                "website": f"https://{slug}.example.no",
            },
        )
        organiser = _user(f"arrangor@{slug}.example.no", f"Arrangør {short}")
        Membership.objects.get_or_create(user=organiser, organisation=office, defaults={"role": Membership.Role.ADMIN})
    for slug, short, name, description, helps, website in PARTNERS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "short_name": short,
                "name": name,
                "kind": Organisation.Kind.PARTNER,
                "description": description,
                "helps_with": helps,
                "website": website,
            },
        )
    _user("deltaker@example.no", "Kari Deltaker")
    _user("participant@example.com", "Sam Participant", language="en")
    stdout.write("Demo users (development only), password: " + DEMO_PASSWORD)
    for slug, *_rest in OFFICES:
        stdout.write(f"  organiser: arrangor@{slug}.example.no")
    stdout.write("  participant: deltaker@example.no (Bokmål), participant@example.com (English)")
