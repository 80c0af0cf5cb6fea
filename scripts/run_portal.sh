#!/usr/bin/env bash
# Starts the web server, plus a Celery worker and beat when a Redis broker is configured and reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${1:-127.0.0.1}; PORT=${2:-8000}
PY=.venv/bin/python
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ] && $PY -c "import redis,os,sys; redis.Redis.from_url(os.environ['REDIS_URL']).ping()" 2>/dev/null; then
  echo "Redis reachable: starting a Celery worker and beat."
  .venv/bin/celery -A ami_portal worker -l info --concurrency 2 & pids+=($!)
  .venv/bin/celery -A ami_portal beat -l info & pids+=($!)
else
  echo "No Redis configured (REDIS_URL): Celery tasks run eagerly in the web process."
fi
echo "Portal: http://$HOST:$PORT/  —  administration: http://$HOST:$PORT/admin/"
$PY manage.py runserver --insecure "$HOST:$PORT"
