"""Postcode or town name → place, offline, from GeoNames postal codes (CC BY 4.0).

GeoNames files the overseas departments under their own country codes, so the
gazetteer loads FR (with Corsica) and GP, MQ, GF, RE, YT, PM. By default it reads the
snapshot shipped in actions/locator/data/ (one gzipped CSV for the seven countries,
data/README.md); $PGEOCODE_DATA_DIR may name a folder of GeoNames files in pgeocode's
cache format (FR.txt, GP.txt…) instead. It never downloads: a missing country only
narrows what resolves (and without FR, geocoding is reported unavailable). Communes that
GeoNames lacks (new communes such as Valserhône, Saint-Martin 97150) are added from the
France Services file itself.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from common import settings

from .offices import Office, in_france

#: GeoNames country file for each overseas postcode prefix; everything else is in FR.
OVERSEAS_COUNTRIES: Dict[str, str] = {
    "971": "GP",
    "972": "MQ",
    "973": "GF",
    "974": "RE",
    "975": "PM",
    "976": "YT",
}
COUNTRIES: Tuple[str, ...] = ("FR", *OVERSEAS_COUNTRIES.values())

EARTH_RADIUS_KM = 6371.0088
_SAME_PLACE_KM = 5.0
_POSTCODE = re.compile(r"(?<![\w])(\d{2})\s?(\d{3})(?![\w])")
_DEPARTMENT_HINT = re.compile(r"\(?\b(\d{2,3}|2[ab])\)?\s*$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def normalize(text: str) -> str:
    """Case, accents, hyphens and apostrophes removed: "Saint-Étienne" → "saint etienne"."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NOT_ALNUM.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def country_of(postcode: str) -> str:
    """GeoNames country file holding a postcode: "97110" → "GP", "20000" → "FR"."""
    return OVERSEAS_COUNTRIES.get(postcode[:3], "FR")


def department_of(postcode: str) -> str:
    """Department code from a postcode: "38500" → "38", "20000" → "2A", "97110" → "971"."""
    if postcode.startswith(("97", "98")):
        if postcode == "97133":
            return "977"
        if postcode == "97150":
            return "978"
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


#: The GeoNames snapshot shipped with the project (actions/locator/data/README.md).
GEONAMES_SNAPSHOT = Path(__file__).resolve().parent / "data" / "geonames-postcodes-20251230.csv.gz"


def geonames_dir() -> Path:
    """Where GeoNames is read: $PGEOCODE_DATA_DIR (a folder of per-country files), else the shipped snapshot."""
    configured = settings.pgeocode_data_dir()
    return Path(configured) if configured else GEONAMES_SNAPSHOT


@dataclass(frozen=True)
class Place:
    """A commune (or the centre of a postcode) with its coordinates."""

    name: str
    postcode: str
    lat: float
    lng: float
    department: str

    @property
    def label(self) -> str:
        """Button text, which resolve_place reads back: "Saint-Denis (97400)"."""
        return self.name if self.name == self.postcode else f"{self.name} ({self.postcode})"


