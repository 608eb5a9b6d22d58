"""``hireflow serve``: run the API with uvicorn."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import Annotated

import typer

APP_FACTORY = "hireflow.apps.api.app:create_server_app"


def serve(
    host: Annotated[
        str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API with uvicorn (needs the 'server' extra)."""
    from hireflow.shared.config import get_settings
    from hireflow.shared.extras import require
    from hireflow.shared.logging import configure_logging

    require("server", "fastapi", "the API server")
    uvicorn = require("server", "uvicorn", "the API server")
    settings = get_settings()
    settings.require_safe_secrets()  # fail here, in one line, rather than inside uvicorn's loader
    # A server reports what it does: INFO unless a level was asked for (--log-level or HIREFLOW_LOG_LEVEL).
    level = settings.log_level if "log_level" in settings.model_fields_set else "INFO"
    configure_logging(level, settings.log_format)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,  # keep the structlog pipeline configure_logging set up
        access_log=False,  # the request-id middleware logs one access line per request
    )
