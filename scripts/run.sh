#!/usr/bin/env bash
# The project's entry points; each one sets up whatever is missing first (see scripts/bootstrap.sh).
#   scripts/run.sh demo    the main job: the service on DynamoDB Local, fed a demo scan, then serving
#   scripts/run.sh test    the whole test suite (real model, real FAISS index, DynamoDB Local, HTTP, browser)
#   scripts/run.sh test unit|integration|e2e|infra [pytest args…]
#                          one tier, setting up only what it needs (unit: no Java, no model, seconds)
#   scripts/run.sh lint    ruff (lint + format check) and mypy
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.local/bin:$PATH"  # where bootstrap.sh installs uv when the machine has none; tests call it too

command="${1:-}"
shift || true
case "$command" in
    demo)
        bash scripts/bootstrap.sh --local-runtime
        .venv/bin/antidote kb validate
        .venv/bin/antidote demo "$@"
        ;;
    test)
        case "${1:-}" in
            unit) shift; bash scripts/bootstrap.sh; .venv/bin/python -m pytest tests/unit "$@" ;;
            infra) shift; bash scripts/bootstrap.sh; .venv/bin/python -m pytest tests/infra "$@" ;;
            integration) shift; bash scripts/bootstrap.sh --local-runtime; .venv/bin/python -m pytest tests/integration "$@" ;;
            e2e) shift; bash scripts/bootstrap.sh --local-runtime --browser; .venv/bin/python -m pytest tests/e2e "$@" ;;
            *) bash scripts/bootstrap.sh --local-runtime --browser; .venv/bin/python -m pytest "$@" ;;
        esac
        ;;
    lint)
        bash scripts/bootstrap.sh
        .venv/bin/ruff check .
        .venv/bin/ruff format --check .
        .venv/bin/mypy
        ;;
    *)
        echo "usage: scripts/run.sh demo | test [unit|integration|e2e|infra] [pytest args…] | lint" >&2
        exit 2
        ;;
esac
