"""End-to-end tests of the HTTP API."""
