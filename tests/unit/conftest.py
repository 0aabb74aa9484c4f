from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from functions.shared.settings import get_settings


@pytest.fixture(autouse=True)
def _no_redaction_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The unit tier loads no model: redaction runs its patterns and cued names only (the model is integration's)."""
    monkeypatch.setenv("ANTIDOTE_REDACTION_MODEL", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


KbWriter = Callable[..., Path]


@pytest.fixture
def write_kb(tmp_path: Path) -> KbWriter:
    """A knowledge-base folder with the given claim files (name -> entries or raw text) and an allowlist."""

    def write(files: dict[str, Any], domains: list[str] | None = None) -> Path:
        (tmp_path / "claims").mkdir(exist_ok=True)
        (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"allowed_domains": domains or ["who.int", "nhs.uk"]}))
        for name, content in files.items():
            text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
            (tmp_path / "claims" / name).write_text(text)
        return tmp_path

    return write
