"""Demo data for the one-command run. Safe to run twice: everything is looked up by
a natural key (slug or email) and updated in place.

It lives in `library`, the top of the app stack, because it seeds every app below.
"""

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or update the demo offices, users, sessions, courses and resources."

    def handle(self, *args, **options):
        from accounts import demo as accounts_demo

        steps = [accounts_demo]
        for module_name in ("webinars.demo", "courses.demo", "registrations.demo", "library.demo"):
            try:
                module = __import__(module_name, fromlist=["seed"])
            except ModuleNotFoundError:
                continue
            steps.append(module)
        with transaction.atomic():
            for module in steps:
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
