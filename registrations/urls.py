from django.urls import path, register_converter

from registrations import account_views, privacy_views, views


class TokenConverter:
    """A secret token of a link (new_token, the calendar token): secrets.token_urlsafe's
    alphabet only. Anything else is no page (404) and never reaches a query: PostgreSQL
    refuses a NUL byte with an error, not an empty result (found by the crawler)."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

urlpatterns = [
    path("webinarer/<slug:slug>/pamelding/", views.session_register, name="session_register"),
    path("kurs/<slug:slug>/pamelding/", views.course_register, name="course_register"),
    path("pamelding/sjekk-e-post/", views.registration_optin_sent, name="registration_optin_sent"),
    path("pamelding/bekreft/<token:token>/", views.registration_optin, name="registration_optin"),
    path("pamelding/avmeld/<token:manage_token>/", views.registration_cancel, name="registration_cancel"),
    path("pamelding/<token:manage_token>/", views.registration_detail, name="registration_detail"),
    path("pamelding/<token:manage_token>/slett/", privacy_views.registration_erase, name="registration_erase"),
    path("personvern/", privacy_views.privacy_notice, name="privacy"),
    path("personvern/slett/<token:token>/", privacy_views.erasure_confirm, name="erasure_confirm"),
    path("mine-pameldinger/", views.my_registrations, name="my_registrations"),
    path("min-konto/", account_views.my_account, name="my_account"),
    path(
        "min-konto/mine-opplysninger.json", account_views.my_account_download, {"fmt": "json"}, name="my_account_json"
    ),
    path(
        "min-konto/mine-opplysninger.html", account_views.my_account_download, {"fmt": "html"}, name="my_account_html"
    ),
    path("min-konto/slett/", account_views.my_account_delete, name="my_account_delete"),
    path("join/<token:token>/", views.join, name="join"),
    path("arbeidsrom/sporsmal/<int:pk>/", views.workspace_question_edit, name="workspace_question_edit"),
    path("arbeidsrom/sporsmal/<int:pk>/slett/", views.workspace_question_delete, name="workspace_question_delete"),
]

# Invites, reminders, organiser messages and calendar feeds (the mail helper's views).
from registrations import feeds, message_views  # noqa: E402

urlpatterns += [
    path("arbeidsrom/meldinger/<int:pk>/", message_views.workspace_message_detail, name="workspace_message_detail"),
    path(
        "paminnelser/avslutt/<token:manage_token>/", message_views.reminders_unsubscribe, name="reminders_unsubscribe"
    ),
    path("kalender/<token:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("join/<token:token>/kalender.ics", feeds.join_ics, name="join_ics"),
    path("mine-pameldinger/kalender/", feeds.calendar_settings, name="calendar_settings"),
    path("mine-pameldinger/kalender/ny-lenke/", feeds.calendar_token_regenerate, name="calendar_token_regenerate"),
]

# An offering's organiser pages, at its webinar's address and at its course's: the views find
# the offering behind either (registrations/offering_pages.py).
for kind, prefix in (("session", "arbeidsrom/webinarer"), ("course", "arbeidsrom/kurs")):
    urlpatterns += [
        path(
            f"{prefix}/<int:pk>/pameldinger/",
            views.workspace_registrations,
            {"kind": kind},
            name=f"workspace_{kind}_registrations",
        ),
        path(
            f"{prefix}/<int:pk>/pameldinger.csv",
            views.workspace_registrations_csv,
            {"kind": kind},
            name=f"workspace_{kind}_registrations_csv",
        ),
        path(
            f"{prefix}/<int:pk>/sporsmal/",
            views.workspace_questions,
            {"kind": kind},
            name=f"workspace_{kind}_questions",
        ),
        path(
            f"{prefix}/<int:pk>/meldinger/",
            message_views.workspace_messages,
            {"kind": kind},
            name=f"workspace_{kind}_messages",
        ),
        path(
            f"{prefix}/<int:pk>/paminnelser/",
            message_views.workspace_reminders,
            {"kind": kind},
            name=f"workspace_{kind}_reminders",
        ),
    ]
