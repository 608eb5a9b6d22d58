"""Places and phone numbers: US cities with their ZIP codes and area codes, and a few in the UK and Canada.

Phone numbers are unique per record: the seven subscriber digits come from a bijection of the record's id, so a
sync keyed on phone numbers (Hireflow's candidates are unique by E.164 phone) sees no accidental duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hireflow.infra.crm.sandbox.draws import Draws


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Place:
    """A city with what an address and a phone number there need."""

    city: str
    state: str
    zip_base: int
    area_codes: tuple[str, ...]
    country: str = "US"
    postcode: str = ""
    """The postcode outside the US (inside, ZIP codes are derived from ``zip_base``)."""


def _us(city: str, state: str, zip_base: int, *area_codes: str) -> Place:
    return Place(city, state, zip_base, area_codes)


US_PLACES: tuple[Place, ...] = (
    _us("New York", "NY", 10001, "212", "646", "917"), _us("Brooklyn", "NY", 11201, "718", "347"),
    _us("Los Angeles", "CA", 90012, "213", "323"), _us("San Francisco", "CA", 94110, "415", "628"),
    _us("San Jose", "CA", 95112, "408"), _us("San Diego", "CA", 92101, "619", "858"),
    _us("Sacramento", "CA", 95814, "916"), _us("Fresno", "CA", 93721, "559"),
    _us("Chicago", "IL", 60601, "312", "773"), _us("Houston", "TX", 77002, "713", "832"),
    _us("Dallas", "TX", 75201, "214", "469"), _us("Austin", "TX", 78701, "512", "737"),
    _us("San Antonio", "TX", 78205, "210"), _us("Fort Worth", "TX", 76102, "817"), _us("El Paso", "TX", 79901, "915"),
    _us("Phoenix", "AZ", 85004, "602", "480"), _us("Tucson", "AZ", 85701, "520"),
    _us("Philadelphia", "PA", 19103, "215", "267"), _us("Pittsburgh", "PA", 15222, "412"),
    _us("Jacksonville", "FL", 32202, "904"), _us("Miami", "FL", 33130, "305", "786"), _us("Tampa", "FL", 33602, "813"),
    _us("Orlando", "FL", 32801, "407"), _us("Columbus", "OH", 43215, "614"), _us("Cleveland", "OH", 44113, "216"),
    _us("Cincinnati", "OH", 45202, "513"), _us("Indianapolis", "IN", 46204, "317"),
    _us("Charlotte", "NC", 28202, "704", "980"), _us("Raleigh", "NC", 27601, "919"),
    _us("Seattle", "WA", 98101, "206"), _us("Spokane", "WA", 99201, "509"), _us("Denver", "CO", 80202, "303", "720"),
    _us("Washington", "DC", 20001, "202"), _us("Boston", "MA", 2108, "617", "857"), _us("Nashville", "TN", 37203, "615"),
    _us("Memphis", "TN", 38103, "901"), _us("Detroit", "MI", 48226, "313"), _us("Grand Rapids", "MI", 49503, "616"),
    _us("Portland", "OR", 97204, "503", "971"), _us("Las Vegas", "NV", 89101, "702"), _us("Louisville", "KY", 40202, "502"),
    _us("Baltimore", "MD", 21201, "410", "443"), _us("Milwaukee", "WI", 53202, "414"),
    _us("Albuquerque", "NM", 87102, "505"), _us("Kansas City", "MO", 64106, "816"), _us("St. Louis", "MO", 63101, "314"),
    _us("Atlanta", "GA", 30303, "404", "470"), _us("Savannah", "GA", 31401, "912"), _us("Omaha", "NE", 68102, "402"),
    _us("Minneapolis", "MN", 55401, "612"), _us("New Orleans", "LA", 70112, "504"),
    _us("Salt Lake City", "UT", 84101, "801"), _us("Birmingham", "AL", 35203, "205"),
    _us("Oklahoma City", "OK", 73102, "405"), _us("Richmond", "VA", 23219, "804"), _us("Boise", "ID", 83702, "208"),
    _us("Des Moines", "IA", 50309, "515"), _us("Newark", "NJ", 7102, "973"), _us("Hartford", "CT", 6103, "860"),
    _us("Honolulu", "HI", 96813, "808"), _us("Anchorage", "AK", 99501, "907"),
)  # fmt: skip

OTHER_PLACES: tuple[Place, ...] = (
    Place("London", "", 0, ("20",), "GB", "EC1A 1BB"),
    Place("Manchester", "", 0, ("161",), "GB", "M1 1AE"),
    Place("Toronto", "ON", 0, ("416", "647"), "CA", "M5V 2T6"),
    Place("Vancouver", "BC", 0, ("604",), "CA", "V6B 1A1"),
)

STREETS: tuple[str, ...] = tuple(
    street.replace("_", " ")
    for street in _words(
        """
    Main_St Oak_Ave Maple_Dr Cedar_Ln Elm_St Washington_Blvd Park_Ave Lakeview_Dr Pine_St Sunset_Blvd Highland_Ave
    Broadway Market_St Church_St Mill_Rd River_Rd 2nd_St 3rd_Ave Jefferson_St Lincoln_Ave Franklin_St Madison_Ave
    Hillcrest_Dr Willow_Way Meadow_Ln Ridge_Rd Spring_St Chestnut_St Walnut_St Cherry_Ln Industrial_Pkwy
    Commerce_Dr Airport_Rd Center_St Union_St Valley_View_Rd
    """
    )
)

# Subscriber numbers: exchanges 200-999 without the N11 service codes or 555, times 10,000 lines.
_EXCHANGES = tuple(n for n in range(200, 1000) if n % 100 != 11 and n != 555)
_HALF = len(_EXCHANGES) * 10_000 // 2  # landlines in the lower half of the numbers, mobiles in the upper
_SPREAD = 7_654_321  # coprime with _HALF, so id -> subscriber is a bijection within each half


def pick_place(draws: Draws) -> Place:
    """A place: 95% in the US, the rest in the UK and Canada."""
    if draws.chance(950):
        return draws.pick(US_PLACES)
    return draws.pick(OTHER_PLACES)


def postal_code(place: Place, draws: Draws) -> str:
    """A ZIP code near the city's (or the place's postcode abroad)."""
    if place.country != "US":
        return place.postcode
    return f"{place.zip_base + draws.below(20):05d}"


def street_address(draws: Draws) -> str:
    """``1234 Oak Ave`` (sometimes with an apartment)."""
    address = f"{draws.between(1, 9899)} {draws.pick(STREETS)}"
    if draws.chance(150):
        address += f" Apt {draws.between(1, 40)}{draws.pick('ABCD')}"
    return address


def phone_number(place: Place, record_id: int, salt: int, draws: Draws, *, mobile: bool = False) -> str:
    """A valid number for ``place``, unique per (record_id, mobile) while ids stay below ~3.9 million."""
    subscriber = (record_id + salt) * _SPREAD % _HALF + (_HALF if mobile else 0)
    exchange_index, line = divmod(subscriber, 10_000)
    exchange = _EXCHANGES[exchange_index]
    area = draws.pick(place.area_codes)
    if place.country == "GB":
        return _uk_number(area, exchange, line, draws)
    return _north_american(area, f"{exchange:03d}", f"{line:04d}", draws)


# How people write North American numbers, each with its share in percent. Expanded to one formatter per
# percentage point, so choosing a style is one draw and one index.
_NORTH_AMERICAN_STYLES: tuple[tuple[int, Callable[[str, str, str], str]], ...] = (
    (30, lambda a, e, n: f"({a}) {e}-{n}"),
    (20, lambda a, e, n: f"{a}.{e}.{n}"),
    (15, lambda a, e, n: f"+1 {a} {e} {n}"),
    (15, lambda a, e, n: f"{a}-{e}-{n}"),
    (8, lambda a, e, n: f"{a}{e}{n}"),
    (7, lambda a, e, n: f"+1{a}{e}{n}"),
    (3, lambda a, e, n: f"1-{a}-{e}-{n}"),
    (2, lambda a, e, n: f"({a}) {e}-{n} ext. {100 + int(n) % 400}"),
)
_NORTH_AMERICAN_BY_PERCENT = tuple(style for share, style in _NORTH_AMERICAN_STYLES for _ in range(share))


def _north_american(area: str, exchange: str, line: str, draws: Draws) -> str:
    return _NORTH_AMERICAN_BY_PERCENT[draws.below(100)](area, exchange, line)


def _uk_number(area: str, exchange: int, line: int, draws: Draws) -> str:
    digits = f"{exchange:03d}{line:04d}"
    # London numbers are 020 7xxx xxxx; Manchester's 0161 xxx xxxx.
    local = f"7{digits[:3]} {digits[3:]}" if area == "20" else f"{digits[:3]} {digits[3:]}"
    # Mostly international; some in national form, valid only when parsed as a UK number.
    return f"+44 {area} {local}" if draws.chance(800) else f"0{area} {local}"
