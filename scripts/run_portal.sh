#!/usr/bin/env bash
# Starts the web server with a Celery worker and beat, so the after-effects that time triggers (wave closing,
# reminders, publication, the outbox) happen on time. With REDIS_URL they use Redis; without it an embedded broker
# (a folder of messages in .run/broker, Kombu's filesystem transport): the same code paths, nothing to install.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${1:-127.0.0.1}; PORT=${2:-8000}
PY=.venv/bin/python
mkdir -p .run
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ] && $PY -c "import redis,os,sys; redis.Redis.from_url(os.environ['REDIS_URL']).ping()" 2>/dev/null; then
  echo "Redis reachable: the Celery worker and beat use it."
else
  unset REDIS_URL
  export CELERY_BROKER_URL="filesystem://"
  echo "No Redis (REDIS_URL): the Celery worker and beat use the embedded broker in .run/broker."
fi
.venv/bin/celery -A ami_portal worker -l warning --concurrency 1 >.run/worker.log 2>&1 & pids+=($!)
.venv/bin/celery -A ami_portal beat -l warning -s .run/celerybeat-schedule >.run/beat.log 2>&1 & pids+=($!)
echo "Worker and beat logs: .run/worker.log, .run/beat.log. E-mails: ${EMAIL_FILE_PATH:-printed by the worker}."
echo
$PY manage.py demo_accounts
echo
echo "Portal: http://$HOST:$PORT/  —  administration: http://$HOST:$PORT/admin/"
$PY manage.py runserver --insecure --noreload "$HOST:$PORT"
