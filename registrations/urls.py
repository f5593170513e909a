from django.urls import path

from registrations import views

urlpatterns = [
    path("webinarer/<slug:slug>/pamelding/", views.session_register, name="session_register"),
    path("kurs/<slug:slug>/pamelding/", views.course_register, name="course_register"),
    path("pamelding/sjekk-e-post/", views.registration_optin_sent, name="registration_optin_sent"),
    path("pamelding/bekreft/<str:token>/", views.registration_optin, name="registration_optin"),
    path("pamelding/avmeld/<str:manage_token>/", views.registration_cancel, name="registration_cancel"),
    path("pamelding/<str:manage_token>/", views.registration_detail, name="registration_detail"),
    path("mine-pameldinger/", views.my_registrations, name="my_registrations"),
    path("join/<str:token>/", views.join, name="join"),
    path("arbeidsrom/sporsmal/<int:pk>/", views.workspace_question_edit, name="workspace_question_edit"),
    path("arbeidsrom/sporsmal/<int:pk>/slett/", views.workspace_question_delete, name="workspace_question_delete"),
]

# Invites, reminders, organiser messages and calendar feeds (the mail helper's views).
from registrations import feeds, message_views  # noqa: E402

urlpatterns += [
    path("arbeidsrom/meldinger/<int:pk>/", message_views.workspace_message_detail, name="workspace_message_detail"),
    path("paminnelser/avslutt/<str:manage_token>/", message_views.reminders_unsubscribe, name="reminders_unsubscribe"),
    path("kalender/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("join/<str:token>/kalender.ics", feeds.join_ics, name="join_ics"),
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
