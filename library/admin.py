from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from library.models import Contributor, Resource

# Read-only: publishing goes through library/services.py, which checks the performers'
# consent and the rights first (see webinars/admin.py).


class ContributorInline(ReadOnlyInline):
    model = Contributor


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "organisation", "status", "visibility", "published_at", "reviewed_at"]
    list_filter = ["kind", "status", "visibility", "organisation", "language"]
    search_fields = ["title", "summary"]
    inlines = [ContributorInline]
