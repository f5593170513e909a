from django.urls import path

from webinars import views

urlpatterns = [
    path("webinarer/", views.session_list, name="session_list"),
    path("arbeidsrom/", views.workspace, name="workspace"),
]
