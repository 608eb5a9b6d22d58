"""``hireflow simulate``: run a workforce AI-automation scenario and print (or plot) what happens over time."""

# Imports inside functions are deliberate: the CLI loads numpy, rich and matplotlib only when a command
# needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hireflow.apps.cli import output
from hireflow.shared.errors import ValidationFailed

if TYPE_CHECKING:
    from rich.console import Console

    from hireflow.domain.models.workforce import Scenario
    from hireflow.domain.models.workforce_results import SimulationResult
    from hireflow.domain.ports.workforce import SimulationEngine


class EngineChoice(StrEnum):
    """The engines ``--engine`` accepts."""

    MESA = "mesa"
    VECTORIZED = "vectorized"
    AUTO = "auto"


def simulate(
    scenario_file: Annotated[
        Path,
        typer.Argument(metavar="SCENARIO", help="Scenario file (.json, .yaml or .yml).", show_default=False),
    ],
    *,
    engine: Annotated[
        EngineChoice,
        typer.Option(
            case_sensitive=False,
            help="mesa (one agent per employee), vectorized (numpy cohorts), or auto: mesa up to "
            "200,000 employee-steps (employees x steps x iterations), else vectorized.",
        ),
    ] = EngineChoice.AUTO,
    iterations: Annotated[
        int | None,
        typer.Option(min=1, help="Monte Carlo iterations, instead of the scenario's.", show_default=False),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(min=0, help="Random seed, instead of the scenario's.", show_default=False)
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full result as JSON on stdout instead of a table.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            metavar="OUT.png",
            help="Also save every output over time (mean, p5-p95 band) as a PNG; needs the 'reporting' extra.",
            show_default=False,
        ),
    ] = None,
    exposures: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            help='Occupation exposure file ("GPTs are GPTs" occ_level.csv), for roles without an exposure '
            "[default: HIREFLOW_OCCUPATION_EXPOSURES_PATH].",
            show_default=False,
        ),
    ] = None,
    wages: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            help="BLS OES national wage file (CSV), for roles without a salary "
            "[default: HIREFLOW_OCCUPATION_WAGES_PATH].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Simulate a workforce scenario: headcount, cost, automation and capacity over time, with intervals."""
    scenario = load_scenario(
        scenario_file, iterations=iterations, seed=seed, exposures=exposures, wages=wages
    )
    chosen = choose_engine(engine, scenario)
    result = run_with_progress(chosen, scenario)
    if plot is not None:
        save_plot(result, plot)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        print_result(result, output.console(), plot)


def load_scenario(
    path: Path, *, iterations: int | None, seed: int | None, exposures: Path | None, wages: Path | None
) -> Scenario:
    """The resolved scenario in ``path``, with the overrides applied, checked against the configured limits."""
    from hireflow.apps.workforce import scenario_limits
    from hireflow.domain.ports.workforce import ExposureTable, WageTable
    from hireflow.domain.services.workforce_scenarios import prepare_scenario
    from hireflow.infra.workforce import (
        load_occupation_exposures,
        load_oes_wages,
        load_scenario_file,
        read_scenario_file,
    )
    from hireflow.shared.config import get_settings

    parsed = load_scenario_file(path)  # one-line errors for a missing, malformed or invalid file
    settings = get_settings()
    exposures = exposures or settings.occupation_exposures_path
    wages = wages or settings.occupation_wages_path
    data: dict[str, Any] = dict(read_scenario_file(path))
    if iterations is not None:
        data["iterations"] = iterations
    if seed is not None:
        data["seed"] = seed
    needs_exposures = any(role.exposure is None for role in parsed.roles)
    needs_wages = any(
        role.annual_salary is None and role.salary_distribution is None for role in parsed.roles
    )
    missing = [
        option
        for option, needed, given in (
            ("--exposures PATH", needs_exposures, exposures),
            ("--wages PATH", needs_wages, wages),
        )
        if needed and given is None
    ]
    if missing:
        what = " and ".join(missing)
        raise ValidationFailed(
            f"{path}: some roles take their exposure or salary from the occupation files by SOC code; "
            f"pass {what} (see docs/workforce.md)",
            [{"field": "roles", "message": f"pass {what}"}],
        )
    exposure_table: ExposureTable = load_occupation_exposures(exposures) if exposures is not None else {}
    wage_table: WageTable = load_oes_wages(wages) if wages is not None else {}
    try:
        limits = scenario_limits(settings)
        return prepare_scenario(data, exposures=exposure_table, wages=wage_table, limits=limits)
    except ValidationFailed as failure:
        raise ValidationFailed(f"{path}: {failure.detail}", failure.errors) from None


