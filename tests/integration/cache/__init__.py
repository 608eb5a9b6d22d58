"""Integration tests of the cache adapters (in-process and Redis)."""