class Status(str, Enum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class PlaceResolution:
    """What resolve_place understood.

    FOUND: `place` is set. AMBIGUOUS: `candidates` (most likely first) to offer as buttons.
    For a postcode, `area` is the centre of its communes, usable without asking.
    """

    status: Status
    query: str
    place: Optional[Place] = None
    candidates: Tuple[Place, ...] = ()
    area: Optional[Place] = None


@dataclass
class _Entry:
    place: Place
    key: str  # normalised name
    weight: int  # GeoNames rows for the commune, CEDEX included: a rough size
    has_office: bool = False


class Gazetteer:
    """Exact lookups by postcode and by normalised commune name, built once."""

    def __init__(
        self,
        rows: Iterable[Tuple[str, str, float, float]],
        offices: Sequence[Office] = (),
        missing_countries: Sequence[str] = (),
    ):
        """rows: (postcode, place name, lat, lng), CEDEX codes included ("42001 CEDEX 1").

        missing_countries: GeoNames files absent, whose unknown postcodes are UNAVAILABLE.
        """
        self.missing_countries = frozenset(missing_countries)
        self._by_name: Dict[str, List[_Entry]] = defaultdict(list)
        self._by_postcode: Dict[str, List[_Entry]] = defaultdict(list)
        keys: Dict[str, str] = {}  # name → normalised name, computed once per distinct name
        counts: Dict[Tuple[str, str], int] = defaultdict(int)
        ordinary: List[Tuple[str, str, str, str, float, float]] = []
        cedex: List[Tuple[str, str, str, str, float, float]] = []
        for postcode, name, lat, lng in rows:
            code = postcode[:5]
            if not (isinstance(name, str) and name and code.isdigit() and in_france(lat, lng)):
                continue
            key = keys.get(name) or keys.setdefault(name, normalize(name))
            row = (code, name, key, department_of(code), lat, lng)
            counts[(key, row[3])] += 1
            (ordinary if postcode.isdigit() else cedex).append(row)
        for code, name, key, department, lat, lng in ordinary:
            entry = _Entry(Place(name, code, lat, lng, department), key, counts[(key, department)])
            self._add_name(entry)
            self._add_postcode(entry)
        with_ordinary = set(self._by_postcode)
        for code, name, key, department, lat, lng in cedex:  # only where no ordinary code exists
            if code not in with_ordinary:
                self._add_postcode(_Entry(Place(name, code, lat, lng, department), key, counts[(key, department)]))
        self.geonames_names = len(self._by_name)
        self._add_offices(offices)
        self._by_name = dict(self._by_name)  # read-only from here on
        self._by_postcode = dict(self._by_postcode)

    def _add_name(self, entry: _Entry) -> None:
        """One entry per commune: same name, same department, within a few km."""
        place = entry.place
        for other in self._by_name[entry.key]:
            if other.place.department == place.department and (
                haversine_km(place.lat, place.lng, other.place.lat, other.place.lng) <= _SAME_PLACE_KM
            ):
                return
        self._by_name[entry.key].append(_Entry(place, entry.key, entry.weight))

    def _add_postcode(self, entry: _Entry) -> None:
        entries = self._by_postcode[entry.place.postcode]
        if all(other.key != entry.key for other in entries):
            entries.append(entry)

    def _add_offices(self, offices: Sequence[Office]) -> None:
        """Mark communes with an office; add those GeoNames lacks (new communes, Saint-Martin)."""
        for office in offices:
            key = normalize(office.town)
            for entry in self._by_postcode.get(office.postcode, []) + self._by_name.get(key, []):
                if entry.key == key and entry.place.department == office.department:
                    entry.has_office = True
            # Skip rows whose postcode contradicts their department (typos such as 06922 for 69220).
            if department_of(office.postcode) != office.department and not (
                office.department in ("2A", "2B") and office.postcode.startswith("20")
            ):
                continue
            if not any(e.place.department == office.department for e in self._by_name.get(key, [])):
                place = Place(office.town, office.postcode, office.lat, office.lng, office.department)
                entry = _Entry(place, key, 1, True)
                self._by_name[key].append(entry)
                self._add_postcode(entry)

    def resolve(self, text: str) -> PlaceResolution:
        """See the package docstring."""
        query = (text or "").strip()
        digits = query.replace(" ", "")
        if digits.isdigit() and len(digits) == 4:  # "2120" for 02120
            digits = "0" + digits
        match = _POSTCODE.search(digits if digits.isdigit() else query)
        if match:
            postcode = match.group(1) + match.group(2)
            rest = "" if digits.isdigit() else query[: match.start()] + " " + query[match.end() :]
            return self._by_code(query, postcode, rest)
        return self._by_town(query, query)

    def _by_code(self, query: str, postcode: str, rest: str) -> PlaceResolution:
        entries = self._by_postcode.get(postcode, [])
        name = normalize(rest)
        if not entries:
            if name:
                return self._by_town(query, rest)
            status = Status.UNAVAILABLE if country_of(postcode) in self.missing_countries else Status.NOT_FOUND
            return PlaceResolution(status, query)
        ranked = sorted(entries, key=lambda e: (not e.has_office, -e.weight, e.key))
        area = Place(
            postcode,
            postcode,
            round(sum(e.place.lat for e in entries) / len(entries), 6),
            round(sum(e.place.lng for e in entries) / len(entries), 6),
            department_of(postcode),
        )
        if name:
            named = [e for e in ranked if e.key == name]
            if len(named) == 1:
                return PlaceResolution(Status.FOUND, query, place=named[0].place, area=area)
        if len(ranked) == 1:
            return PlaceResolution(Status.FOUND, query, place=ranked[0].place, area=area)
        return PlaceResolution(Status.AMBIGUOUS, query, candidates=tuple(e.place for e in ranked), area=area)

    def _by_town(self, query: str, town: str) -> PlaceResolution:
        key = normalize(town)
        entries = self._by_name.get(key, [])
        hint = _DEPARTMENT_HINT.search(key)
        if not entries and hint:  # "Saint-Denis (974)", "Saint-Denis 93"
            department = hint.group(1).upper()
            entries = [
                e
                for e in self._by_name.get(key[: hint.start()].strip(), [])
                if e.place.department == department or e.place.postcode.startswith(department)
            ]
        if not key or not entries:
            return PlaceResolution(Status.NOT_FOUND, query)
        ranked = sorted(entries, key=lambda e: (-e.weight, not e.has_office, e.place.postcode))
        if len(ranked) == 1:
            return PlaceResolution(Status.FOUND, query, place=ranked[0].place)
        return PlaceResolution(Status.AMBIGUOUS, query, candidates=tuple(e.place for e in ranked))


def _rows(handle, country: Optional[str] = None):
    """(country, postcode, place, lat, lng) of a GeoNames CSV with a header (pgeocode's format or the snapshot's)."""
    for row in csv.DictReader(handle):
        try:
            postcode, name = (row.get("postal_code") or "").strip(), (row.get("place_name") or "").strip()
            lat, lng = float(row["latitude"]), float(row["longitude"])
        except (KeyError, TypeError, ValueError):
            continue  # a row without coordinates: skipped, as pgeocode's dropna did
        if postcode and name and math.isfinite(lat) and math.isfinite(lng):
            yield (country or row.get("country_code") or "").strip(), postcode, name, lat, lng


def load_geonames(
    source: Path, countries: Sequence[str] = COUNTRIES
) -> Tuple[List[Tuple[str, str, float, float]], List[str]]:
    """Rows (postcode, place, lat, lng) of `countries`, and the list of countries without any row.

    source: the shipped snapshot (a .csv.gz with a country_code column), or a folder of
    per-country files FR.txt, GP.txt… in pgeocode's cache format. Plain CSV reading: no
    pandas, no pgeocode, no network.
    """
    wanted = set(countries)
    found: Dict[str, int] = defaultdict(int)
    rows: List[Tuple[str, str, float, float]] = []

    def take(records) -> None:
        for country, postcode, name, lat, lng in records:
            if country in wanted:
                found[country] += 1
                rows.append((postcode, name, lat, lng))

    if source.is_dir():
        for country in countries:
            path = source / f"{country}.txt"
            if path.is_file():
                with path.open(encoding="utf-8", newline="") as handle:
                    take(_rows(handle, country))
    elif source.is_file():
        with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
            take(_rows(handle))
    return rows, [country for country in countries if not found[country]]
