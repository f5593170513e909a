from django.core.management.base import BaseCommand

from library.models import SearchEntry
from library.search_index import search_index_rebuild


class Command(BaseCommand):
    help = "Index every webinar, course, resource and organisation for the site search again."

    def handle(self, *args, **options):
        search_index_rebuild()
        self.stdout.write(f"{SearchEntry.objects.count()} items indexed.")
