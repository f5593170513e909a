from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from config import offering_workspace, pages, workspace_home

# The admin signs in through allauth's login, never its own form: the same rate limits as the
# site's login, and the second factor for those who turned it on.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", accounts_views.healthz, name="healthz"),
    path("sprak/", accounts_views.set_language, name="set_language"),
    path("organisasjoner/", pages.organisation_list, name="organisation_list"),
    path("organisasjoner/<slug:slug>/", pages.organisation_detail, name="organisation_detail"),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("arbeidsrom/", workspace_home.workspace, name="workspace"),
    path("", include("webinars.urls")),
    path("", include("courses.urls")),
    path("", include("registrations.urls")),
    path("", include("library.urls")),
    path("", include("outcomes.urls")),
    path("", include("insight.urls")),
    path("", include("following.urls")),
    path("", include("webinars.feed_urls")),
    path("", include("sharing.urls")),
    path("", include("api.urls")),
]

# An offering's page in the workspace and its cancel confirmation, at its webinar's address and
# at its course's (config/offering_workspace.py).
for kind, prefix in (("session", "arbeidsrom/webinarer"), ("course", "arbeidsrom/kurs")):
    urlpatterns += [
        path(
            f"{prefix}/<int:pk>/oversikt/",
            offering_workspace.workspace_offering,
            {"kind": kind},
            name=f"workspace_{kind}_overview",
        ),
        path(
            f"{prefix}/<int:pk>/avlys/",
            offering_workspace.workspace_offering_cancel,
            {"kind": kind},
            name=f"workspace_{kind}_cancel",
        ),
    ]

urlpatterns.append(
    path(
        "arbeidsrom/foredragsholdere/<int:pk>/slett/",
        offering_workspace.workspace_speaker_erase,
        name="workspace_speaker_erase",
    )
)

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns.append(path("bench/", include("bench.urls")))

# Uploaded documents are never served from MEDIA_URL, not even in development: they are
# downloaded through library views that check who may see them.
