"""The benchmarks: the scripts (`python bench/catalogue.py`, …) and a small Django app with
their baseline and reference endpoints (views.py).

The app is installed, and its URLs routed, only when BENCHMARK_ENDPOINTS is on
(config/settings.py, config/urls.py); only the benchmark scripts turn it on. No production
app imports from here.
"""
