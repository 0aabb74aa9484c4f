"""Alerts end to end on DynamoDB Local: counts recorded through the match store's real transactions, the detector
run through its Lambda handler (as the hourly schedule invokes it), a signed webhook to a receiver on 127.0.0.1 that
fails first, a rerun that changes nothing, and GET /v1/alerts and /v1/trends over real HTTP."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from functions.local.scheduler import detector_event
from functions.shared import dependencies
from functions.shared.dal.models import CounterRecord
from functions.shared.models import MatchEntry, TrendKind
from functions.shared.settings import get_settings
from functions.shared.webhooks import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verify
from tests.conftest import Service
from tests.integration.service.test_pipeline import deliver, post
from tests.webhook_receiver import Receiver, webhook_receiver

SECRET = "alerts-test-signing-secret"
CLAIM = "synthetic-spike-claim"  # not in the knowledge base: its topic series is "-"
# Ten days back: nothing another test counts now falls in this hour or its baseline, the trends' week (whose
# history decides when "rising" may be shown) never sees these counts, and they are still inside the counters'
# 14-day retention. (Twenty days back, as before, wrote counters already past their time to live, which DynamoDB
# may delete at any moment: the detector once found none, in CI on 2026-11-30.)
HOUR = (datetime.now(UTC) - timedelta(days=10)).replace(minute=0, second=0, microsecond=0)


def entries(prefix: str, count: int, sentiment: float | None = -0.6) -> list[MatchEntry]:
    return [
        MatchEntry(
            f"x#{prefix}-{i}", "match", "test", "kb", [], CLAIM, TrendKind.SPREADING, None, "NZ", "en", sentiment
        )
        for i in range(count)
    ]


@pytest.fixture
def alert_webhook(service: Service, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """The detector's webhook pointed at a receiver that answers 503 (Retry-After: 1) first. The settings objects are
    patched, never replaced (other tests hold them): the service's, and the one the handler reads at each invocation,
    which is another object once an earlier test has made the process read its settings again."""
    with webhook_receiver(answers=[503]) as receiver:
        for settings in {id(s): s for s in (service.settings, get_settings())}.values():
            monkeypatch.setattr(settings, "alert_webhook_url", receiver.url)
            monkeypatch.setattr(settings, "alert_webhook_secret", SECRET)
        yield receiver


def test_a_spike_is_stored_once_and_delivered_signed_through_a_receiver_that_fails_first(
    service: Service, alert_webhook: Receiver
) -> None:
    store = dependencies.posts()
    tag = f"{time.time_ns()}"
    for back in range(1, 48, 3):  # a quiet baseline: one post every three hours for two days
        store.record_matches(entries(f"{tag}-b{back}", 1), HOUR - timedelta(hours=back))
    store.record_matches(entries(f"{tag}-spike", 12), HOUR + timedelta(minutes=20))

    first = service.local.functions.invoke("alerts", detector_event(HOUR))
    spike_id = f"spike#claim:{CLAIM}#{HOUR:%Y-%m-%dT%H}"
    assert spike_id in first["raised"]
    assert f"spike#region:NZ#{HOUR:%Y-%m-%dT%H}" in first["raised"]
    assert f"sentiment_dip#claim:{CLAIM}#{HOUR:%Y-%m-%dT%H}" not in first["raised"]  # always negative: no dip

    received = alert_webhook.wait_for(len(first["raised"]) + 1)  # one retry after the first 503
    delivery_id = "alr_" + hashlib.sha256(spike_id.encode()).hexdigest()[:32]
    spike_requests = [r for r in received if r.headers[DELIVERY_HEADER.lower()] == delivery_id]
    assert len(spike_requests) in (1, 2)  # twice if the spike was the alert the 503 hit
    for request in received:
        assert verify(SECRET, request.headers[SIGNATURE_HEADER.lower()], request.body, now=time.time())
    body = json.loads(spike_requests[-1].body)
    assert body["type"] == spike_requests[-1].headers[EVENT_HEADER.lower()] == "alert.spike"
    assert (body["data"]["series"], body["data"]["count"]) == (f"claim:{CLAIM}", 12)
    retried = received[0].headers[DELIVERY_HEADER.lower()]
    log = dependencies.deliveries().attempts(retried)
    assert [(a.attempt, a.status) for a in log] == [(1, 503), (2, 200)]

    again = service.local.functions.invoke("alerts", detector_event(HOUR))
    assert again["raised"] == []
    time.sleep(0.5)
    assert len(alert_webhook.received) == len(received)

    listed = service.client.request("GET", "/v1/alerts?days=25&kind=spike", headers=service.educator)
    assert listed.status == 200, listed.body
    mine = [a for a in listed.json()["alerts"] if a["alert_id"] == spike_id]
    assert len(mine) == 1
    assert mine[0]["p_value"] < service.settings.alert_sensitivity
    assert mine[0]["delivery"] == "immediate"


def test_a_matched_post_is_counted_by_region_and_language_with_its_sentiment(service: Service) -> None:
    myth = post("Is it true that the MMR jab causes autism? I am so scared and angry about this", region="IE")
    deliver(service, [myth])
    today = f"series#{datetime.now(UTC):%Y-%m-%d}"
    ireland = [r for r in CounterRecord.query(today) if r.bucket.endswith("#IE#en")]
    assert ireland, "the match was not counted in its region and language"
    assert sum(int(r.scored or 0) for r in ireland) >= 1
    assert sum(int(r.negative or 0) for r in ireland) >= 1

    cut = service.client.request("GET", "/v1/trends?region=IE&language=en", headers=service.educator).json()
    assert "IE" in cut["regions"]
    assert cut["claims"]
    assert any(row["claim_id"].startswith("vaccines-autism-") for row in cut["claims"])
    assert sum(row["sentiment_last_day"]["negative"] for row in cut["claims"]) >= 1
    nowhere = service.client.request("GET", "/v1/trends?region=ZZ", headers=service.educator).json()
    assert nowhere["claims"] == []

    def queued(query: str) -> list[str]:
        """The post keys of the items the filter lets through, pending or filed (the policy decides which)."""
        keys = []
        for status in ("pending", "filed"):
            path = f"/v1/reviews?status={status}&{query}&limit=100"
            keys += [
                item["post_key"]
                for item in service.client.request("GET", path, headers=service.educator).json()["items"]
            ]
        return keys

    key = f"x#{myth['post_id']}"
    assert key in queued("region=ie")
    assert key not in queued("region=ZZ")
    summaries = [
        service.client.request("GET", f"/v1/reviews:summary?status={status}&region=IE", headers=service.educator).json()
        for status in ("pending", "filed")
    ]
    assert {region for summary in summaries for region in summary["by_region"]} == {"IE"}


def test_alerts_need_an_educator_and_refuse_a_bad_kind(service: Service) -> None:
    assert service.client.request("GET", "/v1/alerts").status == 401
    assert service.client.request("GET", "/v1/alerts?kind=nonsense", headers=service.educator).status == 422
