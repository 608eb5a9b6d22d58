"""``hireflow sync``: keep a company group in step with a CRM, and see how the syncs went.

hireflow sync bullhorn [--entities candidates,jobs] [--full] [--company-group ID]
hireflow sync status [--company-group ID]
hireflow sync dead-letters [--source bullhorn] [--entity candidates] [--retry]
"""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine, require_head

if TYPE_CHECKING:
    from rich.console import Console

    from hireflow.domain.models.crm_sync import SyncRun

sync_app = typer.Typer(
    name="sync", help="Sync candidates, job openings and more from a CRM.", no_args_is_help=True
)

CompanyGroupOption = Annotated[
    str | None,
    typer.Option(
        "--company-group",
        metavar="ID",
        help="The company group to sync into (id or slug); may be left out when only one exists.",
        show_default=False,
    ),
]
EntitiesOption = Annotated[
    str | None,
    typer.Option(
        metavar="LIST",
        help="Comma-separated: client_companies, jobs, candidates, applications, placements [default: all].",
        show_default=False,
    ),
]
FullOption = Annotated[
    bool,
    typer.Option(
        "--full", help="Re-read everything, and soft-delete what the CRM no longer has (finds hard deletes)."
    ),
]


@sync_app.command("bullhorn")
def sync_bullhorn(
    company_group: CompanyGroupOption = None, entities: EntitiesOption = None, full: FullOption = False
) -> None:
    """Sync from Bullhorn (HIREFLOW_BULLHORN_*): client companies, job orders, candidates, submissions,
    placements."""
    _sync("bullhorn", company_group, entities, full=full)


@sync_app.command("hubspot")
def sync_hubspot(
    company_group: CompanyGroupOption = None, entities: EntitiesOption = None, full: FullOption = False
) -> None:
    """Sync from HubSpot (HIREFLOW_HUBSPOT_*): companies, deals (job openings), contacts (candidates)."""
    _sync("hubspot", company_group, entities, full=full)


@sync_app.command("salesforce")
def sync_salesforce(
    company_group: CompanyGroupOption = None, entities: EntitiesOption = None, full: FullOption = False
) -> None:
    """Sync from Salesforce (HIREFLOW_SALESFORCE_*): accounts, opportunities (job openings), contacts."""
    _sync("salesforce", company_group, entities, full=full)


@sync_app.command("status")
def sync_status(company_group: CompanyGroupOption = None) -> None:
    """Where each source's sync stands (cursors), the latest runs, and the open dead letters."""
    from rich.table import Table
    from sqlalchemy import func, select
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group, sync_store
    from hireflow.infra.db import tables as t

    console = output.console()
    with connected_engine() as engine:
        require_head(engine)
        sessions = sessionmaker(bind=engine, expire_on_commit=False)
        tenant = resolve_company_group(sessions, company_group)
        with sessions() as session:
            cursors = session.execute(
                select(t.SyncCursor)
                .where(t.SyncCursor.company_group_id == tenant)
                .order_by(t.SyncCursor.source)
            ).scalars()
            cursor_table = Table(title="Cursors (last record loaded)", title_justify="left")
            for column in ("Source", "Entity", "Modified at", "Id"):
                cursor_table.add_column(column)
            for cursor in cursors:
                cursor_table.add_row(
                    cursor.source, cursor.entity, cursor.modified_at.isoformat(), cursor.external_id
                )
            letters = session.execute(
                select(t.DeadLetter.source, t.DeadLetter.entity, func.count())
                .where(t.DeadLetter.company_group_id == tenant, t.DeadLetter.resolved_at.is_(None))
                .group_by(t.DeadLetter.source, t.DeadLetter.entity)
            ).all()
        runs = sync_store(sessions).runs(tenant, limit=10)
    console.print(cursor_table)
    print_runs(console, runs, title="Latest runs")
    if letters:
        letter_table = Table(title="Open dead letters", title_justify="left")
        for column in ("Source", "Entity", "Records"):
            letter_table.add_column(column)
        for source, entity, count in letters:
            letter_table.add_row(source, entity, f"{count:,}")
        console.print(letter_table)
    else:
        console.print("no open dead letters")


