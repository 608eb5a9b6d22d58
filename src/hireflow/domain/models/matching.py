"""Matching context: embeddings of candidate profiles and job openings, and explained candidate-job matches.

A vector is the embedder's output for one text: ``dimensions`` float32 values, L2-normalised, packed little-endian
into ``bytes`` (:func:`hireflow.domain.services.vectors.unpack` reads it). The domain passes vectors as opaque
bytes so that it needs no numpy; the adapters that compute with them (vector indexes, embedders) use numpy.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, Field, model_validator

from hireflow.domain.models.base import DomainModel, TenantEntity
from hireflow.shared.types import JSONObject


class EmbeddedEntity(StrEnum):
    """What an embedding is of."""

    CANDIDATE = "candidate"
    JOB = "job"


class EmbeddingText(DomainModel):
    """The text a builder made of one record, and the hash that says whether it must be embedded again."""

    record_id: int
    text: str
    content_hash: str = Field(min_length=1, max_length=64)


class EmbeddingRow(DomainModel):
    """One record's stored embedding (``vector`` is None for a record that was removed: a tombstone)."""

    record_id: int
    content_hash: str = Field(min_length=1, max_length=64)
    vector: bytes | None = None


class EmbeddingSet(DomainModel):
    """One company group's embeddings of one entity: the model that made them and the last write's revision.

    Every transaction that writes embeddings of a set takes the next revision and stamps it on the rows it
    writes, so an index derived from the set catches up by reading the rows above the revision it has applied.
    """

    company_group_id: int
    entity: EmbeddedEntity
    model: str = Field(min_length=1, max_length=200)
    dimensions: int = Field(gt=0, le=8192)
    generation: str = Field(
        min_length=1, max_length=32, description="changes when the set is made or emptied"
    )
    revision: int = Field(default=0, ge=0)


class Neighbour(DomainModel):
    """A record near a query vector: its id and the cosine similarity (1 = same direction)."""

    record_id: int
    similarity: float


class MatchWeights(DomainModel):
    """How the components of a match score are weighed; the score is their weighted mean (weights need not sum to
    one). A component that cannot be computed (no location, no salary) takes ``unknown_score``."""

    similarity: float = Field(default=0.6, ge=0)
    distance: float = Field(default=0.15, ge=0)
    salary: float = Field(default=0.1, ge=0)
    eligibility: float = Field(default=0.1, ge=0)
    availability: float = Field(default=0.05, ge=0)
    unknown_score: float = Field(default=0.5, ge=0, le=1)
    max_commute_km: float = Field(
        default=50.0, gt=0, le=20_000, description="distance at which the distance score reaches 0"
    )
    availability_horizon_days: int = Field(
        default=90,
        gt=0,
        le=3650,
        description="days of waiting after the job's start at which availability is 0",
    )
    include_excluded_states: bool = Field(
        default=False, description="also match hired, rejected and withdrawn candidates"
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Self:
        if self.total() == 0:
            raise ValueError("at least one weight must be positive")
        return self

    def total(self) -> float:
        return self.similarity + self.distance + self.salary + self.eligibility + self.availability


class MatchComponents(DomainModel):
    """Each component's score in [0, 1]."""

    similarity: float
    distance: float
    salary: float
    eligibility: float
    availability: float


class MatchExplanation(DomainModel):
    """Why a pair scored as it did, in terms a recruiter checks."""

    cosine: float = Field(description="raw cosine similarity of the two embeddings")
    matched_skills: list[str] = Field(default_factory=list)
    missing_skills: list[str] = Field(
        default_factory=list, description="the job's skills the candidate lacks"
    )
    distance_km: float | None = None
    salary: str
    eligibility: list[JSONObject] = Field(default_factory=list)
    availability: str
    notes: list[str] = Field(default_factory=list)


class MatchDirection(StrEnum):
    """What a run matched: candidates for jobs, or jobs for candidates."""

    CANDIDATES_FOR_JOB = "candidates_for_job"
    JOBS_FOR_CANDIDATE = "jobs_for_candidate"


class Match(DomainModel):
    """One candidate-job pair in a ranking."""

    rank: int = Field(ge=1)
    job_id: int
    candidate_id: int
    score: float
    components: MatchComponents
    explanation: MatchExplanation


class MatchRun(TenantEntity):
    """One ranking computed and stored, so results can be audited and compared between runs."""

    direction: MatchDirection
    subject_ids: list[int] = Field(default_factory=list, description="the jobs or candidates matched")
    top_k: int = Field(ge=1, le=1000)
    model: str = Field(max_length=200)
    weights: MatchWeights = Field(default_factory=MatchWeights)
    started_at: AwareDatetime
    finished_at: AwareDatetime | None = None
    matches: int = Field(default=0, ge=0)
