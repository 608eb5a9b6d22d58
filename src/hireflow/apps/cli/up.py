"""``hireflow up``: one command from nothing to a migrated, seeded database, its funnel summary, and the API."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine
from hireflow.apps.cli.db import apply_migration
from hireflow.apps.cli.demo import DEFAULT_CANDIDATES, DEFAULT_SEED

if TYPE_CHECKING:
    from rich.console import Console


def up(
    candidates: Annotated[
        int, typer.Option(min=0, help="Candidates to seed when the database is empty.")
    ] = DEFAULT_CANDIDATES,
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = DEFAULT_SEED,
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the API afterwards (needs hireflow[server]).")
    ] = True,
    host: Annotated[str, typer.Option(help="Interface the API listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port of the API.")] = 8000,
) -> None:
    """Migrate to head, seed the demo data if the database is empty, print the funnel summary, serve the API."""
    from hireflow.apps.cli.demo import print_seed_report, seed_with_progress
    from hireflow.apps.cli.summary import funnel_summary, print_funnel_summary
    from hireflow.infra.db.seed import database_has_data

    console = output.console()
    with connected_engine() as engine:
        before, after = apply_migration(engine, "upgrade", "head")
        url = engine.url.render_as_string(hide_password=True)
        if before == after:
            console.print(f"database {url} is at {after} (head)", soft_wrap=True)
        else:
            console.print(f"database {url} migrated {before or 'base'} -> {after} (head)", soft_wrap=True)
        if database_has_data(engine):
            console.print(
                "the database already has data: not seeding (`hireflow demo seed --append` adds more)",
                soft_wrap=True,
            )
        else:
            report = seed_with_progress(engine, candidates=candidates, seed=seed, append=False)
            print_seed_report(report, console)
        print_funnel_summary(funnel_summary(engine), console)
    if serve_api:
        _announce_and_serve(console, host, port)


def _announce_and_serve(console: Console, host: str, port: int) -> None:
    """Say where the API is and how to sign in to the demo, then serve it until interrupted."""
    from hireflow.apps.cli.demo_login import reset_demo_login
    from hireflow.apps.cli.serve import serve
    from hireflow.shared.config import get_settings
    from hireflow.shared.extras import require

    require("server", "uvicorn", "serving the API")
    from hireflow.infra.db.session import SessionLocal
    from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
    from hireflow.infra.security import Argon2PasswordHasher

    docs = f"http://{host}:{port}/docs"
    console.print(f"API: {docs} (OpenAPI at http://{host}:{port}/openapi.json)", soft_wrap=True)
    if get_settings().is_development:
        login = reset_demo_login(sqlalchemy_uow_factory(SessionLocal), Argon2PasswordHasher())
        if login is not None:
            console.print(
                f"sign in (the 'Authorize' button of {docs}) as {login.email} with the password "
                f"{login.password} (admin of {login.company_group}; a new password every `hireflow up`)",
                soft_wrap=True,
            )
    serve(host=host, port=port, workers=1)
