"""HubSpot: its CRM v3 API client (:class:`~hireflow.infra.crm.hubspot.source.HubSpotSource`) and the mapping
of its objects to Hireflow's entities (:mod:`hireflow.infra.crm.hubspot.records`)."""
