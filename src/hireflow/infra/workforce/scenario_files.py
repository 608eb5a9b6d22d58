"""Scenario files: JSON (``.json``) or YAML (``.yaml``, ``.yml``), read into a validated scenario.

Every failure is one clear line: the file is missing, its syntax is broken (with the line number), its
extension is unknown, or the scenario it holds is invalid (every field error listed at once).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hireflow.domain.models.workforce import Scenario
from hireflow.domain.services.workforce_scenarios import scenario_from_mapping
from hireflow.shared.errors import NotFound, ValidationFailed

SUFFIXES = (".json", ".yaml", ".yml")


def load_scenario_file(path: str | Path) -> Scenario:
    """The scenario in ``path``; raises NotFound or ValidationFailed with a one-line message."""
    content = read_scenario_file(path)
    try:
        return scenario_from_mapping(content)
    except ValidationFailed as failure:
        raise ValidationFailed(f"{path}: {failure.detail}", failure.errors) from None


def read_scenario_file(path: str | Path) -> Any:
    """The parsed (not yet validated) content of a JSON or YAML scenario file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _bad(path, f"unknown extension {path.suffix or '(none)'!r}: use .json, .yaml or .yml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound("scenario file", str(path)) from None
    except IsADirectoryError:
        raise _bad(path, "is a directory, not a scenario file") from None
    except UnicodeDecodeError as error:
        raise _bad(path, f"is not UTF-8 text (byte {error.start})") from None
    content = _parse_json(path, text) if suffix == ".json" else _parse_yaml(path, text)
    if content is None:
        raise _bad(path, "is empty")
    return content


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else None
    except json.JSONDecodeError as error:
        raise _bad(path, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None


def _parse_yaml(path: Path, text: str) -> Any:
    import yaml  # a dependency of hireflow; imported here so that importing this module stays cheap

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "syntax error"
        raise _bad(path, f"invalid YAML {where}: {problem}".replace("  ", " ")) from None
    except yaml.YAMLError as error:
        raise _bad(path, f"invalid YAML: {' '.join(str(error).split())}") from None


def _bad(path: Path, message: str) -> ValidationFailed:
    return ValidationFailed(f"{path}: {message}", [{"field": "file", "message": message}])
