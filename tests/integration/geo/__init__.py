"""Integration tests of the geocoding adapters against the data they bundle."""
