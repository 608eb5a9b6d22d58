"""``hireflow demo``: fill the database with a realistic, reproducible demo hiring funnel."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine, require_head
from hireflow.shared.errors import Conflict

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

    from hireflow.infra.db.seed import SeedReport

DEFAULT_CANDIDATES = 2000
DEFAULT_SEED = 42

demo_app = typer.Typer(
    name="demo",
    help="Demo data: a realistic hiring funnel to explore, the same for the same seed.",
    no_args_is_help=True,
)


@demo_app.command("seed")
def seed_command(
    candidates: Annotated[
        int, typer.Option(min=0, help="How many candidates to create.")
    ] = DEFAULT_CANDIDATES,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = DEFAULT_SEED,
    append: Annotated[
        bool, typer.Option("--append", help="Add to existing data instead of refusing.")
    ] = False,
) -> None:
    """Seed demo company groups, roles, locations and candidates into a migrated database."""
    from hireflow.infra.db.seed import database_has_data

    with connected_engine() as engine:
        require_head(engine)
        if not append and database_has_data(engine):
            raise Conflict(
                "the database already has data; pass --append to add demo data to it, "
                "or point --database-url at an empty database"
            )
        report = seed_with_progress(engine, candidates=candidates, seed=seed, append=append)
    print_seed_report(report, output.console())


def seed_with_progress(engine: Engine, *, candidates: int, seed: int, append: bool) -> SeedReport:
    """Run the seeder behind a progress bar on stderr, fed by its progress callback."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from hireflow.infra.db.seed import seed_demo

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    console = output.console(stderr=True)
    # No auto-refresh thread: the seeder forks a worker process on SQLite only while no other thread runs.
    with Progress(*columns, console=console, transient=console.is_terminal, auto_refresh=False) as progress:
        task = progress.add_task("seeding candidates", total=candidates)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, refresh=True)

        return seed_demo(engine, candidates=candidates, seed=seed, append=append, progress=on_progress)


def print_seed_report(report: SeedReport, console: Console) -> None:
    """A table of the rows written per table, then the elapsed time and the rate in candidates per second."""
    from rich.table import Table

    table = Table(title="Demo data created", title_justify="left")
    table.add_column("Table", no_wrap=True)
    table.add_column("Rows", justify="right", no_wrap=True)
    for name, count in report.counts.items():
        table.add_row(name, f"{count:,}")
    table.add_section()
    table.add_row("total", f"{report.total_rows:,}")
    console.print(table)
    elapsed = report.elapsed_seconds
    rate = f"{report.candidates / elapsed:,.0f} candidates/s" if elapsed > 0 else "instantly"
    console.print(f"seeded {report.candidates:,} candidates in {elapsed:.2f} s ({rate})", soft_wrap=True)
