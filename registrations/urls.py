from django.urls import path

from registrations import views

urlpatterns = [
    path("mine-pameldinger/", views.my_registrations, name="my_registrations"),
]
