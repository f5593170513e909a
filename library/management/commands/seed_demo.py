"""Demo data for the one-command run. Safe to run twice: everything is looked up by
a natural key (slug or email) and updated in place.

It lives in `library`, the top of the app stack, because it seeds every app below.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from courses import demo as courses_demo
from library import demo as library_demo
from registrations import demo as registrations_demo
from webinars import demo as webinars_demo


class Command(BaseCommand):
    help = "Create or update the demo offices, users, sessions, courses and resources."

    def handle(self, *args, **options):
        # Up the app stack: each app's demo data builds on the ones below it.
        steps = [accounts_demo, webinars_demo, courses_demo, registrations_demo, library_demo]
        with transaction.atomic():
            for module in steps:
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
