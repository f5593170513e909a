"""What the platform holds about a signed-in person, gathered for "Min konto" and its download
(JSON and a readable HTML page): the profile, every registration made with the account or its
address (with answers and attendance), and the emails sent to the address that the outbox
still remembers (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from registrations.forms import answer_display
from registrations.models import Notification, ParticipantProfile, Registration

# What apps above registrations hold about a person (following: the offices and topics they
# follow), each under its own key: registered from their AppConfig.ready, so this module never
# names them. `collect(user)` returns what goes into the download; `template` shows it in the
# readable (HTML) download, given `data` as the JSON one has it.
PERSON_DATA_COLLECTORS: dict[str, Callable[[Any], Any]] = {}
PERSON_DATA_TEMPLATES: list[str] = []


def register_person_data(key: str, collect: Callable[[Any], Any], *, template: str) -> None:
    PERSON_DATA_COLLECTORS[key] = collect
    if template not in PERSON_DATA_TEMPLATES:
        PERSON_DATA_TEMPLATES.append(template)


def person_data(user, *, language: str = "nb") -> dict:
    registrations = (
        Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .not_erased()
        .select_related("offering__organisation", "audience")
        .prefetch_related("offering__questions", "join_links__session")
        .order_by("-created_at")
    )
    profile = ParticipantProfile.objects.filter(user=user).select_related("audience").first()
    data = {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "role": _audience_name(profile.audience if profile else None, language),
            "county": profile.get_county_display() if profile else "",
        },
        "registrations": [_registration(r, language) for r in registrations],
        "emails": [
            {
                "kind": n.get_kind_display(),
                "state": n.get_state_display(),
                "sent_at": _iso(n.sent_at),
                "due_at": _iso(n.due_at),
            }
            for n in Notification.objects.filter(to_email__iexact=user.email).order_by("-due_at", "-id")
        ],
    }
    for key, collect in PERSON_DATA_COLLECTORS.items():
        data[key] = collect(user)
    return data


def _audience_name(audience, language: str) -> str:
    if audience is None:
        return ""
    return audience.name_en if language == "en" and audience.name_en else audience.name


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _registration(registration: Registration, language: str) -> dict:
    offering = registration.offering
    questions = list(offering.questions.all())
    return {
        "offering": offering.title,
        "office": offering.organisation.name,
        "name": registration.name,
        "email": registration.email,
        "status": registration.get_status_display(),
        "created_at": _iso(registration.created_at),
        "confirmed_at": _iso(registration.confirmed_at),
        "cancelled_at": _iso(registration.cancelled_at),
        "role": _audience_name(registration.audience, language),
        "county": registration.get_county_display(),
        "answers": [
            {
                "question": q.label_en if language == "en" and q.label_en else q.label,
                "answer": answer_display(q, registration.answers.get(str(q.pk)), language),
            }
            for q in questions
            if str(q.pk) in registration.answers
        ],
        "attendance": [
            {
                "session": link.session.title,
                "first_joined_at": _iso(link.first_joined_at),
                "join_count": link.join_count,
            }
            for link in registration.join_links.all()
        ],
    }
