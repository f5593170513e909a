#!/bin/sh
# One image, three roles: web (migrates, then gunicorn), worker, beat.
set -e
case "$1" in
  web)
    python manage.py migrate --noinput
    exec gunicorn config.wsgi:application -c platform/gunicorn.conf.py ;;
  worker)
    # Processes: WORKER_CONCURRENCY (default 2), read by config/settings.py.
    exec celery -A config worker -Q default,mail -n "worker@%h" --loglevel INFO ;;
  beat)
    exec celery -A config beat --schedule /app/var/celerybeat-schedule --loglevel INFO ;;
  *)
    exec "$@" ;;
esac
