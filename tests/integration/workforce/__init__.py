"""Integration tests of the workforce adapters: scenario files and the real occupation reference files."""
