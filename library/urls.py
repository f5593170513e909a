from django.urls import path

from library import views
from library.feeds import AktueltFeed

urlpatterns = [
    path("sok/", views.site_search_page, name="site_search"),
    path("ressursbank/", views.library_index, name="library_index"),
    path("ressursbank/<slug:slug>/", views.resource_detail, name="resource_detail"),
    path("ressursbank/<slug:slug>/fil/", views.resource_download, name="resource_download"),
    path("aktuelt/", views.aktuelt, name="aktuelt"),
    path("aktuelt/feed/", AktueltFeed(), name="aktuelt_feed"),
    path("arbeidsrom/ressurser/", views.workspace_resources, name="workspace_resources"),
    path("arbeidsrom/ressurser/ny/", views.workspace_resource_create, name="workspace_resource_create"),
    path("arbeidsrom/ressurser/<int:pk>/", views.workspace_resource_edit, name="workspace_resource_edit"),
    path(
        "arbeidsrom/ressurser/<int:pk>/samtykke/", views.workspace_resource_consent, name="workspace_resource_consent"
    ),
    path(
        "arbeidsrom/ressurser/<int:pk>/publiser/", views.workspace_resource_publish, name="workspace_resource_publish"
    ),
    path(
        "arbeidsrom/ressurser/<int:pk>/avpubliser/",
        views.workspace_resource_unpublish,
        name="workspace_resource_unpublish",
    ),
    path(
        "arbeidsrom/ressurser/<int:pk>/gjennomgatt/",
        views.workspace_resource_review,
        name="workspace_resource_review",
    ),
]
