"""Project-level guarantees: layout, settings from the environment, deploy checks."""

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _manage(*args, env_overrides=None, unset=()):
    env = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("DJANGO_")}
    env.update(env_overrides or {})
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_standard_librarys_platform_module_is_not_shadowed():
    # A top-level package named `platform` would shadow the standard library; ours is a plain folder.
    assert platform.system() == os.uname().sysname
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert Path(platform.__file__).parent != ROOT / "platform"


def test_the_settings_use_oslo_time_and_bokmal_first():
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "en"]


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_overrides={"ALLOWED_HOSTS": "example.no"}, unset=("SECRET_KEY", "DEBUG"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_site_url():
    result = _manage(
        "check",
        env_overrides={"ALLOWED_HOSTS": "example.no", "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40},
        unset=("SITE_URL", "DEBUG"),
    )
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_a_malformed_variable_is_named_at_start_up():
    result = _manage("check", env_overrides={"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
    result = _manage("check", env_overrides={"DEBUG": "true", "REDIS_URL": "http://nope"})
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_prepared_statements_are_on_for_postgresql_and_can_be_turned_off():
    def options(value=None):
        env = {"DEBUG": "true", "DATABASE_URL": "postgres://app@127.0.0.1:5432/app"}
        if value is not None:
            env["DATABASE_PREPARED_STATEMENTS"] = value
        code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
        return _manage("shell", "-c", code, env_overrides=env, unset=("DATABASE_PREPARED_STATEMENTS",))

    assert "'server_side_binding': True" in options().stdout
    assert "'prepare_threshold': 2" in options("true").stdout
    assert "server_side_binding" not in options("false").stdout
    refused = options("sometimes")
    assert refused.returncode != 0
    assert "DATABASE_PREPARED_STATEMENTS" in refused.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "musikkhjemmekontoret.no",
            "SITE_URL": "https://musikkhjemmekontoret.no",
        },
        unset=("DEBUG",),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_there_are_no_missing_migrations():
    result = _manage("makemigrations", "--check", "--dry-run", env_overrides={"DEBUG": "true"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_validates_against_the_compose_specification():
    check = Path(PYTHON).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check), "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_stack_keeps_uploads_in_a_private_bucket_and_migrates_once():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    roles = {name: service["command"] for name, service in services.items() if "build" in service}
    assert roles == {"migrate": ["migrate"], "web": ["web"], "worker": ["worker"], "beat": ["beat"]}

    # Every role stores uploads in the bucket that minio-init creates, with MinIO's own keys.
    minio = services["minio"]["environment"]
    for name in roles:
        env = services[name]["environment"]
        assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert (env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"]) == (
            minio["MINIO_ROOT_USER"],
            minio["MINIO_ROOT_PASSWORD"],
        )
    bucket = services["web"]["environment"]["S3_BUCKET"]
    init = " ".join(services["minio-init"]["command"])
    assert f"mc mb --ignore-existing store/{bucket}" in init
    assert f"mc anonymous set none store/{bucket}" in init  # private: downloads go through the platform

    # The web waits for the one-shot migration and the bucket; there is one beat.
    web_waits_for = services["web"]["depends_on"]
    assert web_waits_for["migrate"] == {"condition": "service_completed_successfully"}
    assert web_waits_for["minio-init"] == {"condition": "service_completed_successfully"}
    assert services["beat"]["deploy"]["replicas"] == 1
    entrypoint = (ROOT / "platform" / "entrypoint.sh").read_text()
    web_role = entrypoint.split("  web)", 1)[1].split(";;", 1)[0]
    assert "migrate" not in web_role and "gunicorn" in web_role


# Every app on disk (a package with an apps.py), but the benchmarks', which are installed only
# with BENCHMARK_ENDPOINTS.
APPS_ON_DISK = sorted(path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name != "bench")


@pytest.mark.parametrize("app", APPS_ON_DISK)
def test_every_app_is_installed_with_migrations(app):
    assert app in settings.PROJECT_APPS and app in settings.INSTALLED_APPS
    assert (ROOT / app / "migrations" / "__init__.py").exists()


def test_offline_commands_run_in_a_bare_checkout_without_production_secrets():
    # makemigrations/compilemessages serve nothing and sign nothing: CI tooling and image
    # builds run them with no environment at all. Serving commands still refuse (above).
    result = _manage(
        "makemigrations", "--check", "--dry-run", unset=("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