@sync_app.command("dead-letters")
def dead_letters(
    company_group: CompanyGroupOption = None,
    source: Annotated[str | None, typer.Option(help="Only this CRM's.", show_default=False)] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity's.", show_default=False)] = None,
    retry: Annotated[
        bool, typer.Option("--retry", help="Parse and load them again (a fix in Hireflow may let them in).")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="List at most this many.")] = 50,
) -> None:
    """List the records a sync could not load, with every reason; ``--retry`` tries them again."""
    from rich.table import Table
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import SOURCES, parse_entities, resolve_company_group, sync_store
    from hireflow.apps.crm import retry_dead_letters as retry_letters
    from hireflow.shared.config import get_settings

    chosen = parse_entities(entity)
    console = output.console()
    with connected_engine() as engine:
        require_head(engine)
        sessions = sessionmaker(bind=engine, expire_on_commit=False)
        tenant = resolve_company_group(sessions, company_group)
        if retry:
            for name in [source] if source else list(SOURCES):
                run = retry_letters(
                    name, tenant, settings=get_settings(), session_factory=sessions, entities=chosen
                )
                print_runs(console, [run], title=f"Retried {name} dead letters")
        store = sync_store(sessions)
        letters = store.dead_letters(
            tenant, source=source, entity=chosen[0] if chosen and len(chosen) == 1 else None, limit=limit
        )
    table = Table(title=f"Open dead letters ({len(letters)} shown)", title_justify="left")
    for column in ("Source", "Entity", "Id", "Attempts", "Last seen", "Errors"):
        table.add_column(column, overflow="fold")
    for letter in letters:
        errors = "; ".join(f"{error.get('field')}: {error.get('message')}" for error in letter.errors)
        last_seen = letter.last_seen_at.isoformat(timespec="seconds") if letter.last_seen_at else ""
        table.add_row(
            letter.source, letter.entity.value, letter.external_id, str(letter.attempts), last_seen, errors
        )
    console.print(table)


def _sync(source_name: str, company_group: str | None, entities: str | None, *, full: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import parse_entities, resolve_company_group, run_sync
    from hireflow.domain.models.crm_sync import SyncStatus
    from hireflow.domain.services.crm_sync import SyncProgress
    from hireflow.shared.config import get_settings

    chosen = parse_entities(entities)
    console = output.console(stderr=True)
    with connected_engine() as engine:
        require_head(engine)
        sessions = sessionmaker(bind=engine, expire_on_commit=False)
        tenant = resolve_company_group(sessions, company_group)
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            tasks: dict[str, TaskID] = {}

            def on_progress(update: SyncProgress) -> None:
                name = update.entity.value
                if name not in tasks:
                    tasks[name] = progress.add_task(name, total=update.total, detail="")
                counts = update.counts
                detail = (
                    f"+{counts.inserted} ~{counts.updated} ={counts.unchanged} "
                    f"-{counts.deleted} !{counts.invalid}"
                )
                total = update.total if update.total is not None else counts.fetched
                progress.update(
                    tasks[name], completed=counts.fetched, total=max(total, counts.fetched), detail=detail
                )

            run = run_sync(
                source_name,
                tenant,
                settings=get_settings(),
                session_factory=sessions,
                entities=chosen,
                full=full,
                progress=on_progress,
            )
    print_runs(output.console(), [run], title="Sync")
    if run.status is SyncStatus.PARTIAL:
        output.console().print(
            f"{run.counts.invalid:,} records could not be loaded: `hireflow sync dead-letters --source {source_name}`"
        )


def print_runs(console: Console, runs: list[SyncRun], *, title: str) -> None:
    """One table per run: what it did with each entity."""
    from rich.table import Table

    if not runs:
        console.print(f"{title}: none yet")
        return
    for run in runs:
        seconds = f"{run.duration_seconds:.1f} s" if run.duration_seconds is not None else "running"
        started = run.started_at.isoformat(timespec="seconds")
        table = Table(
            title=f"{title}: run {run.id}, {run.source}, {run.status.value}, {started}, {seconds}"
            + (" (full)" if run.full else ""),
            title_justify="left",
        )
        table.add_column("Entity")
        for column in ("Fetched", "Inserted", "Updated", "Unchanged", "Deleted", "Invalid"):
            table.add_column(column, justify="right")
        rows = list(run.entity_counts.items()) or [("all", run.counts)]
        for entity, counts in rows:
            names = ("fetched", "inserted", "updated", "unchanged", "deleted", "invalid")
            table.add_row(entity, *(f"{getattr(counts, name):,}" for name in names))
        console.print(table)
        if run.error:
            console.print(f"error: {run.error}", soft_wrap=True)
