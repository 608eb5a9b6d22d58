"""Integration tests of the job runners."""
