"""A small catalogue written the way the offices write: the evaluation set and the search
page's tests search it. Each item has a key the tests name it by."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from library.models import Resource
from library.tests.factories import RecordingFactory, ResourceFactory
from webinars.models import Organisation, Status
from webinars.tests.factories import AudienceFactory, CourseFactory, SessionFactory, SpeakerFactory, TopicFactory


def build_corpus() -> dict[str, object]:
    now = timezone.now()
    brak = OrganisationFactory(
        name="Brak – musikkontor for Vestland",
        short_name="Brak",
        slug="brak",
        region="Vestland",
        contact_email="post@brak.example.no",
        helps_with="Rådgivning om booking, utgivelse og søknader.",
    )
    oks = OrganisationFactory(
        name="Østnorsk kultursamvirke",
        short_name="ØKS",
        slug="oks",
        region="Innlandet",
        contact_email="post@oks.example.no",
    )
    gramart = OrganisationFactory(
        name="Gramart",
        short_name="Gramart",
        slug="gramart",
        kind=Organisation.Kind.PARTNER,
        description="Interesseorganisasjon for artister: vederlag fra Gramo og avtaler med plateselskap.",
    )
    t = {
        slug: TopicFactory(slug=slug, name=name, name_en=en)
        for slug, name, en in [
            ("utgivelse", "Utgivelse", "Releasing music"),
            ("inntekt", "Inntekt", "Income"),
            ("stotteordninger", "Støtteordninger", "Grants and support schemes"),
            ("stromming", "Strømming", "Streaming"),
            ("rettigheter", "Rettigheter", "Rights"),
            ("skatt-og-trygd", "Skatt og trygd", "Tax and social security"),
        ]
    }
    a = {
        slug: AudienceFactory(slug=slug, name=name, name_en=en)
        for slug, name, en in [
            ("selvstendig", "Selvstendig næringsdrivende", "Self-employed"),
            ("frilanser", "Frilanser", "Freelancer"),
            ("arrangor", "Arrangør", "Promoter"),
            ("selskap", "Plateselskap og management", "Record label and management"),
        ]
    }

    def resource(key, title, *, topics=(), audiences=(), factory=ResourceFactory, **kwargs):
        kwargs.setdefault("organisation", brak)
        item = factory(title=title, slug=key, **kwargs)
        item.topics.set([t[s] for s in topics])
        item.audiences.set([a[s] for s in audiences])
        return item

    items: dict[str, object] = {"brak": brak, "oks": oks, "gramart": gramart}
    items["kompensasjon"] = resource(
        "kompensasjon",
        "Kompensasjonsordninger for kulturlivet",
        summary="Hvem kan søke, og hvordan regnes tapet ut?",
        body="Ordningene gjelder arrangører og utøvere.",
        topics=["stotteordninger", "inntekt"],
        audiences=["selvstendig", "arrangor"],
    )
    items["strommetjenester"] = resource(
        "strommetjenester",
        "Slik får du betalt fra strømmetjenestene",
        summary="Spotify, Tidal og Apple Music: hvem betaler hva.",
        body="Avregning skjer via distributøren.",
        topics=["stromming", "inntekt"],
    )
    items["utgivelse-guide"] = resource(
        "utgivelse-guide",
        "Planlegg utgivelsen din",
        kind=Resource.Kind.GUIDE,
        summary="Fra ferdig miks til lanseringsdag.",
        body="Sett av tre måneder før slippet.",
        topics=["utgivelse"],
        audiences=["selvstendig", "frilanser"],
    )
    items["enk-skatt"] = resource(
        "enk-skatt",
        "Enkeltpersonforetak og skattemeldingen",
        summary="Fradrag, forskuddsskatt og merverdiavgift for musikere.",
        body="Næringsoppgaven fylles ut hvert år.",
        topics=["skatt-og-trygd"],
        audiences=["selvstendig"],
    )
    items["sykepenger"] = resource(
        "sykepenger",
        "Sykepenger når du er både ansatt og selvstendig",
        summary="Slik beregner NAV sykepengene dine.",
        topics=["skatt-og-trygd"],
        audiences=["selvstendig"],
    )
    items["vederlag"] = resource(
        "vederlag",
        "Vederlag fra Gramo og TONO",
        kind=Resource.Kind.LINK,
        url="https://www.gramo.no/",
        summary="Slik registrerer du innspillingene dine og får pengene du har krav på.",
        topics=["rettigheter", "inntekt"],
        partner=gramart,
    )
    items["kontrakter"] = resource(
        "kontrakter",
        "Avtaler med plateselskap",
        summary="Hva bør stå i en platekontrakt?",
        topics=["rettigheter"],
        audiences=["selskap"],
        organisation=oks,
    )
    items["english-guide"] = resource(
        "english-guide",
        "Getting paid for your music in Norway",
        language="en",
        summary="Royalties, grants and taxes explained in English.",
        topics=["inntekt", "rettigheter"],
    )
    items["opptak-booking"] = resource(
        "opptak-booking",
        "Opptak: Booking av egen turné",
        factory=RecordingFactory,
        summary="Webinaropptak om å booke konserter selv.",
        transcript="Vi snakker om spillesteder, honorar og kontrakter.",
    )
    # Must never be found.
    items["draft"] = resource("draft", "Utkast om strømming", status=Resource.Status.DRAFT, topics=["stromming"])
    items["registrants"] = resource(
        "registrants", "Lukket opptak om strømming", visibility=Resource.Visibility.REGISTRANTS, topics=["stromming"]
    )

    def session(key, title, *, days, topics=(), audiences=(), **kwargs):
        kwargs.setdefault("description", "")
        starts = (now + timedelta(days=days)).replace(second=0, microsecond=0)
        item = SessionFactory(
            title=title, slug=key, starts_at=starts, organisation=kwargs.pop("organisation", brak), **kwargs
        )
        item.topics.set([t[s] for s in topics])
        item.audiences.set([a[s] for s in audiences])
        return item

    items["webinar-stromming"] = session(
        "webinar-stromming",
        "Strømming for artister: slik fungerer utbetalingene",
        days=10,
        summary="Vi går gjennom avregning fra strømmetjenestene.",
        description="For deg som gir ut musikk selv.",
        topics=["stromming", "inntekt"],
        audiences=["frilanser"],
    )
    SpeakerFactory(session=items["webinar-stromming"], name="Kari Nordmann")
    items["webinar-skatt"] = session(
        "webinar-skatt",
        "Skatt for selvstendig næringsdrivende musikere",
        days=20,
        summary="Forskuddsskatt, fradrag og mva.",
        topics=["skatt-og-trygd"],
        audiences=["selvstendig"],
        organisation=oks,
    )
    items["webinar-past"] = session(
        "webinar-past",
        "Booking av konserter i Norden",
        days=-30,
        summary="Slik når du arrangører i nabolandene.",
        audiences=["arrangor"],
    )
    items["webinar-past-recording"] = RecordingFactory(
        title="Opptak fra bookingwebinaret",
        slug="opptak-booking-norden",
        session=items["webinar-past"],
        organisation=brak,
    )
    items["webinar-draft"] = session("webinar-draft", "Hemmelig strømmeseminar", days=5, status=Status.DRAFT)
    course = CourseFactory(
        title="Gi ut musikk på egen hånd",
        slug="kurs-utgivelse",
        organisation=oks,
        summary="Fire kvelder om innspilling, distribusjon og lansering.",
    )
    course.topics.set([t["utgivelse"]])
    course.audiences.set([a["selvstendig"]])
    SessionFactory(
        title="Del 1: Distribusjon",
        slug="kurs-utgivelse-1",
        organisation=oks,
        offering=course.offering,
        starts_at=(now + timedelta(days=14)).replace(second=0, microsecond=0),
    )
    course.save()
    items["course"] = course
    return items
