#!/usr/bin/env bash
# Runs the whole test suite, after the checks every change must pass: `ruff check .` (lint), `ruff format --check .`
# (the house format) and `makemigrations --check` (no model change without its migration). Exit status is non-zero on any failure
# ("no tests" is a failure too).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY scripts/compile_messages.py
echo "== ruff check ."
.venv/bin/ruff check .
echo "== ruff format --check ."
.venv/bin/ruff format --check .
echo "== makemigrations --check --dry-run"
$PY manage.py makemigrations --check --dry-run
exec $PY -m pytest "$@"
