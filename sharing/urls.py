from django.urls import path

from sharing import views

urlpatterns = [
    path("deling/bilde/<str:kind>/<slug:key>.png", views.share_image, name="share_image"),
    path("innbygging/tema/<slug:slug>/", views.embed_topic, name="embed_topic"),
    path("innbygging/<slug:slug>/", views.embed_office, name="embed_office"),
    path("arbeidsrom/innbygging/", views.workspace_embed, name="workspace_embed"),
]
