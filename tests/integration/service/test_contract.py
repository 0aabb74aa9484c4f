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

pytestmark = pytest.mark.contract
MAX_EXAMPLES = 25
CONFIG = Path(__file__).with_name("schemathesis.toml")  # the two documented exceptions to the default checks
SEED = 15


def run_schemathesis(service: Service, path_regex: str, headers: dict[str, str], tmp_path: Path) -> str:
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(CONFIG),
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


@pytest.mark.parametrize(
    ("group", "path_regex", "credential"),
    [
        ("ingest webhook", "^/v1/posts$", "ingest"),
        ("claim check", "^/v1/claims:check$", "check"),
        ("review API", "^/v1/(reviews|trends|claims$)", "educator"),
    ],
)
def test_every_route_group_meets_its_openapi_document(
    service: Service, tmp_path: Path, group: str, path_regex: str, credential: str
) -> None:
    if credential == "educator":
        headers = service.educator
    else:  # a key of its own, with a quota that the run cannot use up
        headers = {"x-api-key": service.key(f"schemathesis-{credential}", credential, quota=1_000_000)}
    output = run_schemathesis(service, path_regex, headers, tmp_path)
    assert "No issues found" in output or "passed" in output, output[-3000:]
    assert " 0 operations" not in output, f"{group}: schemathesis selected no operation"
