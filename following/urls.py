from django.urls import path

from following import views

urlpatterns = [
    path("folg/", views.follow_page, name="following"),
    path("folg/kontor/<slug:slug>/", views.follow_toggle, {"kind": "kontor"}, name="follow_office"),
    path("folg/tema/<slug:slug>/", views.follow_toggle, {"kind": "tema"}, name="follow_topic"),
    path("folg/bekreft/<token:token>/", views.follow_confirm, name="following_confirm"),
    path("folg/administrer/<token:token>/", views.follow_manage, name="following_manage"),
    path("folg/avmeld/<token:token>/", views.follow_unsubscribe, name="following_unsubscribe"),
    path("min-konto/folger/", views.my_follows, name="my_follows"),
]
