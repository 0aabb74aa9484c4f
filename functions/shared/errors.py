"""The one error model. Logic raises these; the CLI prints them as one line, the APIs as problem+json."""

from __future__ import annotations


class AntidoteError(Exception):
    """Base for every error the service reports to a person or a client on purpose."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(AntidoteError):
    status = 422
    title = "Invalid input"


class NotFound(AntidoteError):
    status = 404
    title = "Not found"


class KnowledgeBaseInvalid(AntidoteError):
    """The knowledge base failed validation; ``problems`` names each file and entry at fault."""

    status = 500
    title = "Knowledge base invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        self.problems = problems


class ArtifactMissing(AntidoteError):
    status = 503
    title = "Index not built"
