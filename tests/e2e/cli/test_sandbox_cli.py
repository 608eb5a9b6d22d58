"""``hireflow sandbox``: its help, its one-line errors, and a real sandbox served by the installed script.

This directory has no ``__init__.py`` on purpose: ``tests/e2e/cli.py`` is a module that other tests import, and
a package of the same name would shadow it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.e2e.cli import CONSOLE_SCRIPT, hireflow, one_line_error
from typer.testing import CliRunner

from hireflow.apps.cli.main import app

STARTUP_SECONDS = 15.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_sandbox_help_lists_the_three_crms(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sandbox", "--help"])
    assert result.exit_code == 0, result.output
    for command in ("bullhorn", "hubspot", "salesforce"):
        assert command in result.output
    options = runner.invoke(app, ["sandbox", "salesforce", "--help"]).output
    for option in ("--port", "--records", "--faults", "--seed", "--host"):
        assert option in options


def test_a_bad_fault_spec_fails_in_one_line(tmp_path: Path) -> None:
    result = hireflow("sandbox", "bullhorn", "--faults", "429:every=0", cwd=tmp_path)
    one_line_error(result, 1, "bad fault spec '429:every=0': every must be at least 1")
    result = hireflow("sandbox", "hubspot", "--faults", "redirect:every=2", cwd=tmp_path)
    one_line_error(result, 1, "cannot inject redirect")


def test_without_the_server_extra_it_says_what_to_install(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # makes `import uvicorn` raise ImportError
    result = runner.invoke(app, ["sandbox", "hubspot"])
    assert result.exit_code == 78, result.output
    assert (
        result.stderr == "error: the CRM sandboxes needs the 'server' extra: pip install 'hireflow[server]'\n"
    )


def test_a_taken_port_fails_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = hireflow("sandbox", "bullhorn", "--port", str(port), cwd=tmp_path)
    one_line_error(result, 69, f"cannot listen on 127.0.0.1:{port}")


def test_the_sandbox_serves_until_interrupted(tmp_path: Path) -> None:
    port = _free_port()
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "hireflow"]
    env = {name: value for name, value in os.environ.items() if not name.startswith("HIREFLOW_")}
    out = tmp_path / "sandbox.out"
    with out.open("wb") as log:
        process = subprocess.Popen(
            [
                *command,
                "sandbox",
                "hubspot",
                "--port",
                str(port),
                "--records",
                "50",
                "--faults",
                "429:every=2",
            ],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/_sandbox/stats", process)
        banner = out.read_text()
        assert f"HubSpot sandbox at {base} (50 main records, seed 42)" in banner
        assert "Authorization: Bearer pat-sandbox-token" in banner
        assert "429:every=2:retry_after=1:policy=SECONDLY" in banner
        search = f"{base}/crm/v3/objects/contacts/search"
        headers = {"Authorization": "Bearer pat-sandbox-token"}
        first = httpx.post(search, json={"limit": 5}, headers=headers)
        assert (first.status_code, first.json()["total"]) == (200, 50)
        assert httpx.post(search, json={"limit": 5}, headers=headers).status_code == 429
    finally:
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=15)
    # uvicorn re-raises the SIGINT it caught once it has shut down: the shell's usual 130 for Ctrl-C.
    assert returncode in (0, 130), out.read_text()
    assert "Traceback" not in out.read_text()


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        assert process.poll() is None, f"the sandbox exited with {process.returncode}"
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
