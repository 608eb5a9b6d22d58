"""Running a sandbox app: in a background thread for tests (:func:`running_sandbox`), or in the foreground.

Both need the ``server`` extra (uvicorn). The thread runner binds its own socket on a free port before
starting, so there is no race between choosing a port and listening on it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hireflow.shared.errors import ServiceUnavailable
from hireflow.shared.extras import require

_STARTUP_SECONDS = 10.0
_SHUTDOWN_SECONDS = 10.0
_GRACE_SECONDS = 1  # requests held by slow/timeout faults are cancelled after this, so shutdown stays quick


def _server_config(uvicorn: Any, app: Any, **options: Any) -> Any:
    return uvicorn.Config(
        app,
        lifespan="off",
        ws="none",  # no websockets: their import warns on some versions, and the sandboxes speak plain HTTP
        log_config=None,  # keep whatever logging the caller configured
        access_log=False,
        timeout_graceful_shutdown=_GRACE_SECONDS,
        **options,
    )


@contextmanager
def running_sandbox(app: Any, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port of ``host`` in a background thread; yield its base URL.

    The server stops, and the thread ends, when the ``with`` block exits.
    """
    uvicorn = require("server", "uvicorn", "the CRM sandboxes")
    sock = _bound_socket(host, 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(_server_config(uvicorn, app, log_level="warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"crm-sandbox-{port}", daemon=True
    )
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield f"http://{f'[{host}]' if ':' in host else host}:{port}"
    finally:
        server.should_exit = True
        thread.join(_SHUTDOWN_SECONDS)
        sock.close()


def _wait_until_started(server: Any, thread: threading.Thread) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while not server.started:
        if not thread.is_alive():
            raise ServiceUnavailable("the CRM sandbox server stopped while starting; see the log above")
        if time.monotonic() > deadline:
            raise ServiceUnavailable(f"the CRM sandbox server did not start within {_STARTUP_SECONDS:g} s")
        time.sleep(0.01)


def serve_sandbox(app: Any, *, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` in the foreground until Ctrl-C (SIGINT) or SIGTERM.

    Raises ServiceUnavailable, naming the address, when the port is taken.
    """
    uvicorn = require("server", "uvicorn", "the CRM sandboxes")
    sock = _bound_socket(host, port)
    try:
        uvicorn.Server(_server_config(uvicorn, app)).run(sockets=[sock])
    finally:
        sock.close()


def _bound_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServiceUnavailable(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port or --host"
        ) from None
    return sock
