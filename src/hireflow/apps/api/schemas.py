"""What every resource's schemas share: the public record base and the documented error responses."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class PublicRecord(BaseModel):
    """Fields every stored record shows: its id and when it was created and last changed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str = Field(description="A stable URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(description="What went wrong with this request, for a human")
    instance: str = Field(description="The request path")
    request_id: str | None = Field(description="Also in the X-Request-ID header and the server's logs")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Validation problems only: every offending field"
    )
    from_state: str | None = Field(default=None, description="Refused funnel moves only: the current state")
    to_state: str | None = Field(default=None, description="Refused funnel moves only: the state asked for")
    allowed: list[str] | None = Field(
        default=None, description="Refused funnel moves only: the states the candidate may move to"
    )


def problem_response(description: str) -> dict[str, Any]:
    # No "model": the media type would default to application/json; the schema is filled in by openapi.py.
    return {"description": description, "content": {"application/problem+json": {}}}


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: problem_response("No such record in your company group (another tenant's records look the same)")
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: problem_response("The change conflicts with stored data (a duplicate, or records that refer to it)"),
}
