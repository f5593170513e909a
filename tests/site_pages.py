"""One demo-like site and the pages of every kind of visitor on it, for the browser tests
that walk all pages (tests/test_csp_browser.py, tests/test_layout_browser.py)."""

from __future__ import annotations

from accounts.tests.factories import UserFactory
from library.tests.factories import ContributorFactory, PastSessionFactory, RecordingFactory, ResourceFactory
from registrations.models import Registration
from registrations.tests.factories import JoinLinkFactory, QuestionFactory, RegistrationFactory
from webinars.tests.factories import AudienceFactory, SessionFactory, SpeakerFactory, TopicFactory, course_with_sessions

LONG_TITLE = "Økonomi for selvstendige musikere: avtaler, royalties, strømmeinntekter og merverdiavgift"
DESCRIPTION = "\n\n".join(
    ["## Hva vi går gjennom"]
    + [f"Del {n}: avtaler, rettigheter, inntekter fra strømming og hva du kan gjøre selv." for n in range(1, 13)]
)
LONG_ANSWER = (
    "Jeg spiller bass og synth i tre band, driver et lite plateselskap ved siden av og lurer særlig "
    "på hvordan jeg fører inntekter fra strømming, konserter og undervisning i samme regnskap."
)


def build_site(office, participant) -> dict:
    """Sessions with long titles, topics and audiences; a course; an offering with three
    questions, long answers and a waitlist; a past session with a recording; a guide."""
    topic = TopicFactory(slug="stromming", name="Strømming")
    audience = AudienceFactory(slug="frilanser", name="Frilanser")
    session = SessionFactory(organisation=office, title="Strømming og inntekter", capacity=2, description=DESCRIPTION)
    session.topics.add(topic)
    session.audiences.add(audience)
    SpeakerFactory(session=session)
    for n in range(3):
        other = SessionFactory(organisation=office, title=f"{LONG_TITLE} ({n + 1})")
        other.topics.add(topic)
    questions = [
        QuestionFactory(offering=session.offering, label="Instrument"),
        QuestionFactory(offering=session.offering, label="Hva vil du helst at vi skal ta opp i webinaret?"),
        QuestionFactory(offering=session.offering, label="Har du erfaring med å søke støtte fra fond før?"),
    ]
    answers = {str(q.pk): LONG_ANSWER for q in questions}
    registration = RegistrationFactory(session=session, user=participant, email=participant.email, answers=answers)
    RegistrationFactory(
        session=session,
        name="Andreas Christoffer Johannessen-Bergersen",
        email="andreas.christoffer.johannessen-bergersen@musikkontor-eksempel.no",
        answers=answers,
    )
    RegistrationFactory(
        session=session,
        name="Venter Venteliste",
        email="venter@example.no",
        status=Registration.Status.WAITLISTED,
        answers=answers,
    )
    link = JoinLinkFactory(registration=registration, session=session)
    course = course_with_sessions(2, organisation=office, title="Kurs i låtskriving", description=DESCRIPTION)
    past = PastSessionFactory(organisation=office, title="Skattekveld")
    recording = RecordingFactory(organisation=office, session=past, slug="opptak-skattekveld", title="Opptak")
    ContributorFactory(resource=recording)
    guide = ResourceFactory(organisation=office, slug="veileder", title="Veileder", body="## Søknad\n\nTekst.")
    guide.topics.add(topic)
    return {
        "session": session,
        "course": course,
        "registration": registration,
        "link": link,
        "past": past,
        "recording": recording,
        "guide": guide,
        "office": office,
    }


def anonymous_paths(site: dict) -> list[str]:
    session, course = site["session"], site["course"]
    registration = site["registration"]
    return [
        "/",
        "/webinarer/",
        "/webinarer/?tema=stromming&sprak=nb",
        "/webinarer/?kontor=office-a&fra=2000-01-01&side=2",
        f"/webinarer/{session.slug}/",
        f"/webinarer/{session.slug}/pamelding/",
        f"/webinarer/{site['past'].slug}/",
        "/webinarer/arkiv/",
        "/kurs/",
        f"/kurs/{course.slug}/",
        f"/kurs/{course.slug}/pamelding/",
        "/organisasjoner/",
        f"/organisasjoner/{site['office'].slug}/",
        "/ressursbank/",
        "/ressursbank/?sporsmal=gi-ut-musikk&type=guide",
        f"/ressursbank/{site['guide'].slug}/",
        "/aktuelt/",
        "/sok/?q=str%C3%B8mming",
        "/sok/?q=stromming&vis=ressurser",
        "/sok/?q=finnesikkeiarkivet",
        "/ressursbank/?malgruppe=selvstendig",
        "/personvern/",
        f"/innbygging/{site['office'].slug}/",
        "/hjelp/kalender/",
        "/api/v1/docs/",
        f"/folg/?kontor={site['office'].slug}",
        "/pamelding/sjekk-e-post/",
        f"/pamelding/{registration.manage_token}/",
        f"/pamelding/avmeld/{registration.manage_token}/",
        f"/join/{site['link'].token}/",
        "/finnes-ikke/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
    ]


def participant_paths(site: dict) -> list[str]:
    return [
        "/mine-pameldinger/",
        "/mine-pameldinger/kalender/",
        "/min-konto/",
        "/min-konto/slett/",
        "/min-konto/folger/",
        "/konto/email/",
        "/konto/password/change/",
        "/konto/2fa/",
        "/konto/2fa/totp/activate/",  # the QR code is a data: image
    ]


def organiser_paths(site: dict) -> list[str]:
    session, course, recording = site["session"], site["course"], site["recording"]
    return [
        "/arbeidsrom/",
        "/arbeidsrom/innbygging/",
        "/arbeidsrom/webinarer/ny/",
        f"/arbeidsrom/webinarer/{session.pk}/",
        f"/arbeidsrom/webinarer/{session.pk}/endre/",
        f"/arbeidsrom/webinarer/{session.pk}/flytt/",
        f"/arbeidsrom/webinarer/{session.pk}/dupliser/",
        f"/arbeidsrom/webinarer/{session.pk}/avlys/",
        f"/arbeidsrom/webinarer/{session.pk}/pameldinger/",
        f"/arbeidsrom/webinarer/{session.pk}/sporsmal/",
        f"/arbeidsrom/webinarer/{session.pk}/meldinger/",
        f"/arbeidsrom/webinarer/{session.pk}/paminnelser/",
        "/arbeidsrom/kurs/ny/",
        f"/arbeidsrom/kurs/{course.pk}/",
        f"/arbeidsrom/kurs/{course.pk}/endre/",
        f"/arbeidsrom/kurs/{course.pk}/okter/",
        f"/arbeidsrom/kurs/{course.pk}/pameldinger/",
        "/arbeidsrom/innsikt/",
        "/arbeidsrom/ressurser/",
        "/arbeidsrom/ressurser/ny/",
        f"/arbeidsrom/ressurser/{recording.pk}/",
        f"/arbeidsrom/ressurser/{recording.pk}/samtykke/",
        # the video player: a frame from youtube-nocookie.com, allowed by frame-src
        f"/ressursbank/{recording.slug}/?spill=1",
    ]


def staff_user():
    return UserFactory(email="drift@example.no", is_staff=True, is_superuser=True)
