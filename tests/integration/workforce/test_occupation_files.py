"""The workforce file adapters: scenario files, and occupation files, both small ones written here and the real
public files in the shared data folder beside the repository (``../shared/data``; skipped when absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hireflow.domain.models.workforce import ScenarioLimits
from hireflow.domain.ports.workforce import OccupationExposure, OccupationWage
from hireflow.domain.services.workforce_scenarios import prepare_scenario, resolve_roles
from hireflow.infra.workforce import (
    load_occupation_exposures,
    load_oes_wages,
    load_scenario_file,
    read_scenario_file,
)
from hireflow.shared.errors import NotFound, ValidationFailed


def _repository_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "pyproject.toml").is_file())


ROOT = _repository_root()
DATA = Path(os.environ.get("HIREFLOW_TEST_DATA_DIR") or ROOT.parent / "shared" / "data").resolve()
EXPOSURE_FILE = DATA / "occupation_exposure_gpts_are_gpts.csv"
WAGE_FILE = DATA / "bls_oes_national_may2021.csv"
EXAMPLE = ROOT / "examples" / "workforce" / "contact_center.yaml"

EXPOSURE_HEADER = (
    "O*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,"
    "human_rating_alpha,human_rating_beta,human_rating_gamma\n"
)
WAGE_HEADER = "AREA,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,A_MEAN,A_MEDIAN\n"


@pytest.fixture(scope="module")
def exposures() -> dict[str, OccupationExposure]:
    if not EXPOSURE_FILE.is_file():
        pytest.skip(f"the real exposure file is absent: {EXPOSURE_FILE} (set HIREFLOW_TEST_DATA_DIR)")
    return load_occupation_exposures(EXPOSURE_FILE)


@pytest.fixture(scope="module")
def wages() -> dict[str, OccupationWage]:
    if not WAGE_FILE.is_file():
        pytest.skip(f"the real OES wage file is absent: {WAGE_FILE} (set HIREFLOW_TEST_DATA_DIR)")
    return load_oes_wages(WAGE_FILE)


# --- the real files ----------------------------------------------------------------------------------


def test_the_exposure_file_holds_923_occupations_in_798_soc_codes(
    exposures: dict[str, OccupationExposure],
) -> None:
    assert sum(len(exposure.onet_codes) for exposure in exposures.values()) == 923
    assert len(exposures) == 798
    accountants = exposures["13-2011"]
    assert accountants.onet_codes == ("13-2011.00",)
    assert all(0 <= share <= 1 for exposure in exposures.values() for share in exposure.shares.values())


def test_soc_codes_shared_by_several_onet_occupations_are_averaged(
    exposures: dict[str, OccupationExposure],
) -> None:
    shared = exposures["15-1299"]
    assert len(shared.onet_codes) > 1
    assert "Web Administrators" in shared.title


def test_the_oes_file_gives_employment_and_cents(wages: dict[str, OccupationWage]) -> None:
    assert wages["00-0000"].employment == 140_886_310
    representatives = wages["43-4051"]
    assert (
        representatives.employment,
        representatives.annual_mean_cents,
        representatives.annual_median_cents,
    ) == (
        2_787_070,
        3_907_000,
        3_692_000,
    )
    assert wages["13-1020"].group == "detailed"  # listed as broad and detailed: the detailed row wins
    assert wages["27-2011"].annual_mean_cents is None  # actors: suppressed


def test_about_82_percent_of_workers_have_a_tenth_of_tasks_exposed_and_24_percent_half(
    exposures: dict[str, OccupationExposure], wages: dict[str, OccupationWage]
) -> None:
    joined = [
        (wage.employment, exposures[code].share("human", "beta"))
        for code, wage in wages.items()
        if wage.group == "detailed" and wage.employment is not None and code in exposures
    ]
    total = sum(employment for employment, _ in joined)

    at_least_10 = sum(employment for employment, share in joined if share >= 0.1) / total
    at_least_50 = sum(employment for employment, share in joined if share >= 0.5) / total

    assert len(joined) > 700
    assert at_least_10 == pytest.approx(0.82, abs=0.01)
    assert at_least_50 == pytest.approx(0.24, abs=0.01)


def test_the_example_scenario_loads_and_resolves_against_the_real_files(
    exposures: dict[str, OccupationExposure], wages: dict[str, OccupationWage]
) -> None:
    scenario = resolve_roles(load_scenario_file(EXAMPLE), exposures, wages)

    assert all(role.exposure is not None for role in scenario.roles)
    assert all(role.annual_salary or role.salary_distribution for role in scenario.roles)
    assert scenario.roles[0].annual_salary == 3_907_000
    assert scenario.roles[0].exposure == pytest.approx(0.7045, abs=1e-4)
    assert all(role.soc_code in exposures and role.soc_code in wages for role in scenario.roles)
    prepare_scenario(read_scenario_file(EXAMPLE), exposures=exposures, wages=wages, limits=ScenarioLimits())


# --- small occupation files --------------------------------------------------------------------------


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "occ.csv"
    path.write_text(EXPOSURE_HEADER.replace(",human_rating_beta", "").replace(",dv_rating_alpha", ""))

    with pytest.raises(ValidationFailed) as caught:
        load_occupation_exposures(path)

    assert "missing column(s) 'dv_rating_alpha', 'human_rating_beta'" in str(caught.value)
    assert [error["field"] for error in caught.value.errors] == ["dv_rating_alpha", "human_rating_beta"]


def test_bad_exposure_cells_are_listed_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "occ.csv"
    path.write_text(
        EXPOSURE_HEADER + "11-1011.00,Chiefs,0.1,0.2,0.3,0.1,0.2,0.3\n13-1071.00,HR,x,0.2,0.3,0.1,1.5,0.3\n"
    )

    with pytest.raises(ValidationFailed) as caught:
        load_occupation_exposures(path)

    assert [error["field"] for error in caught.value.errors] == [
        "line 3, dv_rating_alpha",
        "line 3, human_rating_beta",
    ]


def test_exposures_of_one_soc_code_are_averaged(tmp_path: Path) -> None:
    path = tmp_path / "occ.csv"
    rows = "15-1299.01,A,0.2,0.2,0.2,0.2,0.2,0.2\n15-1299.02,B,0.4,0.4,0.4,0.4,0.6,0.4\n"
    path.write_text("\ufeff" + EXPOSURE_HEADER + rows, encoding="utf-8")

    table = load_occupation_exposures(path)

    assert table["15-1299"].share("human", "beta") == pytest.approx(0.4)
    assert table["15-1299"].title == "A; B"


def test_suppressed_and_top_coded_wages_become_none(tmp_path: Path) -> None:
    path = tmp_path / "oes.csv"
    rows = (
        '99,11-1011,Chief Executives,detailed,"202,360",#,#\n'
        "99,27-2011,Actors,detailed,**,*,*\n"
        '99,43-4051,Customer Service Representatives,detailed,"2,787,070","39,070","36,920"\n'
    )
    path.write_text("\ufeff" + WAGE_HEADER + rows, encoding="utf-8")

    table = load_oes_wages(path)

    assert (table["11-1011"].employment, table["11-1011"].annual_mean_cents) == (202_360, None)
    assert (table["27-2011"].employment, table["27-2011"].annual_median_cents) == (None, None)
    assert table["43-4051"].annual_mean_cents == 3_907_000


def test_bad_wage_cells_are_listed_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "oes.csv"
    path.write_text(WAGE_HEADER + "99,11-1011,Chief Executives,detailed,many,-5,12.345\n")

    with pytest.raises(ValidationFailed) as caught:
        load_oes_wages(path)

    assert [error["field"] for error in caught.value.errors] == [
        "line 2, TOT_EMP",
        "line 2, A_MEAN",
        "line 2, A_MEDIAN",
    ]


def test_a_missing_occupation_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"OES wage file '.*nowhere\.csv' was not found"):
        load_oes_wages(tmp_path / "nowhere.csv")


# --- scenario files ----------------------------------------------------------------------------------


def test_json_and_yaml_scenarios_load_alike(tmp_path: Path) -> None:
    data = read_scenario_file(EXAMPLE)
    (tmp_path / "s.json").write_text(json.dumps(data))

    assert load_scenario_file(tmp_path / "s.json") == load_scenario_file(EXAMPLE)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("s.yaml", "name: x\nroles: [\n  - a\n", r"s.yaml: invalid YAML at line \d+, column \d+: "),
        ("s.json", '{\n  "name": "x",\n}', r"s.json: invalid JSON at line 3, column 1: "),
        ("s.toml", "name = 'x'", r"s.toml: unknown extension '.toml': use .json, .yaml or .yml"),
        ("s.yml", "", r"s.yml: is empty"),
    ],
)
def test_a_bad_scenario_file_gets_one_clear_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text)

    with pytest.raises(ValidationFailed, match=message) as caught:
        load_scenario_file(tmp_path / name)

    assert "\n" not in str(caught.value)


def test_a_missing_scenario_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"scenario file '.*missing\.yaml' was not found"):
        load_scenario_file(tmp_path / "missing.yaml")


def test_an_invalid_scenario_file_lists_every_field(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("name: x\nroles: [{name: a, headcount: -1}]\nautomation_factor: 3\n")

    with pytest.raises(ValidationFailed) as caught:
        load_scenario_file(tmp_path / "s.yaml")

    fields = {error["field"] for error in caught.value.errors}
    assert {
        "roles.0.headcount",
        "roles.0.attrition_rate",
        "automation_factor",
        "adoption",
        "horizon_steps",
    } <= fields
