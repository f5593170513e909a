from django.contrib import admin

from library.models import Contributor, Resource


class ContributorInline(admin.TabularInline):
    model = Contributor
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "status", "visibility", "published_at", "reviewed_at"]
    list_filter = ["kind", "status", "visibility", "organisation", "language"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "audiences", "related"]
    raw_id_fields = ["session", "course"]
    inlines = [ContributorInline]
