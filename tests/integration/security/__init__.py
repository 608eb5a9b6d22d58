"""Integration tests of the security adapters."""
