"""The bench app (bench/): its endpoints exist only where BENCHMARK_ENDPOINTS turns them on."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_it_installs_no_bench_app_and_routes_no_bench_url_by_default(client, db):
    assert "bench" not in settings.INSTALLED_APPS
    assert client.get("/bench/baseline/").status_code == 404


def test_benchmark_endpoints_install_the_bench_app_and_its_urls():
    code = (
        "from django.apps import apps; from django.test import Client; "
        "print(apps.is_installed('bench'), Client().get('/bench/baseline/', HTTP_HOST='localhost').status_code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DEBUG": "true", "BENCHMARK_ENDPOINTS": "true"})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "200"]
