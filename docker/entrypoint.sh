#!/bin/sh
# Apply migrations, then hand over to the server. Seeds are demo data: load them
# only when asked (MATCHMAKER_LOAD_DEMO_SEEDS=1), never by default in production.
set -eu
: "${MATCHMAKER_DATABASE_URL:?set MATCHMAKER_DATABASE_URL to the PostgreSQL URL}"
: "${MATCHMAKER_SECRET_KEY:?set MATCHMAKER_SECRET_KEY}"
: "${MATCHMAKER_RATELIMIT_STORAGE_URL:?set MATCHMAKER_RATELIMIT_STORAGE_URL to redis://host:6379/0 (shared by the workers)}"
flask db upgrade
if [ "${MATCHMAKER_LOAD_DEMO_SEEDS:-0}" = "1" ]; then
    flask seed
fi
# gunicorn reads ./gunicorn.conf.py (workers, threads, timeouts, warm-up, metrics)
# from the working directory, /srv/matchmaker, even when started as `gunicorn app:app`.
exec "$@"
