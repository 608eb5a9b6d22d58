"""Pydantic v2 models of the hiring domain, one module per context."""
