"""Finding candidates of a company group who are probably the same person, and merging them.

Two live candidates are likely duplicates when they share an email address, or when their names are
near-identical (accents, case and spacing aside: a SequenceMatcher ratio of at least 0.9, or the same words in
another order) and they are in the same place (same city, same location, or within 2 km). Phone numbers are
unique per company group, so they never match.

Comparing every pair would be quadratic in the tenant's size. Candidates are read once, page by page, and put
in blocks (same email; same last-name prefix, same initials or same name words, each within the same place);
only candidates sharing a block are compared. Nearby coordinates become grid cells about 2.2 km wide, and a
candidate is compared with the blocks of its own cell and the eight around it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.candidate_merge import MergeReport, merge_candidates
from hireflow.shared.clock import Clock, SystemClock, ensure_utc

NAME_SIMILARITY = 0.9
NEARBY_KM = 2.0
_CELL_DEGREES = 0.02  # of latitude: about 2.2 km, more than NEARBY_KM
_PAGE = 1000
Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class DuplicatePair:
    """Two candidates that look like the same person, why, and how sure we are (0-1)."""

    first_id: int
    second_id: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateGroup:
    """Candidates linked by duplicate pairs; ``score`` is the strongest pair's."""

    candidate_ids: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]
    pairs: tuple[DuplicatePair, ...]


@dataclass(frozen=True)
class _Person:
    """What matching needs of a candidate, normalised once."""

    id: int
    email: str | None
    name: str
    words: tuple[str, ...]
    last: str
    city: str | None
    location_id: int | None
    point: tuple[float, float] | None


class Duplicates:
    """Finds likely duplicates and merges them: ``Duplicates(uow_factory).find(company_group_id)``."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()

    def find(self, company_group_id: int) -> list[DuplicateGroup]:
        """Groups of likely duplicates among live candidates, the surest first."""
        return duplicate_groups(self._live_candidates(company_group_id))

    def merge(
        self,
        company_group_id: int,
        keep_id: int,
        duplicate_ids: Sequence[int],
        *,
        actor: str = "system",
        at: datetime | None = None,
    ) -> MergeReport:
        """Merge ``duplicate_ids`` into ``keep_id`` in one unit of work; see :func:`merge_candidates`."""
        when = ensure_utc(at) if at else ensure_utc(self._clock.now())
        with self._uow_factory(company_group_id) as uow:
            report = merge_candidates(uow, keep_id, duplicate_ids, actor=actor, at=when)
            uow.commit()
        return report

    def _live_candidates(self, company_group_id: int) -> Iterator[Candidate]:
        after: int | None = None
        with self._uow_factory(company_group_id) as uow:
            while page := uow.candidates.list(limit=_PAGE, after_id=after):
                yield from (c for c in page if c.deleted_at is None and c.merged_into_id is None)
                after = page[-1].id


def duplicate_groups(candidates: Iterable[Candidate]) -> list[DuplicateGroup]:
    """Groups of likely duplicates among stored ``candidates`` (all of one company group), the surest first."""
    return _groups(_find_pairs([_person(c) for c in candidates]))


def normalise_name(text: str) -> str:
    """``  José  LÓPEZ-García `` -> ``jose lopez garcia``: accents, case, punctuation and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


def _find_pairs(people: Sequence[_Person]) -> list[DuplicatePair]:
    """Every matching pair, comparing only candidates that share a block."""
    blocks: dict[Key, list[_Person]] = defaultdict(list)
    for person in people:
        for key in _home_keys(person):
            blocks[key].append(person)
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for person in people:
        for key in _probe_keys(person):
            for other in blocks.get(key, ()):
                if other.id < person.id and (other.id, person.id) not in pairs:
                    pair = _compare(other, person)
                    if pair is not None:
                        pairs[(other.id, person.id)] = pair
    return list(pairs.values())


def _person(candidate: Candidate) -> _Person:
    assert candidate.id is not None
    name = normalise_name(candidate.full_name)
    last = normalise_name(candidate.last_name) or (name.split() or [""])[-1]
    point = None
    if candidate.latitude is not None and candidate.longitude is not None:
        point = (candidate.latitude, candidate.longitude)
    return _Person(
        id=candidate.id,
        email=candidate.email.strip().lower() if candidate.email else None,
        name=name,
        words=tuple(sorted(name.split())),
        last=last,
        city=(normalise_name(candidate.city) or None) if candidate.city else None,
        location_id=candidate.location_id,
        point=point,
    )


def _name_keys(person: _Person) -> list[Key]:
    """Name blocks: a typo after the third letter of the last name, in the middle of either name, or names
    written in another order still land in a shared block."""
    first = person.name[:1]
    keys: list[Key] = [("last", person.last[:3]), ("initials", first, person.last[:1])]
    if person.words:
        keys.append(("words", tuple(word[:3] for word in person.words)))
    return keys


