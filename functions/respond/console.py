"""The review console's static files (plain HTML, JS and CSS in ``console/``), served by the respond function."""

from __future__ import annotations

from pathlib import Path

from functions.shared.errors import NotFound

CONSOLE_DIR = Path(__file__).resolve().parent / "console"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}
# Post text is hostile by assumption: no inline script, nothing from elsewhere, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' https://*.amazoncognito.com; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def console_file(relative: str) -> tuple[str, str]:
    """(content type, text) of a console file; anything outside the folder or unknown is 404."""
    path = (CONSOLE_DIR / (relative or "index.html")).resolve()
    if CONSOLE_DIR not in path.parents or not path.is_file() or path.suffix not in CONTENT_TYPES:
        raise NotFound(f"no console file {relative}")
    return CONTENT_TYPES[path.suffix], path.read_text(encoding="utf-8")
