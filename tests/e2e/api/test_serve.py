"""``hireflow serve``: its help, its one-line error without the server extra, and a real server on loopback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from hireflow import __version__
from hireflow.apps.cli.main import app
from tests.e2e.cli import CONSOLE_SCRIPT, hireflow, ok

STARTUP_SECONDS = 15.0


def test_serve_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--host", "--port", "--workers"):
        assert option in result.output


def test_serve_without_the_server_extra_fails_in_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # makes `import uvicorn` raise ImportError
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 78, result.output
    assert result.stderr == "error: the API server needs the 'server' extra: pip install 'hireflow[server]'\n"


def test_serve_refuses_placeholder_secrets_in_production(runner: CliRunner) -> None:
    result = runner.invoke(app, ["serve"], env={"HIREFLOW_ENVIRONMENT": "production"})
    assert result.exit_code == 78, result.output
    assert result.stderr.startswith("error: HIREFLOW_SECRET_KEY is a placeholder")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_health(url: str, process: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            return httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_serves_the_api(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'serve.db'}"
    ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=database_url))
    port = _free_port()
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "hireflow"]
    env = {name: value for name, value in os.environ.items() if not name.startswith("HIREFLOW_")}
    env["HIREFLOW_DATABASE_URL"] = database_url
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        response = _wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "version": __version__}
        assert response.headers["x-request-id"]
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10.0)
        assert ready.status_code == 200, ready.text
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in output
    assert "/healthz" in output  # the access line


SIGN_IN_LINE = re.compile(r"sign in .* as (?P<email>\S+) with the password (?P<password>\S+) ")


def _wait_for_line(path: Path, pattern: re.Pattern[str], process: subprocess.Popen[bytes]) -> re.Match[str]:
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        assert process.poll() is None, path.read_text()
        found = pattern.search(path.read_text())
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no line matching {pattern.pattern}:\n{path.read_text()}")


def test_up_seeds_serves_and_prints_a_demo_sign_in(tmp_path: Path) -> None:
    """What a new user does after `bash scripts/start.sh`: open /docs and sign in as the printed admin."""
    port = _free_port()
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "hireflow"]
    env = {name: value for name, value in os.environ.items() if not name.startswith("HIREFLOW_")}
    env["COLUMNS"] = "300"
    output = tmp_path / "up.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            [*command, "up", "--candidates", "200", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            login = _wait_for_line(output, SIGN_IN_LINE, process)
            _wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
            base = f"http://127.0.0.1:{port}"
            assert httpx.get(f"{base}/docs", timeout=5).status_code == 200
            tokens = httpx.post(
                f"{base}/api/v1/auth/token",
                data={"username": login["email"], "password": login["password"]},
                timeout=10,
            )
            assert tokens.status_code == 200, tokens.text
            headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
            units = httpx.get(f"{base}/api/v1/business-units", headers=headers, timeout=10)
            assert units.status_code == 200
            assert units.json()["items"], "the demo company group has business units"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    assert "Traceback" not in output.read_text()


def test_the_served_app_tunes_the_garbage_collector_and_the_plain_one_does_not(
    make_client,  # type: ignore[no-untyped-def]
) -> None:
    import gc

    from starlette.testclient import TestClient

    from hireflow.apps.api.app import create_app, create_server_app

    before = gc.get_threshold()
    try:
        with TestClient(create_app()):
            assert gc.get_threshold() == before
        with TestClient(create_server_app()) as client:
            assert gc.get_threshold() == (20_000, 50, 100)
            assert gc.get_freeze_count() > 0
            assert client.get("/healthz").status_code == 200
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
