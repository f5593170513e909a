from django.urls import path

from outcomes import views

urlpatterns = [
    path("tilbakemelding/<str:token>/", views.feedback_survey, name="feedback_survey"),
    path("kursbevis/last-ned/<str:token>/", views.certificate_download, name="certificate_download"),
    path("kursbevis/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
