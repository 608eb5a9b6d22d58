"""The funnel summary printed by ``hireflow up``: candidates per funnel state, per company group, from the
SDK's :class:`~hireflow.domain.services.funnel.FunnelService` (the same buckets the dashboard shows)."""

# Imports inside functions are deliberate: the CLI loads SQLAlchemy, rich and the settings only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hireflow.domain.models.funnel import FunnelState

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import Engine


@dataclass(frozen=True)
class GroupFunnel:
    """How many live candidates of one company group stand in each funnel state."""

    company_group_id: int
    name: str
    counts: Mapping[FunnelState, int]

    @property
    def total(self) -> int:
        """Every live candidate of the group."""
        return sum(self.counts.values())

    def count(self, state: FunnelState) -> int:
        """Candidates in ``state``; zero when there are none."""
        return self.counts.get(state, 0)


def funnel_summary(engine: Engine) -> list[GroupFunnel]:
    """Candidate counts per company group and funnel state; deleted and merged candidates are left out."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from hireflow.domain.services.funnel import FunnelService
    from hireflow.infra.db.repositories import SqlAlchemyAdminDashboardRepository
    from hireflow.infra.db.tables import CompanyGroup

    with Session(engine) as session:
        groups = session.execute(
            select(CompanyGroup.id, CompanyGroup.name).order_by(CompanyGroup.name, CompanyGroup.id)
        )
        service = FunnelService(SqlAlchemyAdminDashboardRepository(session))
        return [GroupFunnel(group_id, name, service.buckets(group_id)) for group_id, name in groups.all()]


def print_funnel_summary(groups: Sequence[GroupFunnel], console: Console) -> None:
    """One table per company group, every funnel state in order with its share, then the totals."""
    if not groups:
        console.print("no company groups yet: nothing to summarise", soft_wrap=True)
        return
    for group in groups:
        console.print(funnel_table(f"{group.name} (company group {group.company_group_id})", group.counts))
    if len(groups) > 1:
        totals = {state: sum(group.count(state) for group in groups) for state in FunnelState}
        console.print(funnel_table(f"All {len(groups)} company groups", totals))
    candidates = sum(group.total for group in groups)
    console.print(
        f"{_plural(len(groups), 'company group')}, {_plural(candidates, 'candidate')}", soft_wrap=True
    )


def funnel_table(title: str, counts: Mapping[FunnelState, int]) -> Table:
    """A table of the count and share of every funnel state, zeros included, in the order of the enum."""
    from rich.table import Table

    total = sum(counts.values())
    table = Table(title=title, title_justify="left")
    table.add_column("Funnel state", no_wrap=True)
    table.add_column("Candidates", justify="right", no_wrap=True)
    table.add_column("Share", justify="right", no_wrap=True)
    for state in FunnelState:
        table.add_row(state.value, f"{counts.get(state, 0):,}", _share(counts.get(state, 0), total))
    table.add_section()
    table.add_row("total", f"{total:,}", _share(total, total))
    return table


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"