def _places(person: _Person, *, probing: bool) -> list[Key]:
    places: list[Key] = []
    if person.city:
        places.append(("city", person.city))
    if person.location_id is not None:
        places.append(("location", person.location_id))
    if person.point is not None:
        cells = _neighbour_cells(person.point) if probing else [_cell(person.point)]
        places.extend(("cell", *cell) for cell in cells)
    return places


def _home_keys(person: _Person) -> list[Key]:
    keys: list[Key] = [("email", person.email)] if person.email else []
    if person.name:
        keys += [(*name, *place) for name in _name_keys(person) for place in _places(person, probing=False)]
    return keys


def _probe_keys(person: _Person) -> list[Key]:
    keys: list[Key] = [("email", person.email)] if person.email else []
    if person.name:
        keys += [(*name, *place) for name in _name_keys(person) for place in _places(person, probing=True)]
    return keys


def _cell(point: tuple[float, float]) -> tuple[int, int]:
    row = math.floor(point[0] / _CELL_DEGREES)
    return row, math.floor(point[1] / _cell_width(row))


def _cell_width(row: int) -> float:
    """Degrees of longitude that span at least 2.2 km everywhere in the latitude band ``row``."""
    widest_latitude = max(abs(row * _CELL_DEGREES), abs((row + 1) * _CELL_DEGREES))
    return _CELL_DEGREES / max(math.cos(math.radians(min(widest_latitude, 89.0))), 0.01)


def _neighbour_cells(point: tuple[float, float]) -> list[tuple[int, int]]:
    # Rows differ in width, so the neighbours' columns are computed in each row's own grid.
    row = math.floor(point[0] / _CELL_DEGREES)
    cells = []
    for neighbour_row in (row - 1, row, row + 1):
        column = math.floor(point[1] / _cell_width(neighbour_row))
        cells += [(neighbour_row, column + step) for step in (-1, 0, 1)]
    return cells


def _compare(a: _Person, b: _Person) -> DuplicatePair | None:
    reasons: list[str] = []
    email = a.email is not None and a.email == b.email
    if email:
        reasons.append("same email")
    similarity = _name_similarity(a, b)
    places = _shared_places(a, b)
    name_match = similarity >= NAME_SIMILARITY and bool(places)
    if name_match:
        reasons.append("same name" if similarity == 1.0 else f"similar name ({similarity:.2f})")
        reasons += places
    if not (email or name_match):
        return None
    # Independent evidence combines: either alone is strong, both together are near certain.
    score = 1 - (1 - (0.9 if email else 0.0)) * (1 - (0.9 * similarity if name_match else 0.0))
    return DuplicatePair(a.id, b.id, round(score, 3), tuple(reasons))


def _name_similarity(a: _Person, b: _Person) -> float:
    if not a.name or not b.name:
        return 0.0
    if a.words == b.words:
        return 1.0  # the same words, maybe in another order ("Lopez Ana" and "Ana Lopez")
    matcher = SequenceMatcher(None, a.name, b.name, autojunk=False)
    if matcher.real_quick_ratio() < NAME_SIMILARITY or matcher.quick_ratio() < NAME_SIMILARITY:
        return 0.0  # upper bounds that are cheap to compute: most pairs in a block stop here
    return matcher.ratio()


def _shared_places(a: _Person, b: _Person) -> list[str]:
    places = []
    if a.city and a.city == b.city:
        places.append("same city")
    if a.location_id is not None and a.location_id == b.location_id:
        places.append("same location")
    if a.point and b.point:
        distance = distance_km(a.point, b.point)
        if distance <= NEARBY_KM:
            places.append(f"{distance:.1f} km apart")
    return places


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _groups(pairs: Sequence[DuplicatePair]) -> list[DuplicateGroup]:
    """Connected candidates (union-find over the pairs), the surest group first."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        parent[root(pair.first_id)] = root(pair.second_id)
    members: dict[int, list[DuplicatePair]] = defaultdict(list)
    for pair in pairs:
        members[root(pair.first_id)].append(pair)
    groups = [_group(group_pairs) for group_pairs in members.values()]
    return sorted(groups, key=lambda g: (-g.score, g.candidate_ids))


def _group(pairs: Sequence[DuplicatePair]) -> DuplicateGroup:
    ids = sorted({i for pair in pairs for i in (pair.first_id, pair.second_id)})
    reasons = tuple(dict.fromkeys(reason for pair in pairs for reason in pair.reasons))
    ordered = tuple(sorted(pairs, key=lambda p: (p.first_id, p.second_id)))
    return DuplicateGroup(tuple(ids), max(p.score for p in pairs), reasons, ordered)
