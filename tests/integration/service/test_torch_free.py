"""The Lambda handlers never load torch: a fresh process imports all three and answers a claim check."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from functions.shared.settings import PROJECT_ROOT
from tests.conftest import Service

HEAVY = ("torch", "transformers", "sentence_transformers")
SCRIPT = """
import json, sys
from functions.ingest import handler as ingest
from functions.match import handler as match
from functions.respond import handler as respond
from functions.local.runtime import FakeContext, api_event

body = json.dumps({"text": "the MMR jab gives kids autism, look it up, they hide it"}).encode()
headers = {"x-api-key": sys.argv[1], "content-type": "application/json"}
reply = match.handler(api_event("POST", "/v1/claims:check", headers, {}, body), FakeContext("antidote-match"))
print(json.dumps({
    "handlers": [ingest.handler.__module__, match.handler.__module__, respond.handler.__module__],
    "status": reply["statusCode"],
    "body": json.loads(reply["body"]),
    "loaded": sorted({name.split(".")[0] for name in sys.modules}),
}))
"""


def test_handlers_answer_a_claim_check_without_torch(service: Service) -> None:
    # The service fixture put the endpoint, the built artifact's folder and the dev settings in the environment.
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, service.check_key],
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 200, result["body"]
    answer = result["body"]["results"][0]
    assert answer["decision"] == "match", answer
    assert answer["claims"][0]["verdict"] in {"false", "misleading"}
    assert "onnxruntime" in result["loaded"]  # the check did embed, with the exported model
    assert not set(HEAVY) & set(result["loaded"]), result["loaded"]
