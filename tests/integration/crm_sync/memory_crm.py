"""A CRM held in memory, for testing the sync and the store without HTTP: records per entity, pages in
``(modified, id)`` order, a parser with the same rules as a real connector's, and a way to fail mid-read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from hireflow.domain.models.crm_sync import (
    IMPORT_TYPES,
    CrmEntity,
    ImportRecord,
    SourceRecord,
    SyncCursor,
    id_order,
)
from hireflow.domain.ports.crm_sync import Parser, SourcePage
from hireflow.shared.errors import ServiceUnavailable, ValidationFailed
from hireflow.shared.ids import normalize_phone

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class MemoryCrm:
    """Records by entity and id: ``payload`` holds Hireflow's field names directly (plus ``phone``)."""

    name: str = "memorycrm"
    page_size: int = 3
    records: dict[CrmEntity, dict[str, SourceRecord]] = field(default_factory=dict)
    fail_after_pages: int | None = None
    pages_read: int = 0
    clock: datetime = T0

    @property
    def entities(self) -> tuple[CrmEntity, ...]:
        return tuple(CrmEntity)

    def put(
        self, entity: CrmEntity, external_id: str, *, deleted: bool = False, **payload: Any
    ) -> SourceRecord:
        """Create or change a record; it is modified a second after the previous change."""
        self.clock += timedelta(seconds=1)
        record = SourceRecord(
            external_id=external_id, modified_at=self.clock, deleted=deleted, payload=payload
        )
        self.records.setdefault(entity, {})[external_id] = record
        return record

    def remove(self, entity: CrmEntity, external_id: str) -> None:
        """Delete a record for good (a hard delete: only a full sync notices)."""
        del self.records[entity][external_id]

    def read(self, entity: CrmEntity, since: SyncCursor | None) -> Iterator[SourcePage]:
        ordered = sorted(
            self.records.get(entity, {}).values(),
            key=lambda record: (record.modified_at, id_order(record.external_id)),
        )
        if since is not None:
            ordered = [record for record in ordered if record.modified_at >= since.modified_at]
        for start in range(0, len(ordered), self.page_size):
            if self.fail_after_pages is not None and self.pages_read >= self.fail_after_pages:
                raise ServiceUnavailable("the CRM went away")
            self.pages_read += 1
            yield SourcePage(ordered[start : start + self.page_size], total=len(ordered))

    def parse(self, entity: CrmEntity, record: SourceRecord) -> ImportRecord:
        payload = dict(record.payload)
        errors: list[dict[str, Any]] = []
        if "phone" in payload:
            try:
                payload["phone_e164"] = normalize_phone(str(payload.pop("phone")))
            except ValidationFailed as failure:
                errors.extend({**error, "field": "phone"} for error in failure.errors)
        try:
            parsed = IMPORT_TYPES[entity].model_validate(
                {**payload, "external_id": record.external_id, "modified_at": record.modified_at}
            )
        except ValidationError as exc:
            errors.extend(
                {"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"]}
                for error in exc.errors()
            )
            parsed = None
        if errors or parsed is None:
            raise ValidationFailed(f"{entity.value} {record.external_id} is not valid", errors)
        return parsed

    @property
    def parser(self) -> Parser:
        return self.parse

    def close(self) -> None:
        pass
