"""The ElevenLabs post-call webhook payloads, validated with pydantic: tolerant of the fields the provider adds
over time, strict about the ones Hireflow reads (a missing one is a ValidationFailed naming it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from hireflow.shared.errors import ValidationFailed


class _Payload(BaseModel):
    # Providers add fields over time; only the ones read here are checked.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Turn(_Payload):
    """One turn of the conversation; ``message`` is None for tool calls."""

    role: str
    message: str | None = None
    time_in_call_secs: float | None = None


class CallMetadata(_Payload):
    """When the call started (Unix seconds) and how long it lasted."""

    start_time_unix_secs: int
    call_duration_secs: int = Field(default=0, ge=0)


class CollectedValue(_Payload):
    """What the agent extracted for one ``data_collection`` key, and why."""

    data_collection_id: str | None = None
    value: Any = None
    rationale: str | None = None


class CallAnalysis(_Payload):
    """The provider's analysis of the call: success, summary and collected data."""

    call_successful: str = "unknown"
    transcript_summary: str | None = None
    data_collection_results: dict[str, CollectedValue] = Field(default_factory=dict)


class TranscriptionData(_Payload):
    """The ``data`` of a transcription webhook."""

    agent_id: str
    conversation_id: str = Field(min_length=1)
    status: str
    transcript: list[Turn]
    metadata: CallMetadata
    analysis: CallAnalysis = Field(default_factory=CallAnalysis)


class PostCallTranscription(_Payload):
    """A ``post_call_transcription`` webhook."""

    type: Literal["post_call_transcription"]
    event_timestamp: int
    data: TranscriptionData


class InitiationFailureData(_Payload):
    """The ``data`` of a call-initiation failure (``failure_reason``: busy, no-answer...)."""

    agent_id: str
    conversation_id: str = Field(min_length=1)
    failure_reason: str = "unknown"


class CallInitiationFailure(_Payload):
    """A ``call_initiation_failure`` webhook: the call never connected."""

    type: Literal["call_initiation_failure"]
    event_timestamp: int | None = None
    data: InitiationFailureData


PostCallEvent = PostCallTranscription | CallInitiationFailure
_EVENT: TypeAdapter[PostCallEvent] = TypeAdapter(Annotated[PostCallEvent, Field(discriminator="type")])


def parse_post_call(payload: Mapping[str, Any]) -> PostCallEvent:
    """The webhook's event; ValidationFailed lists every essential field that is missing or malformed."""
    try:
        return _EVENT.validate_python(dict(payload))
    except ValidationError as error:
        errors = [{"field": _field(item["loc"]), "message": item["msg"]} for item in error.errors()]
        listed = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ValidationFailed(f"the ElevenLabs webhook is not valid: {listed}", errors) from None


def _field(location: tuple[int | str, ...]) -> str:
    """``data.conversation_id`` from pydantic's location, without the union's tag (``post_call_transcription``)."""
    parts = [str(part) for part in location]
    if parts and parts[0] in _TAGS:
        parts = parts[1:]
    return ".".join(parts) or "payload"


_TAGS = frozenset({"post_call_transcription", "call_initiation_failure"})
