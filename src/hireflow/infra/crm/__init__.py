"""CRM adapters: Bullhorn, HubSpot and Salesforce clients, and the local sandboxes that speak their protocols."""
