"""Load from wrk (a C load generator, Debian package ``wrk``) when it is installed: it costs the loopback
machine far less CPU than a Python client, so the servers get the cores."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from _load import LoadResult

_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    port: int, paths: list[str], headers: dict[str, str], seconds: float, threads: int, connections: int
) -> LoadResult:
    """GET random ``paths`` with wrk for ``seconds``; only the summary wrk prints is kept (p50, p99, counts)."""
    script = "\n".join(
        [
            "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}",
            *(f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()),
            "request = function() return wrk.format('GET', paths[math.random(#paths)]) end",
        ]
    )
    with tempfile.TemporaryDirectory() as directory:
        lua = Path(directory) / "paths.lua"
        lua.write_text(script)
        command = [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
            "-s", str(lua), f"http://127.0.0.1:{port}",
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, socket.groups())) if socket else 0)
    latencies = {share: float(value) * _UNITS[unit] for share, value, unit in _LATENCY.findall(output)}
    return LoadResult(
        requests=requests,
        errors=errors,
        seconds=seconds,
        latencies_ms=[],
        p50_ms=latencies.get("50"),
        p99_ms=latencies.get("99"),
    )
