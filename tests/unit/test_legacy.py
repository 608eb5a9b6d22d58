"""The legacy path ``hireflow.legacy.backend.db.screening_models`` keeps old code running, and says so."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hireflow.infra.db import migrate, tables
from hireflow.infra.db.base import Base
from hireflow.shared.config import Settings

SCREENING_MODELS = "hireflow.legacy.backend.db.screening_models"
LEGACY_MODULES = [
    "hireflow.legacy",
    "hireflow.legacy.backend",
    "hireflow.legacy.backend.db",
    SCREENING_MODELS,
]

ALIASES: dict[str, type[Base]] = {
    "Users": tables.User,
    "CompanyGroups": tables.CompanyGroup,
    "BusinessUnits": tables.BusinessUnit,
    "Roles": tables.Role,
    "Locations": tables.Location,
    "HiringObjectives": tables.HiringObjective,
    "Candidates": tables.Candidate,
    "CandidateFunnelLog": tables.CandidateFunnelLog,
    "CandidateReferences": tables.CandidateReference,
    "ReferenceMessages": tables.ReferenceMessage,
    "QuestionSets": tables.QuestionSet,
    "ScreeningQuestions": tables.ScreeningQuestion,
    "ScreeningAnswers": tables.ScreeningAnswer,
    "PhoneInterviews": tables.PhoneInterview,
    "PhoneInterviewQuestions": tables.PhoneInterviewQuestion,
    "MessageTemplates": tables.MessageTemplate,
    "ScreeningMessages": tables.ScreeningMessage,
    "WhatsappStatusUpdates": tables.WhatsappStatusUpdate,
    "EmailLogs": tables.EmailLog,
    "OnboardingResponses": tables.OnboardingResponse,
    "ProductUsage": tables.ProductUsage,
    "DashboardConfigurations": tables.DashboardConfiguration,
    "CandidateMedia": tables.CandidateMedia,
    "ResponseTiming": tables.ResponseTiming,
    "EligibilityEvaluationLog": tables.EligibilityEvaluationLog,
    "AdTemplate": tables.AdTemplate,
}


def load_legacy(name: str) -> tuple[ModuleType, list[warnings.WarningMessage]]:
    """Import ``name``, or reload it when an earlier test imported it, so that its warning fires again."""
    with pytest.warns(DeprecationWarning, match=r"^hireflow\.legacy\S* is deprecated; ") as record:
        module = importlib.reload(sys.modules[name]) if name in sys.modules else importlib.import_module(name)
    return module, list(record)


@pytest.fixture
def screening_models() -> ModuleType:
    return load_legacy(SCREENING_MODELS)[0]


def test_there_are_26_aliases() -> None:
    assert len(ALIASES) == 26
    assert len(set(ALIASES.values())) == 26


@pytest.mark.parametrize(("legacy_name", "table"), ALIASES.items(), ids=list(ALIASES))
def test_each_alias_is_the_table_class(screening_models: ModuleType, legacy_name: str, table: type) -> None:
    assert getattr(screening_models, legacy_name) is table
    assert legacy_name in screening_models.__all__


def test_everything_exported_is_importable(screening_models: ModuleType) -> None:
    assert set(screening_models.__all__) == {*ALIASES, "Base", "DBShim", "build_db_url_from_settings"}
    for name in screening_models.__all__:
        assert getattr(screening_models, name) is not None
    assert screening_models.Base is Base


@pytest.mark.parametrize("name", LEGACY_MODULES)
def test_importing_warns_and_names_the_new_path(name: str) -> None:
    _, record = load_legacy(name)
    messages = [str(warning.message) for warning in record if str(warning.message).startswith(f"{name} is")]
    assert len(messages) == 1, [str(warning.message) for warning in record]
    assert messages[0].startswith(f"{name} is deprecated; ")
    assert "hireflow.infra" in messages[0]


def test_the_screening_models_warning_names_tables_and_sessions() -> None:
    _, record = load_legacy(SCREENING_MODELS)
    assert [str(warning.message) for warning in record] == [
        f"{SCREENING_MODELS} is deprecated; import the tables from hireflow.infra.db.tables "
        "and sessions from hireflow.infra.db.session"
    ]
    assert record[0].category is DeprecationWarning


def test_the_warning_points_at_the_importer() -> None:
    _, record = load_legacy(SCREENING_MODELS)
    assert record[0].filename == __file__


def test_an_import_statement_in_a_script_shows_the_warning_at_its_line(tmp_path: Path) -> None:
    script = tmp_path / "old_code.py"
    script.write_text(f"import sys\nimport {SCREENING_MODELS}\n")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=True, cwd=tmp_path
    )
    # Python's default filters show DeprecationWarning raised in __main__: the old code's own line.
    expected = f"{script}:2: DeprecationWarning: {SCREENING_MODELS} is deprecated"
    assert expected in result.stderr
    assert f"{script}:2: DeprecationWarning: hireflow.legacy is deprecated" in result.stderr


def test_a_second_import_does_not_warn_again() -> None:
    load_legacy(SCREENING_MODELS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        importlib.import_module(SCREENING_MODELS)
        importlib.import_module("hireflow.legacy")


def test_db_shim_from_settings_gives_a_working_scoped_session(
    screening_models: ModuleType, tmp_path: Path
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'legacy.db'}")
    shim = screening_models.DBShim.from_settings(settings)
    try:
        assert shim.engine.url.database == str(tmp_path / "legacy.db")
        migrate.upgrade(shim.engine)
        session = shim.session()
        assert isinstance(session, Session)
        assert shim.session() is session, "one session per thread until it is removed"
        shim.session.add(screening_models.CompanyGroups(name="Acme", slug="acme"))
        shim.session.commit()
        assert shim.session.scalar(select(func.count()).select_from(screening_models.CompanyGroups)) == 1

        other: list[Session] = []
        thread = threading.Thread(target=lambda: other.append(shim.session()))
        thread.start()
        thread.join()
        assert other[0] is not session, "another thread gets its own session"

        shim.remove_session()
        assert shim.session() is not session
        assert shim.session.scalar(select(screening_models.CompanyGroups.slug)) == "acme"
    finally:
        shim.dispose()


def test_build_db_url_from_settings(screening_models: ModuleType, tmp_path: Path) -> None:
    build = screening_models.build_db_url_from_settings
    sqlite_url = f"sqlite:///{tmp_path / 'x.db'}"
    assert build(Settings(database_url=sqlite_url)) == sqlite_url
    postgres = Settings(database_url="postgresql://app:s3cret@db.internal:5432/hireflow")
    assert build(postgres) == "postgresql+psycopg://app:s3cret@db.internal:5432/hireflow"
    assert (
        build(Settings(database_url="postgres://app@db/hireflow")) == "postgresql+psycopg://app@db/hireflow"
    )
