from django.urls import path

from bench import views

# Routed under /bench/ only when BENCHMARK_ENDPOINTS is on (config/urls.py).
urlpatterns = [
    path("baseline/", views.baseline, name="bench_baseline"),
    path("baseline-insert/", views.baseline_insert, name="bench_baseline_insert"),
    path("signed-in-insert/", views.signed_in_insert, name="bench_signed_in_insert"),
    path("seat-floor/<int:pk>/", views.seat_floor, name="bench_seat_floor"),
]
