#!/bin/sh
# Slim a function's runtime environment for its container image: what no function ever loads goes.
#   sh scripts/slim_runtime.sh <virtual environment>
# Used by the Dockerfile (each function's venv) and by scripts/benchmarks/runtime_size.py (which measures and checks
# the same environments). POSIX sh: the image's build stage has no bash.
# - Debug data of compiled extensions that ship it (about 95 MB of spaCy's 114): `strip --strip-debug` drops
#   only the DWARF sections and keeps every symbol the dynamic linker and Python need. Only files with a .debug_info
#   section are touched, never the libraries auditwheel vendors into "<package>.libs" folders: patchelf has rewritten
#   those, and strip breaks them (numpy's OpenBLAS then fails to load: "ELF load command address/offset not
#   page-aligned").
# - google-api-python-client's bundled discovery documents of every Google API (110 MB): the YouTube connector builds
#   only the YouTube Data API v3 client, from its bundled document (static_discovery=True).
set -eu
venv="$1"
site=$(find "$venv/lib" -maxdepth 2 -type d -name site-packages | head -n 1)
[ -n "$site" ] || { echo "slim_runtime: no site-packages under $venv" >&2; exit 1; }
find "$site" -type f -name '*.so*' ! -path '*.libs/*' | while IFS= read -r library; do
    if readelf -S "$library" 2>/dev/null | grep -q '[.]debug_info'; then
        strip --strip-debug "$library"
    fi
done
documents="$site/googleapiclient/discovery_cache/documents"
if [ -d "$documents" ]; then
    find "$documents" -type f ! -name 'youtube.v3.json' -delete
fi
