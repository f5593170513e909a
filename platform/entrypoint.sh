#!/bin/sh
# One image, four roles: migrate (once per release, before the others start), web
# (gunicorn), worker, beat (exactly one). docs/deployment.md says how they are spread over
# machines.
set -e
case "$1" in
  migrate)
    exec python manage.py migrate --noinput ;;
  web)
    exec gunicorn config.wsgi:application -c platform/gunicorn.conf.py ;;
  worker)
    # Processes: WORKER_CONCURRENCY (default 2), read by config/settings.py.
    exec celery -A config worker -Q default,mail -n "worker@%h" --loglevel INFO ;;
  beat)
    exec celery -A config beat --schedule /app/var/celerybeat-schedule --loglevel INFO ;;
  *)
    exec "$@" ;;
esac
