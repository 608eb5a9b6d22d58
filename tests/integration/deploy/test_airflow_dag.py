"""The Airflow DAG in ``deploy/airflow/dags`` loads, and runs one sync task per CRM with the CLI's function,
then embedding and matching."""

from __future__ import annotations

from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[3] / "deploy" / "airflow" / "dags"


def test_the_crm_sync_dag_loads_with_a_sync_task_per_crm() -> None:
    pytest.importorskip("airflow", reason="Apache Airflow is not installed (pip install apache-airflow)")
    from airflow.models import DagBag

    bag = DagBag(dag_folder=str(DAGS), include_examples=False)

    assert bag.import_errors == {}
    dag = bag.get_dag("hireflow_crm_sync")
    assert dag is not None
    syncs = {"sync_bullhorn", "sync_hubspot", "sync_salesforce"}
    assert {task.task_id for task in dag.tasks} == syncs | {"embed", "match"}
    assert dag.get_task("embed").upstream_task_ids == syncs
    assert dag.get_task("match").upstream_task_ids == {"embed"}
    assert dag.max_active_runs == 1


def test_the_dag_names_every_crm_hireflow_syncs_from() -> None:
    """Without Airflow: the DAG file's CRM list matches what ``hireflow sync`` knows (read as text)."""
    from hireflow.apps.crm import SOURCES

    text = (DAGS / "hireflow_crm_sync.py").read_text()
    assert 'SOURCES = ("bullhorn", "hubspot", "salesforce")' in text
    assert set(SOURCES) == {"bullhorn", "hubspot", "salesforce"}
    compile(text, "hireflow_crm_sync.py", "exec")  # at least valid Python on every machine
    assert "run_embeddings(" in text
    assert "match_open_jobs(" in text
