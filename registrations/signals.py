"""Signals the registrations side sends, so apps above it (feedback, following, insight) can
erase or count their own data without this app naming them.

- `registrations_anonymised(registration_ids, now)`: sent inside the transaction that
  anonymised these registrations (an erasure or the retention task). A receiver removes what
  names the person in its own tables for those registrations; it runs in the same transaction.
- `person_erased(email, user, organisation)`: sent after a person's data was erased
  (`registrations.erasure.person_erase`): the address (may be empty), the account (or None),
  and the office when an organiser erased a registrant of their own offerings only (then only
  that office's data is to be removed). A receiver removes what it holds about that person.
- `registration_links(registrations, session)`: asked while building what a person sees about
  their registrations: "Mine påmeldinger" (`session` None) and the follow-up email after a
  session (`session` that session). Each receiver returns `{registration_id: [{"label": str,
  "url": str, "text": str}]}` (paths on this site; `text` optional, a sentence before the link),
  in the active language, and reads only what the caller loaded (`registration_links_collect`).
"""

from django.dispatch import Signal

from registrations.models import Registration

registrations_anonymised = Signal()
person_erased = Signal()
registration_links = Signal()


def registration_links_collect(*, registrations, session=None) -> dict[int, list[dict]]:
    """What the apps above add under each registration (see `registration_links`), merged in
    the order the receivers connected."""
    merged: dict[int, list[dict]] = {}
    for _receiver, answer in registration_links.send(sender=Registration, registrations=registrations, session=session):
        for registration_id, links in (answer or {}).items():
            merged.setdefault(registration_id, []).extend(links)
    return merged
