"""Airflow DAG: keep Hireflow in step with every configured CRM, on a schedule.

One task per CRM (Bullhorn, HubSpot, Salesforce), each calling :func:`hireflow.apps.crm.run_sync` — the very
function behind ``hireflow sync`` — for the company group in the DAG's params; then ``embed``
(:func:`hireflow.apps.matching.run_embeddings`, as ``hireflow embed``) and ``match``
(:func:`hireflow.apps.matching.match_open_jobs`, as ``hireflow match run``). The tasks read Hireflow's settings
from the worker's environment (``HIREFLOW_DATABASE_URL``, ``HIREFLOW_BULLHORN_*`` ...), exactly as the CLI does,
so a CRM whose credentials are not configured fails its own task with a one-line reason and leaves the others
running; embedding waits for every sync to finish, however it ended (``all_done``), and matching for embedding
to succeed. Each task returns its summary (pushed to XCom).

Install on the Airflow workers: ``pip install 'hireflow[postgres,ml]'`` (plus the drivers your database needs),
copy this file into the DAGs folder, and set the ``hireflow_company_group`` param (an id or a slug) when the
database holds more than one company group.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow import DAG
from airflow.models.param import Param
from airflow.operators.python import PythonOperator

SOURCES = ("bullhorn", "hubspot", "salesforce")


def sync_crm(source: str, company_group: str | None, full: bool = False) -> dict[str, Any]:
    """Sync ``source`` into ``company_group``: what ``hireflow sync <source>`` does, without the progress bars."""
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group, run_summary, run_sync
    from hireflow.infra.db.engine import engine_from_settings
    from hireflow.shared.config import get_settings
    from hireflow.shared.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    engine = engine_from_settings(settings)
    try:
        sessions = sessionmaker(bind=engine, expire_on_commit=False)
        tenant = resolve_company_group(sessions, company_group or None)
        run = run_sync(source, tenant, settings=settings, session_factory=sessions, full=full)
        return run_summary(run)
    finally:
        engine.dispose()


def embed(company_group: str | None) -> dict[str, Any]:
    """Embed the new and changed candidates and job openings: what ``hireflow embed`` does."""
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group
    from hireflow.apps.matching import embed_summary, run_embeddings
    from hireflow.infra.db.engine import engine_from_settings
    from hireflow.shared.config import get_settings

    engine = engine_from_settings(get_settings())
    try:
        tenant = resolve_company_group(sessionmaker(bind=engine), company_group or None)
        return embed_summary(run_embeddings(engine, tenant))
    finally:
        engine.dispose()


def match(company_group: str | None, top: int = 10) -> dict[str, Any]:
    """Rank candidates for every open job and record the run: what ``hireflow match run`` does."""
    from sqlalchemy.orm import sessionmaker

    from hireflow.apps.crm import resolve_company_group
    from hireflow.apps.matching import match_open_jobs
    from hireflow.infra.db.engine import engine_from_settings
    from hireflow.shared.config import get_settings

    engine = engine_from_settings(get_settings())
    try:
        tenant = resolve_company_group(sessionmaker(bind=engine), company_group or None)
        return match_open_jobs(engine, tenant, top_k=top)
    finally:
        engine.dispose()


with DAG(
    dag_id="hireflow_crm_sync",
    description="Sync candidates, job openings, applications and placements from the CRMs into Hireflow",
    schedule=timedelta(hours=1),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # a sync resumes from its cursor: two at once would only race each other
    render_template_as_native_obj=True,  # so "{{ params.full }}" arrives as a bool, not the text "False"
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    params={
        "hireflow_company_group": Param("", type="string", description="Company group id or slug ('' = the only one)"),
        "full": Param(False, type="boolean", description="Re-read everything and soft-delete what is gone"),
        "top": Param(10, type="integer", minimum=1, maximum=1000, description="Matches kept per open job"),
    },
    tags=["hireflow", "crm", "matching"],
) as dag:
    syncs = [
        PythonOperator(
            task_id=f"sync_{name}",
            python_callable=sync_crm,
            op_kwargs={
                "source": name,
                "company_group": "{{ params.hireflow_company_group }}",
                "full": "{{ params.full }}",
            },
        )
        for name in SOURCES
    ]
    embedding = PythonOperator(
        task_id="embed",
        python_callable=embed,
        op_kwargs={"company_group": "{{ params.hireflow_company_group }}"},
        trigger_rule="all_done",  # a CRM without credentials must not keep the others' records unembedded
    )
    matching = PythonOperator(
        task_id="match",
        python_callable=match,
        op_kwargs={"company_group": "{{ params.hireflow_company_group }}", "top": "{{ params.top }}"},
    )
    syncs >> embedding >> matching
