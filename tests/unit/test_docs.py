"""The docs name every table the code has."""

from __future__ import annotations

from pathlib import Path

from hireflow.infra.db import tables  # noqa: F401 - registers every table
from hireflow.infra.db.base import metadata

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_data_model_page_lists_every_table() -> None:
    text = (DOCS / "data-model.md").read_text()
    missing = [name for name in metadata.tables if f"| `{name}` |" not in text]
    assert missing == []


def test_the_api_page_prints_the_permission_matrix_as_defined() -> None:
    from hireflow.domain.models.identity import MembershipRole
    from hireflow.domain.services.authorization import ROLE_PERMISSIONS, Permission

    roles = [
        MembershipRole.VIEWER,
        MembershipRole.HIRING_MANAGER,
        MembershipRole.RECRUITER,
        MembershipRole.ADMIN,
    ]
    expected = [
        f"| `{permission.value}` | "
        + " | ".join("yes" if permission in ROLE_PERMISSIONS[role] else "" for role in roles)
        + " | yes |"
        for permission in Permission
    ]
    lines = [" ".join(line.split()) for line in (DOCS / "api.md").read_text().splitlines()]
    printed = [line for line in lines if line.startswith("| `") and line.endswith("| yes |")]
    assert printed == [" ".join(row.split()) for row in expected]


def test_the_readme_lists_every_setting() -> None:
    from hireflow.shared.config import Settings

    readme = (DOCS.parent / "README.md").read_text()
    missing = [name for name in Settings.model_fields if f"`HIREFLOW_{name.upper()}`" not in readme]
    assert missing == []
