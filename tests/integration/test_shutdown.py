"""``antidote serve`` stops cleanly on SIGTERM and SIGINT however it was started, leaves no DynamoDB Local behind,
never runs two on one data folder, and needs nothing in a fresh state folder."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from functions.local.dynamodb_local import PID_FILE, DynamoDBLocal, ends_with_parent, engine_alive, engines_on
from functions.shared.settings import PROJECT_ROOT, get_settings
from tests.integration.serve_process import (
    PID_1,
    Served,
    antidote,
    pid_in_namespace,
    pid_namespaces_available,
    serve_env,
    signal_ignored,
    start_serve,
)


def assert_left_nothing(served: Served, engine_pid: int) -> None:
    assert served.wait_gone(90), f"serve still running:\n{served.log.read_text()[-2000:]}"
    deadline = time.monotonic() + 10
    while engine_alive(engine_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not engine_alive(engine_pid), "its DynamoDB Local (java) is still running"
    assert engines_on(served.data_dir) == []
    assert not served.endpoint_file.exists()
    assert not (served.data_dir / PID_FILE).exists()
    assert "stopping" in served.log.read_text()
    assert "Traceback" not in served.log.read_text()


def test_a_script_starts_background_jobs_with_sigint_ignored() -> None:
    """The premise: what 'serve &' in a script inherits, and why the service installs its handlers itself."""
    shell = subprocess.run(
        ["bash", "-c", "sleep 30 >/dev/null 2>&1 &\necho $!"], capture_output=True, text=True, check=True
    )
    pid = int(shell.stdout)
    try:
        assert signal_ignored(pid, signal.SIGINT)
    finally:
        subprocess.run(["kill", str(pid)], check=False)


@pytest.mark.parametrize(
    ("background", "signum"),
    [(True, signal.SIGTERM), (True, signal.SIGINT), (False, signal.SIGTERM)],
    ids=["background-sigterm", "background-sigint", "foreground-sigterm"],
)
def test_serve_stops_cleanly_on_a_signal(tmp_path: Path, kb_index_dir: Path, background: bool, signum: int) -> None:
    state = tmp_path / "state"  # a fresh state folder: nothing in it, not even the engine
    served = start_serve(state, serve_env(state, kb_index_dir), background)
    try:
        engine = served.engine()
        assert engine_alive(int(engine["pid"]))
        assert engines_on(served.data_dir) == [int(engine["pid"])]
        assert served.endpoint_file.read_text() == engine["endpoint"]
        with urllib.request.urlopen(served.url + "/swagger", timeout=30) as reply:
            assert reply.status == 200
            assert b"openapi" in reply.read()
        if background:
            assert not signal_ignored(served.pid, signal.SIGINT)
        served.send(signum)
        assert_left_nothing(served, int(engine["pid"]))
        assert f"stopping ({signal.Signals(signum).name})" in served.log.read_text()
    finally:
        served.stop()


def test_serve_as_a_containers_first_process_stops_on_sigterm(tmp_path: Path, kb_index_dir: Path) -> None:
    """PID 1 of a namespace gets SIGTERM (``docker stop``) only if it handles it; the service does."""
    if not pid_namespaces_available():
        pytest.skip("this machine cannot create PID namespaces (unshare --pid)")
    state = tmp_path / "state"
    served = start_serve(state, serve_env(state, kb_index_dir), background=False, prefix=PID_1)
    try:
        assert pid_in_namespace(served.pid) == 1
        [engine] = engines_on(served.data_dir)
        served.send(signal.SIGTERM)
        assert_left_nothing(served, engine)
    finally:
        served.stop()


def wait_until_gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while engine_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not engine_alive(pid)


@pytest.mark.skipif(not ends_with_parent(), reason="needs util-linux's setpriv --pdeathsig (Linux)")
def test_a_killed_serve_takes_its_engine_with_it(tmp_path: Path, kb_index_dir: Path) -> None:
    state = tmp_path / "state"
    crashed = start_serve(state, serve_env(state, kb_index_dir), background=False)
    try:
        engine = int(crashed.engine()["pid"])
        crashed.send(signal.SIGKILL)  # no cleanup at all
        assert crashed.wait_gone(30)
        assert wait_until_gone(engine), "the engine outlived the serve that was killed"
        assert engines_on(crashed.data_dir) == []
    finally:
        crashed.stop()


@pytest.mark.skipif(not ends_with_parent(), reason="needs util-linux's setpriv --pdeathsig (Linux)")
def test_an_in_memory_engine_ends_with_the_process_that_started_it(tmp_path: Path) -> None:
    """A test run or a benchmark killed by a signal runs no cleanup; its in-memory engine has no record anywhere."""
    starter = textwrap.dedent(
        """
        import sys, time
        from functions.local.dynamodb_local import DynamoDBLocal
        from functions.shared.settings import get_settings
        engine = DynamoDBLocal(get_settings().dynamodb_local_dir)
        engine.start()
        print(engine.pid, flush=True)
        time.sleep(300)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", starter], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None
        engine = int(process.stdout.readline())
        assert engine_alive(engine)
        process.kill()
        process.wait(30)
        assert wait_until_gone(engine), "the in-memory engine outlived the process that was killed"
    finally:
        if process.poll() is None:
            process.kill()


