"""``antidote serve`` as a real process, started the ways operators start it, and what it leaves behind."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from functions.local.dynamodb_local import PID_FILE, engine_alive, engines_on
from functions.shared.settings import PROJECT_ROOT

ANTIDOTE = [sys.executable, "-m", "functions.cli.app"]
SECRET = "serve-process-test-secret-0123456789abcdef"
KEEP_SETTINGS = {"ANTIDOTE_DYNAMODB_LOCAL_DIR"}  # the engine's cache: shared, never a test's state


def serve_env(state: Path, index_dir: Path, **extra: str) -> dict[str, str]:
    """A fresh state folder (nothing in it: the engine comes from its own cache) and the session's built index.

    No ``ANTIDOTE_*`` setting of this test process is passed on but the engine cache's: once the session's local
    service has started, this process holds its ``ANTIDOTE_DYNAMODB_ENDPOINT``, and a serve inheriting it would use
    that database instead of starting its own on the fresh state folder."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("ANTIDOTE_") or k in KEEP_SETTINGS},
        "ANTIDOTE_STATE_DIR": str(state),
        "ANTIDOTE_INDEX_DIR": str(index_dir),
        "ANTIDOTE_DEV_TOKEN_SECRET": SECRET,
        "COLUMNS": "200",
        **extra,
    }


def antidote(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ANTIDOTE, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@dataclass
class Served:
    """One ``antidote serve`` process: its pid, log, URL and state folder."""

    pid: int
    state: Path
    log: Path
    url: str
    process: subprocess.Popen[bytes] | None = None  # None when a shell started it in the background

    @property
    def data_dir(self) -> Path:
        return self.state / "dynamodb-data"

    @property
    def endpoint_file(self) -> Path:
        return self.state / "dynamodb-local.endpoint"

    def engine(self) -> dict[str, int | str]:
        """The DynamoDB Local this serve started, from the data folder's pid file."""
        data: dict[str, int | str] = json.loads((self.data_dir / PID_FILE).read_text())
        return data

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return engine_alive(self.pid)

    def send(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def wait_gone(self, timeout: float = 90) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        """Clean up after a failed test: SIGINT, then SIGKILL, and the engine too."""
        if self.alive():
            self.send(signal.SIGINT)
            if not self.wait_gone(60):
                self.send(signal.SIGKILL)
        for pid in engines_on(self.data_dir):
            os.kill(pid, signal.SIGKILL)


PID_1 = ["unshare", "--fork", "--pid", "--mount-proc"]  # a PID namespace of its own, as in a container


def start_serve(state: Path, env: dict[str, str], background: bool, prefix: list[str] | None = None) -> Served:
    """``antidote serve --port 0``: in the background of a non-interactive shell (``serve &`` in a script, which
    starts the job with SIGINT ignored), or as a direct child (a foreground run); with ``prefix=PID_1``, as the
    first process of a PID namespace, like a container's entrypoint (signals reach it only if it handles them)."""
    state.mkdir(parents=True, exist_ok=True)
    log = state.parent / f"{state.name}-serve-{time.monotonic_ns()}.log"
    command = [*(prefix or []), *ANTIDOTE, "serve", "--port", "0"]
    process: subprocess.Popen[bytes] | None = None
    if background:
        script = f"{shlex.join(command)} > {shlex.quote(str(log))} 2>&1 &\necho $!"
        shell = subprocess.run(
            ["bash", "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=30, check=True
        )
        pid = int(shell.stdout.strip())
    else:
        with open(log, "wb") as output:
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        pid = process.pid
    served = Served(pid, state, log, "", process)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        found = re.search(r"serving on (http://\S+)", log.read_text(errors="replace"))
        if found:
            served.url = found.group(1)
            if prefix:  # signals go to the service (the namespace's PID 1), not to the unshare process
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                served.pid = int(children[0])
            return served
        if not served.alive():
            break
        time.sleep(0.3)
    served.stop()
    raise AssertionError(f"antidote serve did not start:\n{log.read_text(errors='replace')[-3000:]}")


def pid_in_namespace(pid: int) -> int:
    """The process's pid inside its own PID namespace (the last NSpid field)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("NSpid:"):
            return int(line.split()[-1])
    return pid


def pid_namespaces_available() -> bool:
    try:
        return subprocess.run([*PID_1, "true"], capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def signal_ignored(pid: int, signum: int) -> bool:
    """Whether the process ignores the signal (SigIgn in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signum - 1)))
    return False
