"""Job runners that implement the domain's ``JobRunner`` port: in-process threads (the default)."""

from hireflow.infra.jobs.in_process import InProcessJobRunner

__all__ = ["InProcessJobRunner"]
