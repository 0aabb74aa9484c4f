from __future__ import annotations

from collections.abc import Iterator

import pytest

from functions.shared.settings import get_settings


@pytest.fixture(autouse=True)
def _no_redaction_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The unit tier loads no model: redaction runs its patterns and cued names only (the model is integration's)."""
    monkeypatch.setenv("ANTIDOTE_REDACTION_MODEL", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
