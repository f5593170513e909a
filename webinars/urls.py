from django.urls import path

from webinars import views

urlpatterns = [
    path("webinarer/", views.session_list, name="session_list"),
    path("webinarer/arkiv/", views.session_archive, name="session_archive"),
    path("webinarer/<slug:slug>/", views.session_detail, name="session_detail"),
    path("arbeidsrom/webinarer/ny/", views.workspace_session_create, name="workspace_session_create"),
    path("arbeidsrom/webinarer/<int:pk>/", views.workspace_session_preview, name="workspace_session_preview"),
    path("arbeidsrom/webinarer/<int:pk>/endre/", views.workspace_session_edit, name="workspace_session_edit"),
    path("arbeidsrom/webinarer/<int:pk>/publiser/", views.workspace_session_publish, name="workspace_session_publish"),
    path(
        "arbeidsrom/webinarer/<int:pk>/flytt/", views.workspace_session_reschedule, name="workspace_session_reschedule"
    ),
    path(
        "arbeidsrom/webinarer/<int:pk>/dupliser/", views.workspace_session_duplicate, name="workspace_session_duplicate"
    ),
]
