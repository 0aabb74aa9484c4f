"""The request is pinned to the address that passed the SSRF check, yet TLS is verified against the URL's host
name: a real https receiver on 127.0.0.1 with a certificate for hooks.test (signed by a CA made for the test) gets
the delivery, and one whose certificate names another host is refused."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from functions.shared.webhooks import DeliveryAttempt, Destination, HttpxTransport, UrlRule, WebhookSender

HOST = "hooks.test"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificates(folder: Path, server_name: str) -> tuple[Path, Path, Path]:
    """A CA, and a server certificate for ``server_name`` it signed: (ca.pem, server.pem, server.key)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("test CA"))
        .issuer_name(_name("test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name(server_name))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(server_name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


@contextmanager
def https_receiver(cert: Path, key: Path, hosts: list[str]) -> Iterator[int]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hosts.append(self.headers.get("Host") or "")
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


class Log:
    def __init__(self) -> None:
        self.attempts: list[DeliveryAttempt] = []

    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        self.attempts.append(attempt)


def send(port: int, ca: Path) -> tuple[bool, Log]:
    log = Log()
    sender = WebhookSender(
        log,
        rule=UrlRule(require_https=True, allow_private=True),  # https as deployed; 127.0.0.1 allowed for the test
        transport=HttpxTransport(verify=ssl.create_default_context(cafile=str(ca))),
        resolver=lambda host, _port: ["127.0.0.1"] if host == HOST else [],
    )
    url = f"https://{HOST}:{port}/hook"
    result = sender.send(Destination(url, "s", "test#tls"), "test.ping", {}, "dlv_tls")
    return result.delivered, log


def test_tls_is_verified_against_the_url_host_while_connecting_to_the_checked_address(tmp_path: Path) -> None:
    ca, cert, key = _certificates(tmp_path, HOST)
    hosts: list[str] = []
    with https_receiver(cert, key, hosts) as port:
        delivered, log = send(port, ca)
    assert delivered
    assert [a.status for a in log.attempts] == [204]
    assert hosts == [f"{HOST}:{port}"]


def test_a_certificate_for_another_name_is_refused(tmp_path: Path) -> None:
    ca, cert, key = _certificates(tmp_path, "elsewhere.test")
    hosts: list[str] = []
    with https_receiver(cert, key, hosts) as port:
        delivered, log = send(port, ca)
    assert not delivered
    assert hosts == []
    assert log.attempts[0].error is not None
    assert "CERTIFICATE_VERIFY_FAILED" in log.attempts[0].error or "certificate" in log.attempts[0].error.lower()
