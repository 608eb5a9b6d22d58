"""A simulation result as a PNG: every output's total over time, its mean and p5-p95 band, as small multiples.

The CLI saves it (``hireflow simulate --plot``) and the API serves it (``GET /simulations/{id}/plot.png``).
matplotlib comes with the 'reporting' extra and is imported on the first plot, with its headless backend.
"""

from __future__ import annotations

import io

from hireflow.domain.models.workforce_results import OUTPUTS, SimulationResult
from hireflow.shared.errors import MissingExtraError

COLUMNS = 4


def render_png(result: SimulationResult, *, what: str = "plotting a simulation") -> bytes:
    """The plot of ``result`` as PNG bytes; MissingExtraError naming ``what`` without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("reporting", what) from None

    rows = -(-len(OUTPUTS) // COLUMNS)
    figure, axes = plt.subplots(rows, COLUMNS, figsize=(4 * COLUMNS, 3.2 * rows), squeeze=False)
    steps = list(range(1, result.horizon_steps + 1))
    try:
        for index, name in enumerate(OUTPUTS):
            axis = axes[index // COLUMNS][index % COLUMNS]
            series = result.get(name)
            scale = 100.0 if name == "salary_cost" else 1.0  # minor units to currency units
            axis.fill_between(
                steps,
                [value / scale for value in series.p5],
                [value / scale for value in series.p95],
                alpha=0.25,
                label="p5-p95",
            )
            axis.plot(steps, [value / scale for value in series.mean], label="mean")
            axis.set_title(name.replace("_", " "))
            axis.set_xlabel("step (month)")
            axis.set_ylabel(output_label(name, result.currency))
        for index in range(len(OUTPUTS), rows * COLUMNS):
            axes[index // COLUMNS][index % COLUMNS].set_visible(False)
        axes[0][0].legend(loc="best", fontsize="small")
        figure.suptitle(f"{result.scenario_name} ({result.iterations:,} iterations, {result.engine} engine)")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()
    finally:
        plt.close(figure)


def output_label(name: str, currency: str) -> str:
    """How an output is named on an axis or in a table."""
    if name == "salary_cost":
        return f"salary cost ({currency}/month)"
    return name.replace("_", " ")
