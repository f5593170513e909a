"""What the registration page reads of an offering, kept in each process between edits.

A registration rush is hundreds of people opening and submitting one page within minutes,
and what that page reads of the offering is the same for all of them: the session or course
with its offering and office, the sessions, the organiser's questions and the audiences the
optional role is chosen from. Those rows change only when an organiser edits them, and
every such edit replaces the offerings' settings version (`webinars.page_cache`,
SETTINGS_VERSION_KEY: the catalogue's receivers and the services' explicit bumps; the
registration services' seat changes do not). So each process keeps what it read under the
version it read *before* reading the rows, and a request pays one cache read instead of
three or four queries. A stale copy can only sit under a version that is no longer current,
as with the catalogue's fragments (docs/performance.md, "The catalogue cache").

What is not kept: the seats taken (read fresh when the page is shown; a submit's seat is
decided by the offering's conditional UPDATE, which also re-checks that it is published) and
everything about the visitor. Each request gets its own copy of the rows (unpickled), so
nothing a request sets on them reaches another.
"""

from __future__ import annotations

import logging
import pickle
import threading
from dataclasses import dataclass, field

from django.http import Http404

from registrations.models import Question
from webinars.models import Audience, Course, Offering, Session, Status
from webinars.page_cache import offering_settings_version

logger = logging.getLogger(__name__)

PUBLIC = [Status.PUBLISHED, Status.CANCELLED]
# Pages kept per process; past this the whole store is dropped and refilled on demand.
MAX_PAGES = 500


@dataclass
class RegistrationPage:
    kind: str  # "session" or "course"
    offering: Offering | None = None  # with its organisation
    sessions: list[Session] = field(default_factory=list)  # in order; a webinar's one session
    questions: list[Question] = field(default_factory=list)
    audiences: list[Audience] = field(default_factory=list)
    # A course's session is registered for through its course: the course's slug.
    course_slug: str = ""


_pages: dict[tuple[str, str], tuple[str, bytes]] = {}
_lock = threading.Lock()


def _read(kind: str, slug: str) -> RegistrationPage:
    if kind == "session":
        try:
            session = Session.objects.filter(status__in=PUBLIC).select_related("offering__organisation").get(slug=slug)
        except Session.DoesNotExist:
            raise Http404 from None
        if session.offering.is_course:
            return RegistrationPage(kind=kind, course_slug=session.offering.course.slug)
        offering = session.offering
        # A webinar is its one session: its page and its registration need no second read.
        offering.presentation = session
        sessions = [session]
    else:
        try:
            course = (
                Course.objects.filter(offering__status__in=PUBLIC)
                .select_related("offering__organisation")
                .get(slug=slug)
            )
        except Course.DoesNotExist:
            raise Http404 from None
        offering = course.offering
        sessions = list(offering.sessions_in_order())
    return RegistrationPage(
        kind=kind,
        offering=offering,
        sessions=sessions,
        questions=list(Question.objects.filter(offering=offering)),
        audiences=list(Audience.objects.only("pk", "name", "name_en")),
    )


def registration_page(kind: str, slug: str) -> RegistrationPage:
    """The registration page's rows for the session or course `slug` (`kind` "session" or
    "course"), a copy of this process's stored ones when the settings version is unchanged.
    Raises Http404 for one that is not published or cancelled."""
    try:
        version = offering_settings_version()
    except Exception:  # the store is an optimisation: without the cache, read the rows
        logger.warning("Cache unavailable; the registration page reads its rows", exc_info=True)
        return _read(kind, slug)
    key = (kind, slug)
    stored = _pages.get(key)
    if stored is not None and stored[0] == version:
        return pickle.loads(stored[1])
    page = _read(kind, slug)
    data = pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
    with _lock:
        if len(_pages) >= MAX_PAGES:
            _pages.clear()
        _pages[key] = (version, data)
    return pickle.loads(data)


def fresh_seats(offering: Offering) -> None:
    """Give the page's copy of `offering` its seats taken as they are now (the stored copy's
    are as they were when it was read)."""
    offering.seats_taken = Offering.objects.values_list("seats_taken", flat=True).get(pk=offering.pk)
