"""Geocoding adapters: turn postal codes and city names into coordinates for distance scoring."""

from __future__ import annotations

from hireflow.infra.geo.offline import OfflineGeocoder

__all__ = ["OfflineGeocoder"]
