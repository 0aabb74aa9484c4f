"""The outside probe's findings (issue 15), each a regression test over real HTTP against the local service: every
request gets an HTTP answer, problem+json for every error, authentication before validation, and an HTTP layer that
frames requests strictly and survives stalled clients."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from functions.shared.dal.models import configure
from tests.conftest import Reply, Service
from tests.integration.service.test_api import count_posts, is_problem
from tests.integration.service.test_pipeline import post


def raw_exchange(service: Service, data: bytes, timeout: float = 30) -> bytes:
    """Send bytes as they are and read until the server closes (or goes quiet)."""
    with socket.create_connection(("127.0.0.1", service.local.port), timeout=timeout) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


def status_and_type(response: bytes) -> tuple[int, str]:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    content_type = next(
        (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("content-type")), ""
    )
    return int(lines[0].split()[1]), content_type


# ---------------------------------------------------------------- parser-breaking input: a 4xx naming the field


def test_json_nested_a_thousand_deep_is_a_400_even_without_a_credential(service: Service) -> None:
    deep = b'{"posts": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    assert len(deep) < 2100
    for headers in ({}, {"x-api-key": service.ingest_key}):
        body = is_problem(service.client.request("POST", "/v1/posts", raw=deep, headers=headers), 400)
        assert "nested deeper" in body["detail"]
        assert body["errors"][0]["field"] == "body"


@pytest.mark.parametrize("key", ["adk__abcdefabcdefabcdefabcdef", "adk_" + "a" * 2100 + "_x", "adk_abc_", "_" * 3000])
def test_malformed_api_keys_are_401_not_an_empty_reply(service: Service, key: str) -> None:
    reply = service.client.request("POST", "/v1/claims:check", {"text": "does garlic cure flu"}, {"x-api-key": key})
    assert "unknown API key" in is_problem(reply, 401)["detail"]


def test_a_post_dated_outside_the_calendar_is_rejected_alone(service: Service) -> None:
    batch = [post(f"the out-of-range date probe, post {n}, vitamin C cures colds") for n in range(99)]
    bad = post("posted before the calendar began", created_at="0001-01-01T00:00:00+14:00")
    before = count_posts()
    reply = service.client.request("POST", "/v1/posts", {"posts": [*batch, bad]}, {"x-api-key": service.ingest_key})
    assert reply.status == 200, reply.body[:300]
    result = reply.json()
    assert (result["accepted"], result["rejected"]) == (99, 1)
    assert result["items"][99]["status"] == "rejected"
    assert result["items"][99]["post_id"] == bad["post_id"]
    assert "created_at" in result["items"][99]["reason"]
    assert count_posts() == before + 99


def test_a_batch_takes_the_good_posts_and_rejects_each_bad_one_with_its_reason(service: Service) -> None:
    good = post("is it true that cold water gives you a cold?")
    bad = [
        {**post("a"), "platform": "myspace"},
        {**post("b"), "text": "   "},
        {**post("c"), "text": "x" * 10_001},
        {"platform": "x", "post_id": 5, "text": ["no"], "created_at": "yesterday"},
    ]
    reply = service.client.request(
        "POST", "/v1/posts", {"posts": [bad[0], good, *bad[1:]]}, {"x-api-key": service.ingest_key}
    )
    assert reply.status == 200, reply.body[:300]
    items = reply.json()["items"]
    assert [i["status"] for i in items] == ["rejected", "accepted", "rejected", "rejected", "rejected"]
    assert "platform" in items[0]["reason"]
    assert items[1]["post_id"] == good["post_id"]
    assert "text" in items[2]["reason"]
    assert "text" in items[3]["reason"]


def cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


@pytest.mark.parametrize(
    "value",
    [
        "garbage!!",
        cursor({"item_id": {"S": "x"}}),
        cursor({"item_id": {"S": "x"}, "status": {"S": "approved"}, "priority_key": {"S": "1"}}),
        cursor({"item_id": {"N": "1"}, "status": {"S": "pending"}, "priority_key": {"S": "1"}}),
        cursor({"item_id": {"S": ""}, "status": {"S": "pending"}, "priority_key": {"S": "1"}}),
        cursor(["a list"]),
    ],
)
def test_a_malformed_cursor_is_422_naming_the_cursor(service: Service, value: str) -> None:
    reply = service.client.request("GET", f"/v1/reviews?cursor={value}", headers=service.educator)
    body = is_problem(reply, 422)
    assert body["errors"][0]["field"] == "query.cursor"


def test_an_oversized_item_id_is_422_for_an_educator_and_401_for_a_stranger(service: Service) -> None:
    long_id = "a" * 2100
    body = is_problem(service.client.request("GET", f"/v1/reviews/{long_id}", headers=service.educator), 422)
    assert "item_id" in body["errors"][0]["field"]
    is_problem(service.client.request("POST", f"/v1/reviews/{long_id}/approve", {}, service.educator), 422)
    is_problem(service.client.request("GET", f"/v1/reviews/{long_id}"), 401)


# ---------------------------------------------------------------- the database down: 503 + Retry-After


@pytest.fixture
def database_down(service: Service) -> Iterator[None]:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    configure(service.settings.model_copy(update={"dynamodb_endpoint": dead}))
    try:
        yield
    finally:
        configure(service.settings)


def test_every_request_gets_a_503_with_retry_after_while_the_database_is_down(
    service: Service, database_down: None
) -> None:
    replies = [
        service.client.request(
            "POST", "/v1/claims:check", {"text": "garlic cures flu"}, {"x-api-key": service.check_key}
        ),
        service.client.request(
            "POST", "/v1/posts", {"posts": [post("garlic cures flu")]}, {"x-api-key": service.ingest_key}
        ),
        service.client.request("GET", "/v1/reviews", headers=service.educator),
        service.client.request("GET", "/v1/reviews/abc", headers=service.educator),
    ]
    for reply in replies:
        body = is_problem(reply, 503)
        assert int(reply.headers["Retry-After"]) > 0
        assert body["correlation_id"]


# ---------------------------------------------------------------- authentication before validation


def test_strangers_get_401_or_403_before_any_field_is_validated(service: Service) -> None:
    c = service.client
    revoked = service.key("gone", "ingest")
    service.keys.revoke_api_key(revoked.split("_")[1], datetime.now(UTC))
    is_problem(c.request("POST", "/v1/reviews/x/reject", {}), 401)
    is_problem(c.request("POST", "/v1/reviews/x/reject", {}, {"x-api-key": service.check_key}), 403)
    is_problem(c.request("POST", "/v1/posts", {"posts": "nope"}), 401)
    is_problem(c.request("POST", "/v1/posts", {"posts": "nope"}, {"x-api-key": revoked}), 401)
    is_problem(c.request("POST", "/v1/posts", {"posts": "nope"}, {"x-api-key": service.check_key}), 403)
    is_problem(c.request("POST", "/v1/claims:check", {}, {"x-api-key": service.ingest_key}), 403)
    is_problem(c.request("GET", "/v1/reviews?limit=0&status=sideways"), 401)
    for reply in (c.request("POST", "/v1/reviews/x/reject", {}), c.request("POST", "/v1/posts", {"posts": "nope"})):
        assert "errors" not in reply.json()


# ---------------------------------------------------------------- the HTTP layer


def test_a_negative_content_length_is_a_400_problem(service: Service) -> None:
    response = raw_exchange(
        service, b"POST /v1/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}"
    )
    assert status_and_type(response) == (400, "application/problem+json")


def chunked(headers: bytes, body: bytes) -> bytes:
    return headers + b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"


def test_a_chunked_body_is_read_as_chunks(service: Service) -> None:
    body = json.dumps({"text": "does garlic cure the flu"}).encode()
    headers = (
        b"POST /v1/claims:check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"x-api-key: {service.check_key}\r\nConnection: close\r\n".encode()
    )
    response = raw_exchange(service, chunked(headers, body))
    assert status_and_type(response)[0] == 200
    assert json.loads(response.split(b"\r\n\r\n", 1)[1])["results"]


def test_a_request_hidden_in_a_chunked_body_is_never_run(service: Service) -> None:
    """Transfer-Encoding wins over Content-Length: the hidden request is body (not JSON: 400), not a second
    request (the old server read 4 bytes by Content-Length and ran what followed)."""
    hidden = f"GET /v1/reviews HTTP/1.1\r\nHost: x\r\nAuthorization: {service.educator['Authorization']}\r\n\r\n"
    headers = (
        b"POST /v1/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
        + f"x-api-key: {service.ingest_key}\r\n".encode()
    )
    response = raw_exchange(service, chunked(headers, hidden.encode()))
    assert response.count(b"HTTP/1.1 ") == 1
    assert status_and_type(response) == (400, "application/problem+json")


def test_stalled_connections_hold_no_threads_and_the_service_still_answers(service: Service) -> None:
    threads_before = threading.active_count()
    stalled = []
    for _ in range(200):
        sock = socket.create_connection(("127.0.0.1", service.local.port), timeout=10)
        sock.sendall(b"POST /v1/posts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")  # never finished
        stalled.append(sock)
    try:
        time.sleep(0.5)
        assert threading.active_count() <= threads_before + 2
        is_problem(service.client.request("GET", "/v1/nothing-here", headers=service.educator), 404)
    finally:
        for sock in stalled:
            sock.close()


def test_many_clients_connecting_at_once_are_all_answered(service: Service) -> None:
    replies: list[Reply] = []

    def call() -> None:
        replies.append(service.client.request("GET", "/v1/nothing-here"))

    threads = [threading.Thread(target=call) for _ in range(150)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(replies) == 150
    assert {r.status for r in replies} == {404}


def test_transport_errors_are_problem_json(service: Service) -> None:
    c = service.client
    body = is_problem(c.request("POST", "/v1/posts", raw=b"hello", headers={"Content-Type": "text/plain"}), 415)
    assert "application/json" in body["detail"]
    is_problem(c.request("GET", "/v1/reviews?topic=" + "a" * 9000, headers=service.educator), 414)
    is_problem(c.request("GET", "/v1/reviews", headers={**service.educator, "X-Padding": "p" * 40_000}), 431)


def test_methods_head_options_trace_and_wrong_ones(service: Service) -> None:
    c = service.client
    head = c.request("HEAD", "/v1/reviews", headers=service.educator)
    assert head.status == 200
    assert head.body == b""
    options = c.request("OPTIONS", "/v1/reviews/abc/approve")
    assert options.status == 204
    assert options.headers["Allow"] == "OPTIONS, POST"
    for method, path in (("TRACE", "/v1/reviews"), ("DELETE", "/v1/posts"), ("GET", "/v1/claims:check")):
        reply = c.request(method, path, headers=service.educator)
        body = is_problem(reply, 405)
        assert reply.headers["Allow"]
        assert method in body["detail"]
    is_problem(c.request("TRACE", "/v1/nowhere"), 404)


def test_swagger_lists_every_route_of_every_function(service: Service) -> None:
    document = service.client.request("GET", "/swagger?format=json").json()
    assert {"/v1/posts", "/v1/claims:check", "/v1/reviews", "/v1/trends", "/v1/claims"} <= set(document["paths"])
    page = service.client.request("GET", "/swagger")
    assert page.status == 200
    assert b"/v1/claims:check" in page.body
    assert b"/v1/posts" in page.body
    responses = document["paths"]["/v1/reviews/{item_id}/undo"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422", "500", "503"} <= set(responses)
    assert "application/problem+json" in responses["403"]["content"]
    assert set(document["paths"]["/v1/posts"]["post"]["responses"]) >= {"400", "401", "403", "413", "415", "422", "429"}
    assert "Problem" in document["components"]["schemas"]
