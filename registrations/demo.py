"""Demo registrations for the demo participants on seeded sessions (idempotent)."""

from accounts.models import User
from registrations.models import Registration
from registrations.services import RegistrationClosed, registration_create
from webinars.models import Session


def seed(stdout) -> None:
    participants = list(User.objects.filter(email__in=["deltaker@example.no", "participant@example.com"]))
    sessions = list(Session.objects.published().upcoming().standalone().order_by("starts_at")[:3])
    if not participants or not sessions:
        stdout.write("No demo participants or upcoming sessions: no demo registrations.")
        return
    created = 0
    for user in participants:
        for session in sessions:
            if Registration.objects.filter(offering=session.offering, email__iexact=user.email).exists():
                continue
            try:
                registration_create(
                    offering=session.offering,
                    user=user,
                    name=user.get_full_name(),
                    email=user.email,
                    language=user.preferred_language,
                    answers={},
                )
            except RegistrationClosed:
                continue
            created += 1
    stdout.write(f"Demo registrations: {created} new.")
