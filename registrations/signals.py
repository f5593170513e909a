"""Signals the registrations side sends, so apps above it (feedback, following, insight) can
erase or count their own data without this app naming them.

- `registrations_anonymised(registration_ids, now)`: sent inside the transaction that
  anonymised these registrations (an erasure or the retention task). A receiver removes what
  names the person in its own tables for those registrations; it runs in the same transaction.
- `person_erased(email, user, organisation)`: sent after a person's data was erased
  (`registrations.erasure.person_erase`): the address (may be empty), the account (or None),
  and the office when an organiser erased a registrant of their own offerings only (then only
  that office's data is to be removed). A receiver removes what it holds about that person.
"""

from django.dispatch import Signal

registrations_anonymised = Signal()
person_erased = Signal()
