from django.urls import path

from api import views

urlpatterns = [
    path("api/v1/docs/", views.api_docs, name="api_docs"),
    path("api/v1/", views.api.urls),
]
