"""What every benchmark shares: how it prints its figures (aligned ``name: value`` lines, or one JSON object with
--json), how it times a repeated step, how a benchmark's child process reads its own peak memory, the CPU used
by the service's process and by its DynamoDB Local, and which packages a function's image installs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def file_at(commit: str, path: str) -> str:
    """The text of the repository's file ``path`` at ``commit``."""
    return subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def module_at(commit: str, path: str, name: str) -> types.ModuleType:
    """The repository's module ``path`` as it was at ``commit``, loaded under ``name`` beside today's code (its own
    imports are today's): a benchmark's baseline measured in the same run."""
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(file_at(commit, path), f"{name}.py", "exec"), module.__dict__)  # our own file, from git
    return module


def uv(*args: str, cwd: Path = ROOT) -> str:
    """uv's output; a failure stops the benchmark with uv's own message."""
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    done = subprocess.run([found, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"uv {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def uv_export(*groups: str, cwd: Path = ROOT) -> str:
    """The locked requirements of the shared dependencies and ``groups``, as the Dockerfile exports them for an
    image (``cwd``: a folder holding another commit's pyproject.toml and uv.lock)."""
    arguments = ["export", "--frozen", "--no-emit-project", "--format", "requirements-txt", "--no-default-groups"]
    for group in groups:
        arguments += ["--group", group]
    return uv(*arguments, cwd=cwd)


def package_names(requirements: str) -> set[str]:
    """The normalised distribution names pinned in an exported requirements text."""
    return {re.sub(r"[-_.]+", "-", name).lower() for name in re.findall(r"^([A-Za-z0-9_.-]+)==", requirements, re.M)}


def print_figures(figures: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures))
        return
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:>{width}}: {value}")


def best_ms_per_item(step: Callable[[], object], items: int, rounds: int = 3) -> float:
    """Milliseconds per item of the fastest of ``rounds`` runs of ``step`` (which handles ``items`` items): the best
    round is the one least disturbed by whatever else the machine was doing."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        best = min(best, (time.perf_counter() - started) / items * 1000)
    return best


def peak_rss_mb() -> float:
    """This process's peak resident memory, from /proc (VmHWM): getrusage's ru_maxrss survives exec, so a child
    process would report its parent's peak."""
    found = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    assert found, "no VmHWM in /proc/self/status (Linux only)"
    return int(found.group(1)) / 1024


def cpu_seconds(database_port: int) -> tuple[float, float]:
    """CPU time (user + system) used so far by this process (the service and the matcher) and by the DynamoDB Local
    serving it (0 where /proc cannot say)."""
    times = os.times()
    found = subprocess.run(
        ["pgrep", "-f", f"DynamoDBLocal.jar .*-port {database_port}$"], capture_output=True, text=True, check=False
    )
    java = 0.0
    for pid in found.stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        java += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return times.user + times.system, java
