"""The Mesa 3 model behind :class:`~hireflow.infra.workforce.agents.MesaEngine`: every employee is an agent.

Importing Mesa scans the whole environment, so this module is imported only when the engine first runs.

Each :meth:`WorkforceModel.step` is one month and follows, equation by equation, the specification in the
docstring of :mod:`hireflow.infra.workforce.vectorized`; the two engines agree in distribution (a test checks
the means of every output). Per employee: ``K`` exposed-task Bernoulli draws (a role's total is then the
spec's ``Binomial(h·K, p)``; a role with no employee draws for one unfilled position, as ``max(headcount, 1)``
does), one attrition draw unless in training, and lay-offs and redeployments pick employees at random.

Every draw comes from the model's generator ``model.rng``, seeded per iteration from a
:class:`numpy.random.SeedSequence` spawned from the run seed, so a run is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from hireflow.shared.errors import MissingExtraError

try:
    import mesa  # type: ignore[import-untyped]
    import numpy as np
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise MissingExtraError("simulation", "the agent-based workforce simulation") from exc

from hireflow.domain.models.workforce import RedeployPolicy, Scenario
from hireflow.domain.models.workforce_results import OUTPUTS
from hireflow.infra.workforce.vectorized import TASKS_PER_EMPLOYEE, expected_salary

EXTRA = ("savings", "reskilling")
"""Per-step totals the summary needs beside the outputs."""


class Employee(mesa.Agent):  # type: ignore[misc]
    """One employee: role (index into the scenario's roles), annual salary (minor units), tenure (months),
    the share of their tasks automated this month, and the step their reskilling ends (0: not in training)."""

    def __init__(self, model: WorkforceModel, role: int, salary: float) -> None:
        super().__init__(model)
        self.role, self.salary = role, salary
        self.tenure = 0
        self.automated_share = 0.0
        self.training_until = 0

    @property
    def in_training(self) -> bool:
        return self.training_until > 0

    def realise_automation(self, chance: float, exposure: float) -> int:
        """Draw which of the ``K`` exposed tasks are automated this month; returns how many are."""
        automated = int(self.model.rng.binomial(TASKS_PER_EMPLOYEE, chance))
        self.automated_share = exposure * automated / TASKS_PER_EMPLOYEE
        return automated

    def leaves(self, monthly_attrition: float) -> bool:
        """Whether the employee quits this month (never while in training)."""
        return not self.in_training and bool(self.model.rng.random() < monthly_attrition)


class WorkforceModel(mesa.Model):  # type: ignore[misc]
    """One iteration of a scenario (resolved: every role has an exposure and a salary)."""

    def __init__(self, scenario: Scenario, rng: np.random.Generator | None = None) -> None:
        super().__init__(rng=rng)
        roles = scenario.roles
        missing = [role.name for role in roles if role.exposure is None]
        if missing:
            raise ValueError(
                f"roles without exposure: {missing}; resolve the scenario first (prepare_scenario)"
            )
        self.scenario, self.month = scenario, 0
        self.base = [role.headcount for role in roles]
        self.exposure = [role.exposure or 0.0 for role in roles]
        self.salary = [expected_salary(role) for role in roles]
        self.attrition = [1 - (1 - role.attrition_rate) ** (1 / 12) for role in roles]
        self.lead = [role.hiring_lead_time_months for role in roles]
        policy = scenario.policy
        self.redeploy = policy if isinstance(policy, RedeployPolicy) else None
        self.receivers = [
            self.redeploy is not None
            and (not self.redeploy.target_roles or role.name in self.redeploy.target_roles)
            for role in roles
        ]
        self.staff: list[list[Employee]] = [[] for _ in roles]
        for index, count in enumerate(self.base):
            self._hire_agents(index, count)
        self.orders: list[tuple[int, int, int]] = []  # (arrival step, role, count), undelivered
        self.outputs: dict[str, list[float]] = {name: [0.0] * len(roles) for name in OUTPUTS}
        self.totals: dict[str, float] = dict.fromkeys((*OUTPUTS, *EXTRA), 0.0)
        reporters: dict[str, Callable[[WorkforceModel], float]] = {}
        for name in OUTPUTS:
            reporters[name] = partial(_total, name=name)
            for index, role in enumerate(roles):
                reporters[f"{name}:{role.name}"] = partial(_per_role, name=name, index=index)
        for name in EXTRA:
            reporters[name] = partial(_total, name=name)
        self.datacollector = mesa.DataCollector(model_reporters=reporters)

    def _hire_agents(self, role: int, count: int) -> None:
        self.staff[role].extend(Employee(self, role, self.salary[role]) for _ in range(count))

    def _pick(self, role: int, count: int) -> list[Employee]:
        """``count`` employees of ``role`` not in training, at random, taken out of the role's staff."""
        if count == 0:
            return []
        pool = [employee for employee in self.staff[role] if not employee.in_training]
        chosen = [pool[i] for i in sorted(self.rng.choice(len(pool), size=count, replace=False))]
        taken = {id(employee) for employee in chosen}
        self.staff[role] = [employee for employee in self.staff[role] if id(employee) not in taken]
        return chosen

    def _capacity(self, role: int) -> int:
        return sum(not employee.in_training for employee in self.staff[role])

    def _pending(self, role: int) -> int:
        return sum(count for _, index, count in self.orders if index == role)

    def step(self) -> None:
        """One month: training ends, automation, attrition, work, policy, hiring; then the reporters run."""
        self.month += 1
        step, scenario, roles = self.month, self.scenario, range(len(self.base))
        demand = (1 + scenario.demand_growth) ** (step / 12)
        chance = scenario.automation_factor * scenario.adoption.level(step)
        automation, separations = [], []
        for role in roles:
            automated = 0
            for employee in self.staff[role]:
                employee.tenure += 1
                if employee.training_until == step:
                    employee.training_until = 0
                automated += employee.realise_automation(chance, self.exposure[role])
            if not self.staff[role]:  # the one unfilled position of ``max(headcount, 1)``
                automated = int(self.rng.binomial(TASKS_PER_EMPLOYEE, chance))
            positions = max(len(self.staff[role]), 1) * TASKS_PER_EMPLOYEE
            automation.append(self.exposure[role] * automated / positions)
            leavers = [employee for employee in self.staff[role] if employee.leaves(self.attrition[role])]
            self._let_go(role, leavers)
            separations.append(len(leavers))
        work = [self.base[r] * demand * (1 - automation[r]) for r in roles]
        surplus = [max(0, math.floor(self._capacity(r) - work[r])) for r in roles]
        moves = [0] * len(self.base)
        if scenario.policy.kind == "reduce_headcount":
            for role in roles:
                self._let_go(role, self._pick(role, surplus[role]))
                separations[role] += surplus[role]
        elif self.redeploy is not None:
            moves = self._redeploy(self.redeploy, step, surplus, work)
        hires = self._hire(step, work)
        self._record(
            demand=demand, automation=automation, work=work, hires=hires, separations=separations, moves=moves
        )
        self.datacollector.collect(self)

    def _let_go(self, role: int, leavers: list[Employee]) -> None:
        gone = {id(employee) for employee in leavers}
        self.staff[role] = [employee for employee in self.staff[role] if id(employee) not in gone]
        for employee in leavers:
            employee.remove()

    def _redeploy(
        self, policy: RedeployPolicy, step: int, surplus: list[int], work: list[float]
    ) -> list[int]:
        """Pool the surplus, fill receiving roles' shortfalls largest first, take donors in scenario order."""
        count = len(self.base)
        shortfall = [
            max(0, math.ceil(work[r] - len(self.staff[r]) - self._pending(r) - 1e-9))
            if self.receivers[r]
            else 0
            for r in range(count)
        ]
        remaining = sum(surplus)
        moves = [0] * count
        for role in sorted(range(count), key=lambda r: -shortfall[r]):  # stable: ties in scenario order
            moves[role] = min(shortfall[role], remaining)
            remaining -= moves[role]
        movers: list[Employee] = []
        to_take = sum(moves)
        for role in range(count):
            taken = min(surplus[role], to_take)
            movers.extend(self._pick(role, taken))
            to_take -= taken
        for role in range(count):
            for employee in movers[: moves[role]]:
                employee.role = role
                employee.training_until = step + policy.delay_months if policy.delay_months > 0 else 0
                self.staff[role].append(employee)
            movers = movers[moves[role] :]
        return moves

    def _hire(self, step: int, work: list[float]) -> list[int]:
        """Order hires for the shortfall (arriving after the lead time) and return this step's arrivals."""
        for role, needed in enumerate(work):
            target = math.ceil(needed - 1e-9)
            if self.scenario.policy.kind == "absorb":
                target = max(target, self.base[role])
            ordered = max(0, target - len(self.staff[role]) - self._pending(role))
            if ordered:
                self.orders.append((step + self.lead[role], role, ordered))
        arrivals = [0] * len(self.base)
        for _, role, count in (order for order in self.orders if order[0] == step):
            arrivals[role] += count
            self._hire_agents(role, count)
        self.orders = [order for order in self.orders if order[0] != step]
        return arrivals

    def _record(
        self,
        *,
        demand: float,
        automation: list[float],
        work: list[float],
        hires: list[int],
        separations: list[int],
        moves: list[int],
    ) -> None:
        headcount = [len(staff) for staff in self.staff]
        capacity = [self._capacity(role) for role in range(len(self.base))]
        cost = [sum(employee.salary for employee in staff) / 12 for staff in self.staff]
        freed = [base * demand * share for base, share in zip(self.base, automation, strict=True)]
        self.outputs = {
            "headcount": [float(value) for value in headcount],
            "hires": [float(value) for value in hires],
            "separations": [float(value) for value in separations],
            "redeployments": [float(value) for value in moves],
            "salary_cost": cost,
            "automation_rate": automation,
            "capacity_utilisation": [w / max(c, 1) for w, c in zip(work, capacity, strict=True)],
            "fte_freed": freed,
        }
        self.totals = {name: sum(values) for name, values in self.outputs.items()}
        weighted = sum(base * share for base, share in zip(self.base, automation, strict=True))
        self.totals["automation_rate"] = weighted / sum(self.base)
        self.totals["capacity_utilisation"] = sum(work) / max(sum(capacity), 1)
        baseline = sum(b * demand * s / 12 for b, s in zip(self.base, self.salary, strict=True))
        self.totals["savings"] = baseline - self.totals["salary_cost"]
        cost_per_move = self.redeploy.reskilling_cost_per_employee if self.redeploy else 0
        self.totals["reskilling"] = float(sum(moves) * cost_per_move)


def _total(model: WorkforceModel, name: str) -> float:
    return model.totals[name]


def _per_role(model: WorkforceModel, name: str, index: int) -> float:
    return model.outputs[name][index]
