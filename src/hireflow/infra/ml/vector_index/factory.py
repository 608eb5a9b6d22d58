"""The configured vector index (``HIREFLOW_VECTOR_INDEX``): pgvector where PostgreSQL has it, else usearch files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from hireflow.domain.ports.matching import VectorIndex
from hireflow.infra.ml.vector_index.pgvector_index import PgvectorIndex
from hireflow.infra.ml.vector_index.pgvector_schema import pgvector_version
from hireflow.infra.ml.vector_index.usearch_index import UsearchIndex
from hireflow.shared.config import Settings, get_settings
from hireflow.shared.errors import ConfigurationError

DEFAULT_DIRECTORY = Path("hireflow-vectors")


def build_vector_index(
    engine: Engine, company_group_id: int, settings: Settings | None = None
) -> VectorIndex:
    """The vector index of one company group: ``auto`` picks pgvector when the database is PostgreSQL and its
    server has the extension, else usearch; ``pgvector`` without it raises a ConfigurationError saying so."""
    settings = settings or get_settings()
    if _uses_pgvector(engine, settings):
        return PgvectorIndex(engine, company_group_id)
    return UsearchIndex(engine, company_group_id, usearch_directory(engine, settings))


def describe_vector_index(engine: Engine, company_group_id: int, settings: Settings | None = None) -> str:
    """One line saying which index serves the company group, for CLI output: ``pgvector 0.8.6 (HNSW)`` or
    ``usearch files at /path/cg3-*.usearch``."""
    settings = settings or get_settings()
    if _uses_pgvector(engine, settings):
        with engine.connect() as connection:
            return f"pgvector {pgvector_version(connection)} (HNSW)"
    return f"usearch files at {usearch_directory(engine, settings).resolve() / f'cg{company_group_id}-*.usearch'}"


def usearch_directory(engine: Engine, settings: Settings) -> Path:
    """``HIREFLOW_VECTOR_INDEX_DIR``; else beside a SQLite database file (``<file>.vectors``); else
    ``./hireflow-vectors``."""
    if settings.vector_index_dir is not None:
        return settings.vector_index_dir
    database = engine.url.database
    if (
        engine.dialect.name == "sqlite"
        and database
        and database != ":memory:"
        and not database.startswith("file:")
    ):
        return Path(f"{database}.vectors")
    return DEFAULT_DIRECTORY


def _uses_pgvector(engine: Engine, settings: Settings) -> bool:
    if settings.vector_index == "usearch":
        return False
    if engine.dialect.name != "postgresql":
        if settings.vector_index == "pgvector":
            raise ConfigurationError(
                f"HIREFLOW_VECTOR_INDEX=pgvector needs PostgreSQL, but the database is {engine.dialect.name}; "
                "set HIREFLOW_VECTOR_INDEX=usearch (or auto)"
            )
        return False
    with engine.connect() as connection:
        available = pgvector_version(connection) is not None
    if settings.vector_index == "pgvector" and not available:
        raise ConfigurationError(
            f"HIREFLOW_VECTOR_INDEX=pgvector, but the PostgreSQL server of database '{engine.url.database}' has "
            "no pgvector extension: install pgvector on the server, or set HIREFLOW_VECTOR_INDEX=usearch "
            "(or auto) to keep the index in usearch files"
        )
    return available
