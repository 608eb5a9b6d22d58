"""Integration tests of the CRM sandboxes, over real HTTP on loopback."""