def test_an_engine_whose_owner_is_gone_is_stopped_not_doubled(tmp_path: Path, kb_index_dir: Path) -> None:
    """Where an engine cannot be tied to its owner's life (no setpriv), a killed serve leaves it on the data folder
    with its record: made here by starting one untied, recorded for an owner that has exited."""
    state = tmp_path / "state"
    env = serve_env(state, kb_index_dir)
    data_dir = state / "dynamodb-data"
    data_dir.mkdir(parents=True)
    untied = DynamoDBLocal(get_settings().dynamodb_local_dir, data_dir)
    orphan = subprocess.Popen(
        untied._command(),
        cwd=untied.jar.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    gone_owner = subprocess.Popen(["true"])
    gone_owner.wait()  # an owner that has exited
    record = {"pid": orphan.pid, "owner": gone_owner.pid, "endpoint": untied.endpoint}
    (data_dir / PID_FILE).write_text(json.dumps(record))
    try:
        deadline = time.monotonic() + 60
        while engines_on(data_dir) != [orphan.pid] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert engines_on(data_dir) == [orphan.pid]

        served = start_serve(state, env, background=False)
        try:
            fresh = int(served.engine()["pid"])
            assert fresh != orphan.pid
            assert not engine_alive(orphan.pid)
            assert engines_on(served.data_dir) == [fresh]  # one engine on the data folder, never two
            assert "stopping a DynamoDB Local left by a process that is gone" in served.log.read_text()
            served.send(signal.SIGTERM)
            assert_left_nothing(served, fresh)
        finally:
            served.stop()
    finally:
        if orphan.poll() is None:
            orphan.kill()
        orphan.wait(30)


def test_a_second_serve_on_a_live_data_folder_is_refused(tmp_path: Path, kb_index_dir: Path) -> None:
    state = tmp_path / "state"
    env = serve_env(state, kb_index_dir)
    served = start_serve(state, env, background=True)
    try:
        engine = int(served.engine()["pid"])
        second = antidote(["serve", "--port", "0"], env)
        assert second.returncode == 2
        assert f"DynamoDB Local (pid {engine}) already serves" in second.stderr
        assert engines_on(served.data_dir) == [engine]
        assert served.alive()
    finally:
        served.stop()


def test_keys_token_and_dlq_work_with_a_fresh_state_folder(tmp_path: Path) -> None:
    """Nothing installed under ANTIDOTE_STATE_DIR: the engine comes from its own cache, the data is made there."""
    state = tmp_path / "new-state"
    env = serve_env(state, tmp_path / "no-index-needed")
    created = antidote(["keys", "create", "--owner", "Fresh Clinic", "--scope", "check"], env)
    assert created.returncode == 0, created.stderr
    assert "created key" in created.stdout
    token = antidote(["token", "--user", "amina"], env)
    assert token.returncode == 0, token.stderr
    assert token.stdout.count(".") == 2
    listed = antidote(["dlq", "list", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""
    assert engines_on(state / "dynamodb-data") == []
    assert not (state / "dynamodb-local").exists()
