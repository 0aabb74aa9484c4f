"""Partner notifications end to end on DynamoDB Local: an admin registers a partner key's webhook over HTTP, the
partner's claim check comes back none (its text kept, redacted), the knowledge base gains a claim that matches it
(a small knowledge base built into a real index), and the scheduled run of the match function delivers one signed
webhook to a receiver on 127.0.0.1 that fails first; a second run sends nothing."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from functions.curation.knowledge_base import load_knowledge_base
from functions.local.scheduler import notify_event
from functions.match import handler as match_handler
from functions.match.engine.artifact import build_artifact
from functions.match.engine.calibration import load_calibration
from functions.match.engine.matcher import Matcher
from functions.match.engine.stance import load_stance_model
from functions.shared import dependencies
from functions.shared.webhooks import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verify
from tests.conftest import KB_DIR, MODEL, Service
from tests.webhook_receiver import webhook_receiver

ASKED = "Wearing a copper bracelet every day cured my arthritis pain, write to jo.bloggs@example.org for the shop"
NEW_CLAIM = {
    "id": "copper-bracelets-arthritis",
    "statement": "Copper or magnetic bracelets relieve arthritis pain.",
    "verdict": "false",
    "topic": "arthritis",
    "harm": "low",
    "language": "en",
    "correction": "Trials found copper and magnetic bracelets do no more for arthritis pain than dummy ones. Exercise, "
    "pain relief and treatments a doctor or physiotherapist suggests do help.",
    "explanation": "Randomised trials comparing copper and magnetic bracelets with placebo bracelets found no "
    "difference in pain, stiffness or inflammation.",
    "sources": [{"publisher": "NHS", "url": "https://www.nhs.uk/conditions/arthritis/"}],
    "variants": [
        "my copper bracelet cured my arthritis",
        "copper bracelets take away joint pain",
        "wear a magnetic bracelet for arthritis, it works",
    ],
    "last_reviewed": "2026-11-20",
    "review_by": "2027-11-20",
}


@pytest.fixture(scope="module")
def grown_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base with a claim the service's index lacks (plus two real topics), built as `kb build` does."""
    kb_dir = tmp_path_factory.mktemp("grown-kb")
    shutil.copy(KB_DIR / "sources.yaml", kb_dir / "sources.yaml")
    (kb_dir / "claims").mkdir()
    topics = ("antibiotics", "measles")
    for topic in topics:
        shutil.copy(KB_DIR / "claims" / f"{topic}.yaml", kb_dir / "claims" / f"{topic}.yaml")
    (kb_dir / "claims" / "arthritis.yaml").write_text(yaml.safe_dump([NEW_CLAIM], allow_unicode=True))
    # the copied claims' translations (a high-harm myth may not be untranslated); the new claim has none yet
    (kb_dir / "translations").mkdir()
    for source in sorted((KB_DIR / "translations").glob("*.yaml")):
        translations = yaml.safe_load(source.read_text("utf-8"))
        kept = {k: v for k, v in translations["translations"].items() if k.startswith(tuple(f"{t}-" for t in topics))}
        translations["translations"] = kept
        (kb_dir / "translations" / source.name).write_text(yaml.safe_dump(translations, allow_unicode=True))
    out = tmp_path_factory.mktemp("grown") / "index"
    build_artifact(
        load_knowledge_base(kb_dir),
        MODEL,
        load_calibration(KB_DIR / "calibration.json"),
        load_stance_model(KB_DIR / "stance_model.json"),
        out,
    )
    return out


