"""The geocoding port: where a place is, from the parts of an address a candidate or a job opening carries."""

from __future__ import annotations

from typing import Protocol


class Geocoder(Protocol):
    """Turns a postal code or a city into a point, without guessing when it cannot tell."""

    def locate(
        self, *, country: str | None, region: str | None, city: str | None, postal_code: str | None
    ) -> tuple[float, float] | None:
        """``(latitude, longitude)`` in decimal degrees of the postal code or else the city, or None when the
        place is unknown. ``country`` is an ISO 3166 code (or a country name), ``region`` a state or province
        (a US state by code or name)."""
        ...
