"""Every environment variable is read through config/env.py: a malformed value stops start-up
(the settings, and gunicorn's config) with a message that names the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs the settings module and gunicorn's config once per case, in one fresh interpreter, with
# one variable set to a bad value; prints what each start-up raised ("" when it started).
START_UPS = r"""
import json, os, runpy, sys

from config.env import VARIABLES

outcomes = []
for name, value in json.loads(sys.argv[1]):
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        runpy.run_path("config/settings.py")
        runpy.run_path("platform/gunicorn.conf.py")
        outcomes.append("")
    except Exception as exc:
        outcomes.append(f"{type(exc).__name__}: {exc}")
    if previous is None:
        del os.environ[name]
    else:
        os.environ[name] = previous
print(json.dumps({"variables": VARIABLES, "outcomes": outcomes}))
"""
BAD_VALUES = {"bool": "perhaps", "int": "soon", "float": "soon", "choice": "LOUD"}
OTHER_BAD_VALUES = [
    ("OUTBOX_BATCH_SIZE", "0"),
    ("CONN_MAX_AGE", "-1"),
    ("OUTBOX_SWEEP_SECONDS", "0"),
    ("SITE_URL", "ftp://example.no"),
    ("REDIS_URL", "http://127.0.0.1:6379"),
    ("DATABASE_URL", "mysql://app:secret@127.0.0.1/app"),
    ("EMAIL_URL", "nonsense"),
    ("S3_ENDPOINT_URL", "minio:9000"),
    ("S3_ACCESS_KEY_ID", "a-key-without-its-secret"),
]


def start_ups(cases: list[tuple[str, str]]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    for name, _ in OTHER_BAD_VALUES:
        env.pop(name, None)
    env.pop("LOG_LEVEL", None)
    env["DEBUG"] = "true"
    # Each case changes one variable; the rest is a valid configuration (SITE_URL is
    # required once a malformed DEBUG case has run).
    env["SITE_URL"] = "http://127.0.0.1:8000"
    result = subprocess.run(
        [sys.executable, "-c", START_UPS, json.dumps(cases)], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout.decode().splitlines()[-1])


def test_it_refuses_a_malformed_value_of_every_variable_and_names_it():
    variables = start_ups([("DEBUG", "true")])["variables"]
    cases = [(name, BAD_VALUES[kind]) for name, kind in variables.items() if kind in BAD_VALUES]
    cases += OTHER_BAD_VALUES
    # The numbers and switches, read whatever else is configured (not only with PostgreSQL or SMTP).
    names = {name for name, _ in cases}
    assert {"DEBUG", "OUTBOX_RETRY_BASE_SECONDS", "OUTBOX_SWEEP_SECONDS", "CONN_MAX_AGE", "EMAIL_TIMEOUT"} <= names
    assert {"DATABASE_PREPARED_STATEMENTS", "LOG_LEVEL", "WORKER_CONCURRENCY", "GUNICORN_WORKERS"} <= names

    outcomes = start_ups(cases)["outcomes"]
    not_refused = [
        (name, value, outcome)
        for (name, value), outcome in zip(cases, outcomes, strict=True)
        if not outcome.startswith(f"ImproperlyConfigured: {name} ")
    ]
    assert not_refused == []


def test_the_readme_documents_every_variable():
    readme = (ROOT / "README.md").read_text()
    variables = start_ups([("DEBUG", "true")])["variables"]
    assert [name for name in variables if f"`{name}`" not in readme] == []
