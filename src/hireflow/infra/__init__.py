"""Adapters that implement the domain's ports: databases, storage, CRMs, ML, messaging, caches and jobs."""
