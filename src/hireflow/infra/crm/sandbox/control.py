"""The control API every sandbox serves under ``/_sandbox/``: mutations, stats, faults and the ground truth.

These endpoints need no credentials and are never faulted; they are for tests and demos, not for clients
under test (a client that reads them is cheating).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response, StreamingResponse

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.faults import parse_faults
from hireflow.infra.crm.sandbox.profile import CrmProfile
from hireflow.infra.crm.sandbox.responses import json_response
from hireflow.infra.crm.sandbox.state import SandboxState
from hireflow.infra.crm.sandbox.store import MutationRequest
from hireflow.shared.errors import ValidationFailed

_MAX_CHANGES = 1_000_000
_IDS_PER_CHUNK = 10_000


class MutateBody(BaseModel):
    """``POST /_sandbox/mutate``: how many records of one entity to change."""

    model_config = ConfigDict(extra="forbid")

    entity: str
    modify: int = Field(default=0, ge=0, le=_MAX_CHANGES)
    delete: int = Field(default=0, ge=0, le=_MAX_CHANGES)
    create: int = Field(default=0, ge=0, le=_MAX_CHANGES)
    anonymize: int = Field(default=0, ge=0, le=_MAX_CHANGES)


class FaultsBody(BaseModel):
    """``PUT /_sandbox/faults``: the new fault plan, in the CLI syntax."""

    model_config = ConfigDict(extra="forbid")

    faults: list[str]


def control_router(state: SandboxState, profile: CrmProfile) -> APIRouter:
    """The ``/_sandbox`` routes of one sandbox."""
    router = APIRouter(prefix="/_sandbox")

    def resolve(name: str) -> tuple[str, EntityKind] | Response:
        found = profile.entity(name)
        if found is None:
            return _error(404, f"unknown entity '{name}'; {profile.name} has {', '.join(profile.entities)}")
        return found

    @router.post("/mutate")
    async def mutate(body: MutateBody) -> Response:
        """Modify, anonymize, delete and create records; answers the ids changed."""
        found = resolve(body.entity)
        if isinstance(found, Response):
            return found
        return _mutate(state, profile, found, body)

    @router.get("/stats")
    async def stats() -> Response:
        """Requests served, faults injected by kind, tokens issued, and live records per entity."""
        document = state.stats_document()
        document["records"] = {name: state.store.live_count(kind) for name, kind in profile.entities.items()}
        document["faults_planned"] = state.faults.specs()
        return json_response(document)

    @router.get("/faults")
    async def faults() -> Response:
        """The fault plan in force, in the CLI syntax."""
        return json_response({"faults": state.faults.specs()})

    @router.put("/faults")
    async def replace_faults(body: FaultsBody) -> Response:
        """Replace the fault plan; the malformed share is part of the data and cannot change."""
        try:
            plan = parse_faults(body.faults, malformed_rate=state.faults.malformed_rate)
        except ValidationFailed as exc:
            return _error(400, exc.detail)
        unsupported = profile.unsupported_faults(plan.kinds)
        if unsupported:
            return _error(400, f"{profile.name} cannot inject {', '.join(unsupported)}")
        if plan.malformed_rate != state.faults.malformed_rate:
            return _error(400, "the malformed share is fixed when the sandbox starts (it shapes the data)")
        state.faults = plan
        return json_response({"faults": state.faults.specs()})

    @router.get("/records/{entity}/{record_id}")
    async def record(entity: str, record_id: str) -> Response:
        """The current truth of one record: live, deleted or purged, its defect, and its full CRM shape."""
        found = resolve(entity)
        if isinstance(found, Response):
            return found
        name, kind = found
        number = profile.parse_id(kind, record_id)
        table = state.store.tables[kind]
        if number is None or not 1 <= number < table.next_id:
            return _error(404, f"{name} {record_id} never existed")
        current = table.get(number)
        if current is None:
            return json_response(
                {
                    "entity": name,
                    "id": profile.external_id(kind, number),
                    "state": "purged",
                    "invalid": None,
                    "record": None,
                }
            )
        return json_response(
            {
                "entity": name,
                "id": profile.external_id(kind, number),
                "state": "deleted" if current.deleted else "live",
                "invalid": current.defect,
                "record": profile.render(kind, current),
            }
        )

    @router.get("/ids/{entity}")
    async def ids(entity: str) -> Response:
        """Every live id and every deleted id, streamed (a million ids is a few megabytes)."""
        found = resolve(entity)
        if isinstance(found, Response):
            return found
        name, kind = found
        return StreamingResponse(_ids_document(state, profile, name, kind), media_type="application/json")

    @router.get("/invalid/{entity}")
    async def invalid(entity: str) -> Response:
        """Every malformed record and its defect (scans the ids: about a second per million)."""
        found = resolve(entity)
        if isinstance(found, Response):
            return found
        name, kind = found
        rows = [{"id": profile.external_id(kind, i), "defect": d} for i, d in state.store.invalid(kind)]
        return json_response({"entity": name, "invalid": rows})

    return router


def _mutate(
    state: SandboxState, profile: CrmProfile, entity: tuple[str, EntityKind], body: MutateBody
) -> Response:
    name, kind = entity
    if body.anonymize and kind not in profile.anonymizable:
        return _error(400, f"only people can be anonymized, not {name}")
    request = MutationRequest(body.modify, body.delete, body.create, body.anonymize)
    result = state.store.mutate(kind, request, hard_delete=kind in profile.hard_delete)
    state.stats.mutations += 1

    def ids(values: list[int]) -> list[int | str]:
        return [profile.external_id(kind, value) for value in values]

    return json_response(
        {
            "entity": name,
            "modified": ids(result.modified),
            "anonymized": ids(result.anonymized),
            "deleted": ids(result.deleted),
            "created": ids(result.created),
            "hard_delete": kind in profile.hard_delete,
        }
    )


async def _ids_document(
    state: SandboxState, profile: CrmProfile, name: str, kind: EntityKind
) -> AsyncIterator[bytes]:
    # An async generator runs on the event loop, like every other use of the store (it is not thread-safe).
    yield f'{{"entity":{json.dumps(name)},"live":['.encode()
    chunk: list[str] = []
    first = True
    for record_id in state.store.live_ids(kind):
        chunk.append(json.dumps(profile.external_id(kind, record_id)))
        if len(chunk) >= _IDS_PER_CHUNK:
            yield (("" if first else ",") + ",".join(chunk)).encode()
            first, chunk = False, []
    if chunk:
        yield (("" if first else ",") + ",".join(chunk)).encode()
    deleted = [profile.external_id(kind, record_id) for record_id in state.store.deleted_ids(kind)]
    yield f'],"deleted":{json.dumps(deleted)}}}'.encode()


def _error(status: int, message: str) -> Response:
    return json_response({"error": message}, status=status)
