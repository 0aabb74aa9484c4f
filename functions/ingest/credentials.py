"""A source's platform credentials: from Secrets Manager in a deployed stage, from the environment locally.

Never from configuration or the repository. Deployed, ``secret`` names a Secrets Manager secret whose value is a
JSON object (e.g. ``{"client_id": …, "client_secret": …}``), read through Powertools' parameters utility and cached
for five minutes per container. Locally the same JSON object comes from ``ANTIDOTE_SOURCE_<NAME>_CREDENTIALS``
(the source name upper-cased, ``-`` as ``_``); a source that needs none gets an empty mapping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from functions.shared.errors import InvalidInput
from functions.shared.models import SourceConfig
from functions.shared.settings import Settings

SECRET_CACHE_SECONDS = 300


def environment_variable(source_name: str) -> str:
    return f"ANTIDOTE_SOURCE_{source_name.upper().replace('-', '_')}_CREDENTIALS"


def credentials_for(source: SourceConfig, settings: Settings) -> Mapping[str, str]:
    if settings.is_local:
        variable = environment_variable(source.name)
        raw = os.environ.get(variable)
        return _as_strings(json.loads(raw), variable) if raw else {}
    if source.secret is None:
        return {}
    from aws_lambda_powertools.utilities import parameters

    value = parameters.get_secret(source.secret, transform="json", max_age=SECRET_CACHE_SECONDS)
    return _as_strings(value, f"secret {source.secret}")


def _as_strings(value: object, origin: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{origin} must hold a JSON object of credentials")
    return {str(k): str(v) for k, v in value.items()}
