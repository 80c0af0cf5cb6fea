#!/usr/bin/env bash
# Runs the whole test suite. Exit status is pytest's (non-zero on any failure; "no tests" is a failure too).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY scripts/compile_messages.py
exec $PY -m pytest "$@"
