"""The vectorized simulation engine: whole cohorts per role, every iteration at once, in numpy arrays.

State is held in integer arrays shaped ``(iterations, roles)``. These equations are the specification the
agent-based (Mesa) engine must match in distribution. For role ``r`` at step (month) ``t = 1 … T``:

- **Adoption** ``L_t = adoption.level(t)``; **demand** ``g_t = (1 + demand_growth) ** (t / 12)``.
- **Training completes**: employees redeployed at step ``t - delay_months`` start adding capacity.
- **Automation**: every employee holds ``K = 10`` exposed tasks; each is automated this step with probability
  ``p_t = automation_factor · L_t``. For the cohort of ``h = max(headcount, 1)`` employees,
  ``a_rt = exposure_r · Binomial(h·K, p_t) / (h·K)``: the automation rate, the share of task-hours automated
  (its mean is ``automation_factor · exposure_r · L_t``).
- **Attrition**: ``leavers ~ Binomial(headcount - trainees, 1 - (1 - attrition_rate) ** (1/12))`` (employees
  being reskilled do not leave during their training).
- **Work**: required work ``W = H0_r · g_t · (1 - a_rt)`` FTE (``H0_r``: headcount at step 0);
  FTE freed ``F = H0_r · g_t · a_rt``; capacity ``C = headcount - trainees``.
- **Policy** (surplus ``S = max(0, floor(C - W))``):
  ``absorb`` and ``stop_backfilling`` keep everyone; ``reduce_headcount`` lets ``S`` employees go;
  ``redeploy`` pools the surplus of every role and moves it to receiving roles (``target_roles``, or every
  role) in order of largest shortfall ``D = max(0, ceil(W - headcount - pending hires))``, never beyond
  ``D``, taking from donor roles in scenario order. Each move costs ``reskilling_cost_per_employee``; the
  employee counts in the receiving role's headcount at once and in its capacity after ``delay_months``.
- **Hiring**: target ``ceil(W)`` (``absorb``: ``max(H0_r, ceil(W))``, leavers are always replaced); orders
  ``max(0, target - headcount - pending hires)`` arrive at the end of step ``t + hiring_lead_time_months``.
- **Outputs** at the end of the step: headcount; hires (arrivals); separations (leavers + lay-offs);
  redeployments (moves into the role); salary cost ``headcount · E[salary_r] / 12``; automation rate ``a``
  (total: ``Σ H0·a / Σ H0``); capacity utilisation ``W / max(C, 1)`` (total: ``ΣW / max(ΣC, 1)``); FTE freed.
- **Salaries**: a cohort costs its size times the role's expected salary (``annual_salary``; lognormal
  ``median · exp(σ²/2)``; normal clipped at zero; uniform ``(low + high) / 2``): leavers are drawn at random,
  so a cohort's mean salary stays the role's expected salary.
- **Summary**: savings at ``t`` = ``Σ_r (H0_r · g_t - headcount) · E[salary_r] / 12`` (the no-automation
  baseline needs ``H0 · g_t`` employees); net annual savings = ``12 / T · Σ_t (savings - reskilling)``; the
  break-even step is the first where mean cumulative savings exceed mean cumulative reskilling costs.

Every random draw comes from ``numpy.random.Generator(PCG64(seed))`` created in :meth:`VectorizedEngine.run`
(or, for a block of iterations, from the block's seed sequence: :meth:`VectorizedEngine.run_block`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from hireflow.shared.errors import MissingExtraError

try:
    import numpy as np
    from numpy.typing import NDArray
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("simulation", "the workforce simulation") from exc

from hireflow.domain.models.workforce import (
    LognormalSalary,
    NormalSalary,
    RedeployPolicy,
    Role,
    Scenario,
    UniformSalary,
)
from hireflow.domain.models.workforce_results import SimulationResult
from hireflow.infra.workforce._aggregate import Collector, OutputArrays, SeriesCollector, summarise

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
TASKS_PER_EMPLOYEE = 10
"""``K``: exposed tasks per employee, each automated or not; more tasks, less noise in the automation rate."""


def expected_salary(role: Role) -> float:
    """The mean annual salary of ``role`` in minor units; the role must be resolved (it has a salary)."""
    distribution = role.salary_distribution
    if isinstance(distribution, LognormalSalary):
        return distribution.median * math.exp(distribution.sigma**2 / 2)
    if isinstance(distribution, NormalSalary):
        mean, sd = distribution.mean, distribution.std_dev
        if sd == 0:
            return float(mean)
        z = mean / sd  # the mean of max(0, X) for X ~ Normal(mean, sd)
        return mean * _normal_cdf(z) + sd * math.exp(-(z**2) / 2) / math.sqrt(2 * math.pi)
    if isinstance(distribution, UniformSalary):
        return (distribution.low + distribution.high) / 2
    if role.annual_salary is None:
        raise ValueError(f"role {role.name!r} has no salary: resolve the scenario first (prepare_scenario)")
    return float(role.annual_salary)


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@dataclass
class _State:
    """Everything that changes from step to step, each ``(iterations, roles)`` unless said otherwise."""

    headcount: IntArray
    trainees: IntArray
    hires_due: IntArray  # (max lead + 1, iterations, roles): ring buffer by arrival step
    training_due: IntArray  # (delay + 1, iterations, roles): ring buffer by completion step


class VectorizedEngine:
    """The :class:`~hireflow.domain.ports.workforce.SimulationEngine` for large workforces and many
    iterations: cohorts per role, every iteration at once (equations in the module docstring)."""

    name = "vectorized"

    def run(
        self,
        scenario: Scenario,
        *,
        iterations: int | None = None,
        seed: int | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> SimulationResult:
        """Simulate ``scenario`` (resolved: every role has an exposure and a salary)."""
        runs = scenario.iterations if iterations is None else iterations
        seed = scenario.seed if seed is None else seed
        collector = SeriesCollector([role.name for role in scenario.roles])
        run = _Run(scenario, runs, np.random.Generator(np.random.PCG64(seed)), collector)
        run.execute(progress)
        return SimulationResult(
            scenario_name=scenario.name,
            currency=scenario.currency,
            engine=self.name,
            iterations=runs,
            seed=seed,
            horizon_steps=scenario.horizon_steps,
            series=collector.series(),
            summary=summarise(run.savings, run.reskilling, scenario.horizon_steps),
        )

    def run_block(
        self,
        scenario: Scenario,
        *,
        first_iteration: int,
        iterations: int,
        seed: int,
        progress: Callable[[float], None] | None = None,
    ) -> OutputArrays:
        """Iterations ``first_iteration`` … ``first_iteration + iterations - 1`` of a run, kept whole.

        The block draws from ``SeedSequence(seed, spawn_key=(first_iteration,))``: the same blocks give the same
        outputs, and blocks of one run are independent of one another. (A run split into blocks is not the same
        draw as :meth:`run` with that seed, which uses one generator for every iteration.)
        """
        outputs = OutputArrays.empty(len(scenario.roles), scenario.horizon_steps, iterations)
        sequence = np.random.SeedSequence(seed, spawn_key=(first_iteration,))
        run = _Run(scenario, iterations, np.random.Generator(np.random.PCG64(sequence)), outputs)
        run.execute(progress)
        outputs.savings[:], outputs.reskilling[:] = run.savings, run.reskilling
        return outputs


class _Run:
    """One run of the engine: the scenario's constants as arrays, the state, and the collected outputs."""

    def __init__(
        self, scenario: Scenario, iterations: int, rng: np.random.Generator, collector: Collector
    ) -> None:
        roles = scenario.roles
        missing = [role.name for role in roles if role.exposure is None]
        if missing:
            raise ValueError(
                f"roles without exposure: {missing}; resolve the scenario first (prepare_scenario)"
            )
        self.scenario, self.iterations, self.rng = scenario, iterations, rng
        self.base = np.array([role.headcount for role in roles], dtype=np.int64)
        self.exposure = np.array([role.exposure or 0.0 for role in roles])
        self.salary = np.array([expected_salary(role) for role in roles])
        self.monthly_attrition = 1 - (1 - np.array([role.attrition_rate for role in roles])) ** (1 / 12)
        self.lead = np.array([role.hiring_lead_time_months for role in roles], dtype=np.int64)
        policy = scenario.policy
        self.redeploy = policy if isinstance(policy, RedeployPolicy) else None
        self.receivers = (
            np.array([not policy.target_roles or role.name in policy.target_roles for role in roles])
            if isinstance(policy, RedeployPolicy)
            else np.zeros(len(roles), dtype=bool)
        )
        delay = self.redeploy.delay_months if self.redeploy else 0
        shape = (iterations, len(roles))
        self.state = _State(
            headcount=np.broadcast_to(self.base, shape).copy(),
            trainees=np.zeros(shape, dtype=np.int64),
            hires_due=np.zeros((int(self.lead.max()) + 1, *shape), dtype=np.int64),
            training_due=np.zeros((delay + 1, *shape), dtype=np.int64),
        )
        self.collector = collector
        self.savings = np.zeros((scenario.horizon_steps, iterations))
        self.reskilling = np.zeros((scenario.horizon_steps, iterations))

    def execute(self, progress: Callable[[float], None] | None) -> None:
        steps = self.scenario.horizon_steps
        for step in range(1, steps + 1):
            self._step(step)
            if progress is not None:
                progress(step / steps)

    def _step(self, step: int) -> None:
        state, rng = self.state, self.rng
        demand = (1 + self.scenario.demand_growth) ** (step / 12)
        done = state.training_due[step % len(state.training_due)]
        state.trainees -= done
        done[:] = 0
        tasks = np.maximum(state.headcount, 1) * TASKS_PER_EMPLOYEE
        chance = self.scenario.automation_factor * self.scenario.adoption.level(step)
        automation = self.exposure * rng.binomial(tasks, chance) / tasks
        leavers = rng.binomial(state.headcount - state.trainees, self.monthly_attrition)
        state.headcount -= leavers
        work = self.base * demand * (1 - automation)
        surplus = np.maximum(0, np.floor(state.headcount - state.trainees - work)).astype(np.int64)
        layoffs = np.zeros_like(surplus)
        moves = np.zeros_like(surplus)
        if self.scenario.policy.kind == "reduce_headcount":
            layoffs = surplus
            state.headcount -= layoffs
        elif self.redeploy is not None:
            moves = self._redeploy(self.redeploy, step, surplus, work)
        hires = self._hire(step, work)
        self._record(
            step,
            demand=demand,
            automation=automation,
            work=work,
            hires=hires,
            separations=leavers + layoffs,
            moves=moves,
        )

    def _record(
        self,
        step: int,
        *,
        demand: float,
        automation: FloatArray,
        work: FloatArray,
        hires: IntArray,
        separations: IntArray,
        moves: IntArray,
    ) -> None:
        """Collect this step's outputs and its savings and reskilling costs."""
        state = self.state
        capacity = state.headcount - state.trainees
        cost = state.headcount * self.salary / 12
        fte_freed = self.base * demand * automation
        add = self.collector.add
        add("headcount", state.headcount, state.headcount.sum(axis=1))
        add("hires", hires, hires.sum(axis=1))
        add("separations", separations, separations.sum(axis=1))
        add("redeployments", moves, moves.sum(axis=1))
        add("salary_cost", cost, cost.sum(axis=1))
        add("automation_rate", automation, (self.base * automation).sum(axis=1) / self.base.sum())
        utilisation = work.sum(axis=1) / np.maximum(capacity.sum(axis=1), 1)
        add("capacity_utilisation", work / np.maximum(capacity, 1), utilisation)
        add("fte_freed", fte_freed, fte_freed.sum(axis=1))
        baseline = self.base * demand * self.salary / 12
        self.savings[step - 1] = (baseline - cost).sum(axis=1)
        if self.redeploy is not None:
            self.reskilling[step - 1] = moves.sum(axis=1) * self.redeploy.reskilling_cost_per_employee

    def _pending_hires(self) -> IntArray:
        pending: IntArray = self.state.hires_due.sum(axis=0)
        return pending

    def _redeploy(self, policy: RedeployPolicy, step: int, surplus: IntArray, work: FloatArray) -> IntArray:
        """Move pooled surplus to receiving roles, largest shortfall first; returns moves into each role."""
        state = self.state
        shortfall = np.ceil(work - state.headcount - self._pending_hires() - 1e-9)
        shortfall = np.where(self.receivers, np.maximum(shortfall, 0), 0).astype(np.int64)
        remaining = surplus.sum(axis=1)
        pool = remaining.copy()
        moves = np.zeros_like(surplus)
        rows = np.arange(len(surplus))
        for column in np.argsort(-shortfall, axis=1, kind="stable").T:
            moved = np.minimum(shortfall[rows, column], remaining)
            moves[rows, column] = moved
            remaining -= moved
        taken_before = np.cumsum(surplus, axis=1) - surplus
        taken = np.clip((pool - remaining)[:, None] - taken_before, 0, surplus)
        state.headcount += moves - taken
        if policy.delay_months > 0:
            state.trainees += moves
            state.training_due[(step + policy.delay_months) % len(state.training_due)] += moves
        return moves

    def _hire(self, step: int, work: FloatArray) -> IntArray:
        """Order hires for the shortfall and return this step's arrivals."""
        state = self.state
        target = np.ceil(work - 1e-9).astype(np.int64)
        if self.scenario.policy.kind == "absorb":
            target = np.maximum(target, self.base)
        orders = np.maximum(0, target - state.headcount - self._pending_hires())
        due = (step + self.lead) % len(state.hires_due)
        state.hires_due[due, :, np.arange(len(self.lead))] += orders.T
        arrivals: IntArray = state.hires_due[step % len(state.hires_due)].copy()
        state.hires_due[step % len(state.hires_due)] = 0
        state.headcount += arrivals
        return arrivals
