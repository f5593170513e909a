from django.urls import path

from courses import views

urlpatterns = [
    path("kurs/", views.course_list, name="course_list"),
    path("kurs/<slug:slug>/", views.course_detail, name="course_detail"),
    path("arbeidsrom/kurs/ny/", views.workspace_course_create, name="workspace_course_create"),
    path("arbeidsrom/kurs/<int:pk>/", views.workspace_course_preview, name="workspace_course_preview"),
    path("arbeidsrom/kurs/<int:pk>/endre/", views.workspace_course_edit, name="workspace_course_edit"),
    path("arbeidsrom/kurs/<int:pk>/okter/", views.workspace_course_sessions, name="workspace_course_sessions"),
    path("arbeidsrom/kurs/<int:pk>/publiser/", views.workspace_course_publish, name="workspace_course_publish"),
]
