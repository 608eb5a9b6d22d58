"""``hireflow match``: explained top-k matches between candidates and job openings.

hireflow match --job REF [--top K] [--json]         the best candidates for a job
hireflow match --candidate REF [--top K] [--json]   the best open jobs for a candidate
hireflow match run [--top K]                        rank candidates for every open job, recorded as one run
hireflow match evaluate --labels FILE.csv [--k 5,10]   precision@k, recall@k and nDCG@k against labels

REF is a Hireflow id or ``source:external_id`` (``bullhorn:4711``). Every ranking is recorded as a match run.
"""

# Imports inside functions are deliberate: `hireflow --help` must not load SQLAlchemy nor rich.

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from hireflow.apps.cli import output
from hireflow.apps.cli.connection import connected_engine, require_head
from hireflow.apps.cli.embed import CompanyGroupOption

match_app = typer.Typer(
    name="match",
    help="Explained matches between candidates and job openings (run `hireflow embed` first).",
    invoke_without_command=True,
    no_args_is_help=False,
)

TopOption = Annotated[int, typer.Option("--top", min=1, max=1000, help="How many matches to show.")]


@match_app.callback()
def match(
    ctx: typer.Context,
    *,
    job: Annotated[
        str | None, typer.Option(metavar="REF", help="Rank candidates for this job.", show_default=False)
    ] = None,
    candidate: Annotated[
        str | None, typer.Option(metavar="REF", help="Rank open jobs for this candidate.", show_default=False)
    ] = None,
    top: TopOption = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list instead of a table.")] = False,
    company_group: CompanyGroupOption = None,
) -> None:
    """Rank candidates for a job (--job REF) or jobs for a candidate (--candidate REF)."""
    if ctx.invoked_subcommand is not None:
        if job or candidate:
            raise typer.BadParameter("--job and --candidate go without a subcommand")
        return
    if (job is None) == (candidate is None):
        raise typer.BadParameter(
            "give exactly one of --job REF or --candidate REF (or a subcommand: run, evaluate)"
        )
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group
    from hireflow.apps.matching import match_records, matching_service, resolve_ref
    from hireflow.domain.models.matching import EmbeddedEntity

    with connected_engine() as engine:
        require_head(engine)
        tenant = resolve_company_group(sessionmaker(bind=engine), company_group)
        service = matching_service(engine, tenant)
        if job is not None:
            subject = resolve_ref(engine, tenant, EmbeddedEntity.JOB, job)
            ranking = service.candidates_for_job(subject, top)
            of = EmbeddedEntity.CANDIDATE
        else:
            subject = resolve_ref(engine, tenant, EmbeddedEntity.CANDIDATE, candidate or "")
            ranking = service.jobs_for_candidate(subject, top)
            of = EmbeddedEntity.JOB
        run = service.record([ranking], top)
        records = match_records(engine, tenant, ranking.matches, of=of)
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    what = "candidates for job" if of is EmbeddedEntity.CANDIDATE else "jobs for candidate"
    _print_table(records, title=f"Top {top} {what} {subject} (run {run.id})")


@match_app.command("run")
def match_run(top: TopOption = 10, company_group: CompanyGroupOption = None) -> None:
    """Rank candidates for every open job with an embedding, recorded as one match run."""
    from rich.progress import Progress
    from rich.table import Table
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group
    from hireflow.apps.matching import matching_service

    with connected_engine() as engine:
        require_head(engine)
        tenant = resolve_company_group(sessionmaker(bind=engine), company_group)
        service = matching_service(engine, tenant)
        with Progress(console=output.console(stderr=True)) as progress:
            task = progress.add_task("open jobs", total=None)
            run, rankings = service.match_open_jobs(
                top, progress=lambda done, total: progress.update(task, completed=done, total=total)
            )
    table = Table(title=f"Match run {run.id}: {len(rankings)} open jobs, top {top}", title_justify="left")
    for column in ("Job", "Matches", "Best score", "Best candidate"):
        table.add_column(column, justify="right" if column != "Best candidate" else "left")
    for ranking in rankings:
        best = ranking.matches[0] if ranking.matches else None
        table.add_row(
            str(ranking.subject_id),
            str(len(ranking.matches)),
            f"{best.score:.3f}" if best else "-",
            str(best.candidate_id) if best else "-",
        )
    output.console().print(table)


@match_app.command("evaluate")
def match_evaluate(
    labels: Annotated[
        Path,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="CSV with columns candidate_ref, job_ref, relevance.",
        ),
    ],
    k: Annotated[str, typer.Option(metavar="LIST", help="Cut-offs, comma-separated.")] = "5,10",
    company_group: CompanyGroupOption = None,
) -> None:
    """Precision@k, recall@k and nDCG@k of the candidates ranked for each labelled job."""
    from rich.table import Table
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group
    from hireflow.apps.matching import evaluate_labels

    cutoffs = _cutoffs(k)
    with connected_engine() as engine:
        require_head(engine)
        tenant = resolve_company_group(sessionmaker(bind=engine), company_group)
        report = evaluate_labels(engine, tenant, labels.read_text(encoding="utf-8").splitlines(), cutoffs)
    table = Table(title=f"Candidates for {report.queries} labelled jobs", title_justify="left")
    for column in ("k", "precision@k", "recall@k", "nDCG@k"):
        table.add_column(column, justify="right")
    for metrics in report.at:
        table.add_row(
            str(metrics.k), f"{metrics.precision:.3f}", f"{metrics.recall:.3f}", f"{metrics.ndcg:.3f}"
        )
    output.console().print(table)


def _cutoffs(text: str) -> list[int]:
    try:
        cutoffs = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(f"--k must be whole numbers separated by commas, not {text!r}") from None
    if not cutoffs or cutoffs[0] < 1 or cutoffs[-1] > 1000:
        raise typer.BadParameter("--k values must be 1 to 1000")
    return cutoffs


def _print_table(records: list[dict[str, Any]], *, title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=True)
    for column in (
        "#",
        "Score",
        "Record",
        "Similarity",
        "Distance",
        "Salary",
        "Eligible",
        "Available",
        "Skills",
    ):
        table.add_column(column, overflow="fold")
    for record in records:
        parts, why = record["components"], record["explanation"]
        external = ", ".join(f"{x['source']}:{x['external_id']}" for x in record["external_ids"])
        name = f"{record['id']} {record['name'] or ''}\n{record['detail'] or ''}\n{external}".strip()
        distance = "?" if why["distance_km"] is None else f"{why['distance_km']:,.0f} km"
        skills = f"+ {', '.join(why['matched_skills']) or '-'}\n- {', '.join(why['missing_skills']) or '-'}"
        eligibility = f"{parts['eligibility']:.2f}"
        failed = [result["reason"] for result in why["eligibility"] if not result["passed"]]
        table.add_row(
            str(record["rank"]),
            f"{record['score']:.3f}",
            name,
            f"{parts['similarity']:.3f}",
            f"{parts['distance']:.2f} ({distance})",
            f"{parts['salary']:.2f}\n{why['salary']}",
            eligibility + ("\n" + "\n".join(failed) if failed else ""),
            f"{parts['availability']:.2f}\n{why['availability']}",
            skills,
        )
    output.console().print(table)
