"""Workforce simulation adapters: scenario files (JSON/YAML) and occupation reference files (CSV)."""

from __future__ import annotations

from hireflow.infra.workforce.occupations import load_occupation_exposures, load_oes_wages
from hireflow.infra.workforce.scenario_files import load_scenario_file, read_scenario_file

__all__ = ["load_occupation_exposures", "load_oes_wages", "load_scenario_file", "read_scenario_file"]
