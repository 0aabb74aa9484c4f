"""The contract, checked from outside: schemathesis generates requests from the OpenAPI document the running local
service serves (valid and invalid data, undocumented methods, missing credentials) for every route group, with valid
credentials, and runs every check it has (status codes, content types, headers and bodies as documented, no 5xx,
invalid data refused, valid data accepted, unsupported methods 405, authentication not ignored).

Bounded (``MAX_EXAMPLES`` per operation and phase, a fixed seed) so the whole run takes a few minutes on two cores.
Select it alone with ``-m contract``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Service
from tests.integration.service.test_pipeline import deliver, post

pytestmark = pytest.mark.contract
MAX_EXAMPLES = 25
CONFIG = Path(__file__).with_name("schemathesis.toml")  # the two documented exceptions to the default checks
# The review routes on a real pending item, so that schemathesis reaches approve, reject and undo themselves (with
# random ids every call is a 404). Approving checks an edited text against the item's platform limit (280 characters
# here), which the document cannot say per item: a longer text is a 422 naming the limit.
REAL_ITEM = """
[parameters]
item_id = "{item_id}"

[[operations]]
include-name = "POST /v1/reviews/{{item_id}}/approve"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
"""
SEED = 15


def run_schemathesis(
    service: Service, path_regex: str, headers: dict[str, str], tmp_path: Path, extra_config: str = ""
) -> str:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.read_text() + extra_config)
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(config),
        "run",
        f"{service.local.url}/swagger?format=json",
        "--include-path-regex",
        path_regex,
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",  # two workers parse schemathesis's own source from two threads; Python 3.11's ast.parse then fails
        "--request-timeout",
        "60",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path)
    (tmp_path / "schemathesis.log").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, f"see {tmp_path / 'schemathesis.log'}\n" + done.stdout[-6000:] + done.stderr[-2000:]
    return done.stdout


def pending_item_id(service: Service) -> str:
    """A pending review item: one the pipeline makes from a plain question, or any already in the queue."""
    deliver(service, [post("Does detox tea really flush the toxins out of your liver?")])
    page = service.client.request("GET", "/v1/reviews?limit=1", headers=service.educator).json()
    assert page["items"], "no pending review item to test the review routes on"
    item_id: str = page["items"][0]["item_id"]
    return item_id


@pytest.mark.parametrize(
    ("group", "path_regex", "credential"),
    [
        ("ingest webhook", "^/v1/posts$", "ingest"),
        ("claim check", "^/v1/claims:check$", "check"),
        ("review API", "^/v1/(reviews|trends|claims$|claims:coming-up$)", "educator"),
        ("partner webhooks (admin)", "^/v1/keys/", "admin"),
    ],
)
def test_every_route_group_meets_its_openapi_document(
    service: Service, tmp_path: Path, group: str, path_regex: str, credential: str
) -> None:
    extra = ""
    if credential == "educator":
        headers = service.educator
        extra = REAL_ITEM.format(item_id=pending_item_id(service))
    elif credential == "admin":
        headers = service.admin
    else:  # a key of its own, with a quota that the run cannot use up
        headers = {"x-api-key": service.key(f"schemathesis-{credential}", credential, quota=1_000_000)}
    output = run_schemathesis(service, path_regex, headers, tmp_path, extra)
    assert "No issues found" in output or "passed" in output, output[-3000:]
    assert " 0 operations" not in output, f"{group}: schemathesis selected no operation"
