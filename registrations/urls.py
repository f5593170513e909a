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
    path(
        "arbeidsrom/webinarer/<int:pk>/pameldinger/",
        views.workspace_session_registrations,
        name="workspace_session_registrations",
    ),
    path(
        "arbeidsrom/webinarer/<int:pk>/pameldinger.csv",
        views.workspace_session_registrations_csv,
        name="workspace_session_registrations_csv",
    ),
    path(
        "arbeidsrom/kurs/<int:pk>/pameldinger/",
        views.workspace_course_registrations,
        name="workspace_course_registrations",
    ),
    path(
        "arbeidsrom/kurs/<int:pk>/pameldinger.csv",
        views.workspace_course_registrations_csv,
        name="workspace_course_registrations_csv",
    ),
    path(
        "arbeidsrom/webinarer/<int:pk>/sporsmal/", views.workspace_session_questions, name="workspace_session_questions"
    ),
    path("arbeidsrom/kurs/<int:pk>/sporsmal/", views.workspace_course_questions, name="workspace_course_questions"),
    path("arbeidsrom/sporsmal/<int:pk>/", views.workspace_question_edit, name="workspace_question_edit"),
    path("arbeidsrom/sporsmal/<int:pk>/slett/", views.workspace_question_delete, name="workspace_question_delete"),
]

# Invites, reminders, organiser messages and calendar feeds (the mail helper's views).
from registrations import feeds, message_views  # noqa: E402

urlpatterns += [
    path(
        "arbeidsrom/webinarer/<int:pk>/meldinger/",
        message_views.workspace_session_messages,
        name="workspace_session_messages",
    ),
    path(
        "arbeidsrom/kurs/<int:pk>/meldinger/", message_views.workspace_course_messages, name="workspace_course_messages"
    ),
    path("arbeidsrom/meldinger/<int:pk>/", message_views.workspace_message_detail, name="workspace_message_detail"),
    path(
        "arbeidsrom/webinarer/<int:pk>/paminnelser/",
        message_views.workspace_session_reminders,
        name="workspace_session_reminders",
    ),
    path(
        "arbeidsrom/kurs/<int:pk>/paminnelser/",
        message_views.workspace_course_reminders,
        name="workspace_course_reminders",
    ),
    path("paminnelser/avslutt/<str:manage_token>/", message_views.reminders_unsubscribe, name="reminders_unsubscribe"),
    path("kalender/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("mine-pameldinger/kalender/", feeds.calendar_settings, name="calendar_settings"),
    path("mine-pameldinger/kalender/ny-lenke/", feeds.calendar_token_regenerate, name="calendar_token_regenerate"),
]