@pytest.fixture
def the_grown_index_loaded(grown_index: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The match function's container after a deployment of the grown knowledge base."""
    grown = Matcher.from_artifact(grown_index)
    monkeypatch.setattr(match_handler, "matcher", lambda: grown)
    monkeypatch.setattr(match_handler, "checker", lambda: grown)
    yield
    monkeypatch.undo()


def run_notifications(service: Service) -> dict[str, object]:
    return service.local.functions.invoke("match", notify_event())


def test_a_partner_is_told_once_when_the_knowledge_base_gains_a_matching_claim(
    service: Service, grown_index: Path, request: pytest.FixtureRequest
) -> None:
    client = service.client
    partner_key = service.key("Arthritis Helpline", "check")
    key_id = partner_key.split("_")[1]
    # the scheduled run records the claim set it compares against (or finds nothing new)
    first = run_notifications(service)
    assert first["baseline"] or first["new_claims"] == []

    with webhook_receiver(answers=[503]) as receiver:
        registered = client.request("PUT", f"/v1/keys/{key_id}/webhook", {"url": receiver.url}, headers=service.admin)
        assert registered.status == 200, registered.body
        secret = registered.json()["secret"]
        assert secret.startswith("whsec_")

        checked = client.request("POST", "/v1/claims:check", {"text": ASKED}, headers={"x-api-key": partner_key})
        assert checked.status == 200, checked.body
        assert checked.json()["results"][0]["decision"] in {"none", "review"}
        kept = dependencies.partner_queries().for_key(key_id, datetime.now(UTC))
        assert len(kept) == 1
        assert "jo.bloggs@example.org" not in kept[0].text
        assert "[email]" in kept[0].text

        request.getfixturevalue("the_grown_index_loaded")
        report = run_notifications(service)
        assert report["new_claims"] == ["copper-bracelets-arthritis"]
        assert (report["delivered"], report["failed"]) == (1, 0)
        received = receiver.wait_for(2)
        again = run_notifications(service)
        time.sleep(0.5)
        assert again["delivered"] == 0
        assert len(receiver.received) == 2  # the failed attempt and its retry; nothing more

    first_try, delivery = received
    assert first_try.headers[DELIVERY_HEADER.lower()] == delivery.headers[DELIVERY_HEADER.lower()]
    assert delivery.headers[EVENT_HEADER.lower()] == "partner.claim_added"
    assert verify(secret, delivery.headers[SIGNATURE_HEADER.lower()], delivery.body, now=time.time())
    body = json.loads(delivery.body)
    data = body["data"]
    assert data["key_id"] == key_id
    assert data["claim"]["claim_id"] == "copper-bracelets-arthritis"
    assert data["claim"]["correction"].startswith("Trials found copper")
    assert data["claim"]["sources"] == [{"publisher": "NHS", "url": "https://www.nhs.uk/conditions/arthritis/"}]
    assert [q["text"] for q in data["queries"]] == [kept[0].text]

    log = dependencies.deliveries().attempts(body["id"])
    assert [(a.attempt, a.status, a.owner) for a in log] == [(1, 503, f"key#{key_id}"), (2, 200, f"key#{key_id}")]


def test_a_key_with_no_webhook_keeps_nothing_and_bad_registrations_are_refused(service: Service) -> None:
    client = service.client
    partner_key = service.key("Quiet Clinic", "check")
    key_id = partner_key.split("_")[1]
    checked = client.request("POST", "/v1/claims:check", {"text": ASKED}, headers={"x-api-key": partner_key})
    assert checked.status == 200
    assert dependencies.partner_queries().for_key(key_id, datetime.now(UTC)) == []

    url = {"url": "http://127.0.0.1:9/hook"}
    assert client.request("PUT", f"/v1/keys/{key_id}/webhook", url, headers=service.educator).status == 403
    assert client.request("PUT", f"/v1/keys/{key_id}/webhook", url).status == 401
    assert client.request("PUT", "/v1/keys/abc123/webhook", url, headers=service.admin).status == 404
    ingest_key_id = service.ingest_key.split("_")[1]
    refused = client.request("PUT", f"/v1/keys/{ingest_key_id}/webhook", url, headers=service.admin)
    assert refused.status == 422
    assert "scope 'check'" in refused.json()["detail"]
    bad = client.request("PUT", f"/v1/keys/{key_id}/webhook", {"url": "ftp://x"}, headers=service.admin)
    assert bad.status == 422
    removed = client.request("DELETE", f"/v1/keys/{key_id}/webhook", headers=service.admin)
    assert removed.status == 200
    assert removed.json() == {"key_id": key_id, "webhook": None}
