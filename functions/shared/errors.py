"""The one error model. Logic raises these; the CLI prints them as one line, the APIs as problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any


class AntidoteError(Exception):
    """Base for every error the service reports to a person or a client on purpose."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def headers(self) -> dict[str, str]:
        return {}

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://antidote.example/problems/{self.title.lower().replace(' ', '-')}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class InvalidInput(AntidoteError):
    status = 422
    title = "Invalid input"


class MalformedRequest(AntidoteError):
    status = 400
    title = "Malformed request"


class PayloadTooLarge(AntidoteError):
    status = 413
    title = "Payload too large"


class Unauthorized(AntidoteError):
    status = 401
    title = "Unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="antidote"'}


class Forbidden(AntidoteError):
    status = 403
    title = "Forbidden"


class NotFound(AntidoteError):
    status = 404
    title = "Not found"


class Conflict(AntidoteError):
    """Someone else changed the resource first; ``extra`` carries its current state."""

    status = 409
    title = "Conflict"


class RateLimited(AntidoteError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail, retry_after_seconds=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class ServiceBusy(AntidoteError):
    """Too much work is already waiting (the claim-check queue is full): nothing was done, try again later."""

    status = 503
    title = "Service busy"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail, retry_after_seconds=retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class KnowledgeBaseInvalid(AntidoteError):
    """The knowledge base failed validation; ``problems`` names each file and entry at fault."""

    status = 500
    title = "Knowledge base invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems


class MethodNotAllowed(AntidoteError):
    status = 405
    title = "Method not allowed"

    def __init__(self, detail: str, allowed: list[str]) -> None:
        super().__init__(detail, allowed=allowed)
        self.allowed = allowed

    def headers(self) -> dict[str, str]:
        return {"Allow": ", ".join(self.allowed)}


class UnsupportedMediaType(AntidoteError):
    status = 415
    title = "Unsupported media type"


class DatabaseUnavailable(AntidoteError):
    """The database did not answer (down, unreachable, timing out): nothing was done, try again shortly."""

    status = 503
    title = "Database unavailable"
    retry_after_seconds = 5

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class ArtifactMissing(AntidoteError):
    status = 503
    title = "Index not built"
