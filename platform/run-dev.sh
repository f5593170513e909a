#!/usr/bin/env bash
# Runs the web server, one Celery worker and beat together for development; Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
.venv/bin/celery -A config worker -B -Q default,mail -n dev-worker@%h --concurrency 2 \
  --schedule var/celerybeat-schedule --loglevel INFO &
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
wait -n
