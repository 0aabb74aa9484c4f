#!/usr/bin/env bash
# The project's entry points; each one sets up whatever is missing first (see scripts/bootstrap.sh).
#   scripts/run.sh demo    the main job: the service on DynamoDB Local, fed a demo scan, then serving
#   scripts/run.sh test    the test suite (real model, real FAISS index)
#   scripts/run.sh lint    ruff (lint + format check) and mypy
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

command="${1:-}"
shift || true
case "$command" in
    demo)
        bash scripts/bootstrap.sh --local-runtime
        .venv/bin/antidote kb validate
        .venv/bin/antidote demo "$@"
        ;;
    test)
        bash scripts/bootstrap.sh --local-runtime --browser
        .venv/bin/python -m pytest "$@"
        ;;
    lint)
        bash scripts/bootstrap.sh
        .venv/bin/ruff check .
        .venv/bin/ruff format --check .
        .venv/bin/mypy
        ;;
    *)
        echo "usage: scripts/run.sh demo|test|lint [args…]" >&2
        exit 2
        ;;
esac
