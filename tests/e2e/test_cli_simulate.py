"""``hireflow simulate``: the example scenario, JSON output, the plot, bad scenarios and both engines.

The command is invoked through a small typer app with the CLI's error handling (:class:`HireflowGroup`), the way
the ``hireflow`` app registers it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hireflow.apps.cli.errors import HireflowGroup
from hireflow.apps.cli.simulate import simulate


def _repository_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "pyproject.toml").is_file())


ROOT = _repository_root()
DATA = Path(os.environ.get("HIREFLOW_TEST_DATA_DIR") or ROOT.parent / "shared" / "data").resolve()
EXPOSURE_FILE = DATA / "occupation_exposure_gpts_are_gpts.csv"
WAGE_FILE = DATA / "bls_oes_national_may2021.csv"
EXAMPLE = ROOT / "examples" / "workforce" / "contact_center.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TINY = """\
name: Tiny team
currency: USD
roles:
  - {name: Agent, headcount: 12, annual_salary: 4000000, exposure: 0.6, attrition_rate: 0.2, hiring_lead_time_months: 1}
  - {name: Analyst, headcount: 5, annual_salary: 6000000, exposure: 0.3, attrition_rate: 0.1, hiring_lead_time_months: 2}
automation_factor: 0.5
adoption: {kind: logistic, midpoint_step: 6, steepness: 0.5}
policy: {kind: reduce_headcount}
horizon_steps: 12
iterations: 20
seed: 7
"""

app = typer.Typer(cls=HireflowGroup, add_completion=False, pretty_exceptions_enable=False)
app.command()(simulate)


@app.callback()
def _main() -> None:
    """A stand-in for the ``hireflow`` app."""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def _one_line_failure(result: typer.testing.Result, *fragments: str) -> str:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


@pytest.mark.skipif(
    not (EXPOSURE_FILE.is_file() and WAGE_FILE.is_file()), reason="occupation files not in ../shared/data"
)
def test_the_example_scenario_runs_with_the_occupation_files(runner: CliRunner) -> None:
    args = ["simulate", str(EXAMPLE), "--iterations", "20", "--engine", "vectorized"]
    result = runner.invoke(app, [*args, "--exposures", str(EXPOSURE_FILE), "--wages", str(WAGE_FILE)])
    assert result.exit_code == 0, result.output
    assert "Contact center" in result.stdout
    assert "headcount" in result.stdout
    assert "net annual savings: USD" in result.stdout
    assert "break-even:" in result.stdout


def test_a_scenario_needing_lookups_without_the_files_names_the_options(runner: CliRunner) -> None:
    result = runner.invoke(app, ["simulate", str(EXAMPLE)])
    _one_line_failure(result, "--exposures PATH", "--wages PATH")


def test_json_output_is_the_result_and_nothing_else(runner: CliRunner, tiny: Path) -> None:
    result = runner.invoke(app, ["simulate", str(tiny), "--json", "--seed", "3", "--iterations", "10"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario_name"] == "Tiny team"
    assert (data["iterations"], data["seed"], data["horizon_steps"]) == (10, 3, 12)
    total = next(s for s in data["series"] if s["name"] == "headcount" and s["role"] is None)
    assert len(total["mean"]) == len(total["p5"]) == len(total["p95"]) == 12
    assert "net_annual_savings_mean" in data["summary"]


def test_plot_writes_a_png(runner: CliRunner, tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "plot.png"
    result = runner.invoke(app, ["simulate", str(tiny), "--plot", str(out)])
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    assert content.startswith(PNG_SIGNATURE)
    assert len(content) > 10_000


@pytest.mark.parametrize("engine", ["mesa", "vectorized"])
def test_both_engines_run_a_tiny_scenario(runner: CliRunner, tiny: Path, engine: str) -> None:
    result = runner.invoke(app, ["simulate", str(tiny), "--engine", engine, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["engine"] == engine


def test_auto_picks_mesa_for_a_small_scenario(runner: CliRunner, tiny: Path) -> None:
    result = runner.invoke(app, ["simulate", str(tiny), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["engine"] == "mesa"


def test_a_negative_headcount_fails_in_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(TINY.replace("headcount: 12", "headcount: -3"), encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(path)])
    _one_line_failure(result, "roles.0.headcount")


def test_an_unknown_extension_fails_in_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "scenario.txt"
    path.write_text(TINY, encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(path)])
    _one_line_failure(result, "unknown extension")


def test_a_missing_file_fails_in_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(tmp_path / "none.yaml")])
    _one_line_failure(result, "none.yaml")
