"""The generic repository port every stored entity shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from hireflow.domain.models.base import Entity

EntityT = TypeVar("EntityT", bound=Entity)


class Repository(Protocol[EntityT]):
    """Stores and loads one kind of entity. Tenant-owned repositories only ever see their tenant's rows."""

    def add(self, entity: EntityT) -> EntityT:
        """Store a new entity and return it with its id and timestamps."""
        ...

    def get(self, entity_id: int) -> EntityT:
        """The entity with this id; raises NotFound when it is missing or another tenant's."""
        ...

    def find(self, entity_id: int) -> EntityT | None:
        """The entity with this id, or None."""
        ...

    def get_many(self, entity_ids: Sequence[int]) -> dict[int, EntityT]:
        """The entities of ``entity_ids`` that exist (and are this tenant's), by id; missing ids are left out."""
        ...

    def update(self, entity: EntityT) -> EntityT:
        """Write every field of a stored entity back; raises NotFound when it is gone."""
        ...

    def delete(self, entity_id: int) -> None:
        """Remove the entity (and what cascades from it); raises NotFound when it is missing."""
        ...

    def list(self, *, limit: int = 100, after_id: int | None = None) -> Sequence[EntityT]:
        """Entities in id order, ``limit`` at a time, starting after ``after_id`` (keyset pagination)."""
        ...

    def count(self) -> int:
        """How many entities there are."""
        ...
