from django.urls import path

from library import views

urlpatterns = [
    path("ressursbank/", views.library_index, name="library_index"),
]
