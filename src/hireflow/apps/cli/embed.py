"""``hireflow embed``: embed the candidates and job openings that are new or changed since the last run.

hireflow embed [--entities candidates,jobs] [--full] [--company-group ID]
"""

# Imports inside the function are deliberate: `hireflow --help` must not load the model nor SQLAlchemy.

from __future__ import annotations

from typing import Annotated

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine, require_head

CompanyGroupOption = Annotated[
    str | None,
    typer.Option(
        "--company-group",
        metavar="ID",
        help="The company group (id or slug); may be left out when only one exists.",
        show_default=False,
    ),
]


def embed(
    entities: Annotated[
        str | None,
        typer.Option(
            metavar="LIST", help="Comma-separated: candidates, jobs [default: both].", show_default=False
        ),
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Embed every record again, changed or not.")] = False,
    company_group: CompanyGroupOption = None,
) -> None:
    """Embed new and changed candidate profiles and job openings (needs the ml extra), and update the index."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
    from rich.table import Table
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group
    from hireflow.apps.matching import build_embedder, embedding_service, parse_embedded_entities
    from hireflow.domain.services.embeddings import EmbedCounts
    from hireflow.infra.ml.vector_index.factory import describe_vector_index
    from hireflow.shared.config import get_settings

    chosen = parse_embedded_entities(entities)
    settings = get_settings()
    embedder = build_embedder(settings)  # first: without the ml extra, fail before touching the database
    console = output.console(stderr=True)
    with connected_engine() as engine:
        require_head(engine)
        tenant = resolve_company_group(sessionmaker(bind=engine), company_group)
        service = embedding_service(engine, tenant, settings=settings, embedder=embedder)
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            tasks: dict[str, TaskID] = {}

            def on_progress(counts: EmbedCounts) -> None:
                name = counts.entity.value
                if name not in tasks:
                    tasks[name] = progress.add_task(f"{name}s", total=counts.total, detail="")
                detail = f"embedded {counts.embedded:,}, unchanged {counts.unchanged:,}, removed {counts.removed:,}"
                progress.update(
                    tasks[name], completed=counts.seen, total=max(counts.total, counts.seen), detail=detail
                )

            report = service.run(chosen, full=full, progress=on_progress)
        where = describe_vector_index(engine, tenant, settings)
    table = Table(
        title=f"Embeddings ({report.model}, {settings.embedding_backend}); index: {where}",
        title_justify="left",
    )
    table.add_column("Entity")
    for column in ("Records", "Embedded", "Unchanged", "Removed", "Seconds", "Per second"):
        table.add_column(column, justify="right")
    for counts in report.counts:
        table.add_row(
            f"{counts.entity.value}s",
            f"{counts.seen:,}",
            f"{counts.embedded:,}",
            f"{counts.unchanged:,}",
            f"{counts.removed:,}",
            f"{counts.seconds:.1f}",
            f"{counts.per_second:,.0f}",
        )
    output.console().print(table)
