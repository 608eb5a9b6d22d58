"""``hireflow up``: one command from nothing to a migrated, seeded database and its funnel summary."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import Annotated

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine
from hireflow.apps.cli.db import apply_migration
from hireflow.apps.cli.demo import DEFAULT_CANDIDATES, DEFAULT_SEED


def up(
    candidates: Annotated[
        int, typer.Option(min=0, help="Candidates to seed when the database is empty.")
    ] = DEFAULT_CANDIDATES,
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = DEFAULT_SEED,
) -> None:
    """Migrate to head, seed the demo data if the database is empty, and print the funnel summary."""
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
