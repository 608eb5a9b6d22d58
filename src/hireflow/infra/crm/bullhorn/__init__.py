"""Bullhorn: its REST API client (:class:`~hireflow.infra.crm.bullhorn.source.BullhornSource`) and the mapping
of its entities to Hireflow's (:mod:`hireflow.infra.crm.bullhorn.records`)."""
