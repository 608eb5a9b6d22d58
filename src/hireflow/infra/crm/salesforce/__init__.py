"""Salesforce: its REST API client (:class:`~hireflow.infra.crm.salesforce.source.SalesforceSource`) and the
mapping of its objects to Hireflow's entities (:mod:`hireflow.infra.crm.salesforce.records`)."""
