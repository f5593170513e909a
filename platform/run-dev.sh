#!/usr/bin/env bash
# Runs the web server, one Celery worker and beat together for development; Ctrl-C stops all.
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
pids=()

stop_all() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null
  # Give them a few seconds for a warm shutdown, then make sure nothing is left behind
  # (losing a worker mid-task is harmless: the database, not the broker, is the email queue).
  for _ in $(seq 1 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do
    pkill -KILL -P "$pid" 2>/dev/null
    kill -KILL "$pid" 2>/dev/null
  done
  exit 0
}
trap stop_all INT TERM EXIT

.venv/bin/celery -A config worker -B -Q default,mail -n dev-worker@%h --concurrency 2 \
  --schedule var/celerybeat-schedule --loglevel INFO &
pids+=($!)
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
pids+=($!)
echo "Musikkhjemmekontoret runs on http://127.0.0.1:8000 (Ctrl-C stops the web server, worker and beat)."
wait -n