def choose_engine(choice: EngineChoice, scenario: Scenario) -> SimulationEngine:
    """The engine asked for; ``auto`` picks by the scenario's employee-steps."""
    from hireflow.domain.services.workforce_runs import choose_engine as engine_for

    if engine_for(choice.value, scenario) == "mesa":
        from hireflow.infra.workforce.agents import MesaEngine

        return MesaEngine()
    from hireflow.infra.workforce.vectorized import VectorizedEngine

    return VectorizedEngine()


def run_with_progress(engine: SimulationEngine, scenario: Scenario) -> SimulationResult:
    """Run the simulation behind a progress bar on stderr, fed by the engine's progress callback."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    console = output.console(stderr=True)
    name = getattr(engine, "name", "simulation")
    with Progress(*columns, console=console, transient=console.is_terminal, auto_refresh=False) as progress:
        task = progress.add_task(f"simulating ({name})", total=1.0)

        def on_progress(done: float) -> None:
            progress.update(task, completed=done, refresh=True)

        return engine.run(scenario, progress=on_progress)


def print_result(result: SimulationResult, console: Console, plot: Path | None) -> None:
    """A table of every output's total at the last step (mean, p5-p95), then the summary."""
    from rich.table import Table

    from hireflow.domain.models.workforce_results import OUTPUTS
    from hireflow.infra.workforce.plot import output_label

    table = Table(
        title=f"{result.scenario_name}: totals at step {result.horizon_steps} "
        f"({result.iterations:,} iterations, {result.engine} engine, seed {result.seed})",
        title_justify="left",
    )
    table.add_column("Output", no_wrap=True)
    table.add_column("Mean", justify="right", no_wrap=True)
    table.add_column("p5", justify="right", no_wrap=True)
    table.add_column("p95", justify="right", no_wrap=True)
    for name in OUTPUTS:
        series = result.get(name)
        values = (series.mean[-1], series.p5[-1], series.p95[-1])
        table.add_row(output_label(name, result.currency), *(_format(name, value) for value in values))
    console.print(table)
    summary = result.summary
    savings = " to ".join(
        _money(value) for value in (summary.net_annual_savings_p5, summary.net_annual_savings_p95)
    )
    console.print(
        f"net annual savings: {result.currency} {_money(summary.net_annual_savings_mean)} "
        f"(p5-p95: {savings})",
        soft_wrap=True,
    )
    break_even = (
        f"step {summary.break_even_step}" if summary.break_even_step is not None else "not within the horizon"
    )
    console.print(f"break-even: {break_even}", soft_wrap=True)
    if plot is not None:
        console.print(f"plot saved to {plot}", soft_wrap=True)


def save_plot(result: SimulationResult, path: Path) -> None:
    """Every output's total over time, mean line and p5-p95 band, as small multiples in one PNG."""
    from hireflow.infra.workforce.plot import render_png

    png = render_png(result, what="plotting a simulation (--plot)")
    try:
        path.write_bytes(png)
    except OSError as error:
        raise ValidationFailed(f"cannot write the plot to {path}: {error.strerror or error}") from None


def _format(name: str, value: float) -> str:
    if name == "salary_cost":
        return _money(value)
    if name in ("automation_rate", "capacity_utilisation"):
        return f"{value:.1%}"
    return f"{value:,.1f}"


def _money(minor_units: float) -> str:
    return f"{minor_units / 100:,.0f}"
