"""Use cases: small services that orchestrate domain models through ports, one module per context."""
