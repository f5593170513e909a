from django.urls import path

from insight import views

urlpatterns = [
    path("arbeidsrom/innsikt/", views.office_dashboard, name="insight_office"),
    path("arbeidsrom/innsikt/fylke/", views.office_county_setting, name="insight_county_setting"),
    path("arbeidsrom/innsikt/nasjonalt/", views.national_dashboard, name="insight_national"),
    path("arbeidsrom/innsikt/nasjonalt/innsikt.csv", views.national_export, {"fmt": "csv"}, name="insight_csv"),
    path("arbeidsrom/innsikt/nasjonalt/innsikt.xlsx", views.national_export, {"fmt": "xlsx"}, name="insight_xlsx"),
]
