"""The Locator: offices indexed once, places resolved offline, one shared instance per process."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

from actions.catalogue import france_services_map_url
from common import settings
from common.formats import format_long_date

from .hours import TimeRange, day_ranges
from .offices import LocatorDataError, Office, date_from_file_name, load_offices
from .places import (
    Gazetteer,
    PlaceResolution,
    Status,
    geonames_dir,
    haversine_km,
    load_geonames,
)

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Where `make data` (scripts/fetch_france_services.py) saves a newer list, once checked.
DOWNLOADED_CSV = REPO_ROOT / "var" / "data" / "france_services.csv"
#: The list shipped with the project (actions/locator/data/README.md): read when nothing newer was downloaded.
SNAPSHOT_CSV = Path(__file__).resolve().parent / "data" / "liste-fs-20240801.csv.gz"
DEFAULT_ZOOM = 12


def france_services_csv() -> Path:
    """$FRANCE_SERVICES_CSV (relative to the repo root), else the newer of the list `make data`
    downloaded (var/data/france_services.csv) and the snapshot shipped in actions/locator/data/."""
    configured = settings.france_services_csv()
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else REPO_ROOT / path
    if DOWNLOADED_CSV.is_file():
        downloaded, shipped = update_date(DOWNLOADED_CSV), update_date(SNAPSHOT_CSV)
        if downloaded is None or shipped is None or downloaded >= shipped:
            return DOWNLOADED_CSV
    return SNAPSHOT_CSV


def meta_path(csv_path: Path) -> Path:
    """Where fetch_france_services.py records the update date: beside the CSV."""
    return csv_path.with_name(csv_path.stem + ".meta.json")


def update_date(csv_path: Path) -> Optional[date]:
    """The list's update date: from its name (liste-fs-YYYYMMDD.csv), else from the .meta.json."""
    found = date_from_file_name(csv_path.name)
    if found:
        return found
    try:
        meta = json.loads(meta_path(csv_path).read_text(encoding="utf-8"))
        return date.fromisoformat(meta["update_date"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def french_date(day: date) -> str:
    """2024-08-01 → "1er août 2024" (common/formats.py writes every French date)."""
    return format_long_date(day)


def credit_text(day: Optional[date]) -> str:
    """The source line under the offices, with the list's date (the sentences live in actions/answers.py)."""
    from actions import answers  # plain Python, no Rasa; imported here to keep `import actions.locator` light

    if day is None:
        return answers.LOCATOR_CREDIT_UNDATED
    return answers.LOCATOR_CREDIT.format(date=french_date(day))


@dataclass(frozen=True)
class OfficeResult:
    """One office near a point, ready to show."""

    id: str
    name: str
    distance_km: float  # great-circle, 1 decimal
    address: str
    hours_today: Optional[
        Tuple[TimeRange, ...]
    ]  # today's ranges: () closed, None unknown (answers.office_hours says them)
    open_today: Optional[bool]  # None when the hours are unknown
    phone: Optional[str]
    email: Optional[str]
    appointments: Optional[bool]  # prise_rdv: True "Oui", False "Non", None unknown
    format: str  # "fixe", "itinérante (bus)", "multisites"…
    mobile: bool  # bus or other itinerant office: the address is its base
    is_antenna: bool
    department: str
    postcode: str
    town: str
    lat: float
    lng: float


def map_url(lat: Optional[float] = None, lng: Optional[float] = None, zoom: float = DEFAULT_ZOOM) -> str:
    """The ANCT map centred on (lat, lng), in the sheets' format; the national view without a point."""
    if lat is None or lng is None:
        return france_services_map_url()
    return france_services_map_url(lat, lng, zoom)


def _unit_vectors(lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
    lat, lng = np.radians(lats), np.radians(lngs)
    return np.column_stack((np.cos(lat) * np.cos(lng), np.cos(lat) * np.sin(lng), np.sin(lat)))


class Locator:
    """Nearest France Services from a point, and places from a postcode or a town.

    Either part may be missing (no file, bad file, no GeoNames data): the Locator is then
    degraded, says so in `problems`, and answers what it can (map_url always works).
    """

    def __init__(
        self,
        offices: Sequence[Office] = (),
        gazetteer: Optional[Gazetteer] = None,
        list_date: Optional[date] = None,
        problems: Sequence[str] = (),
    ):
        from scipy.spatial import cKDTree  # imported on first build only

        self.offices: Tuple[Office, ...] = tuple(offices)
        self.gazetteer = gazetteer
        self.list_date = list_date
        self.problems: Tuple[str, ...] = tuple(problems)
        self._tree = None
        if self.offices:
            lats = np.array([office.lat for office in self.offices])
            lngs = np.array([office.lng for office in self.offices])
            self._tree = cKDTree(_unit_vectors(lats, lngs))

    @classmethod
    def from_paths(cls, csv_path: Path, geonames: Optional[Path]) -> "Locator":
        """Build from files; never raises for missing or bad data (see `problems`)."""
        problems: List[str] = []
        offices: List[Office] = []
        try:
            offices = load_offices(csv_path)
        except LocatorDataError as error:
            problems.append(str(error))
        gazetteer = None
        if geonames is not None:
            try:
                rows, missing = load_geonames(geonames)
                if "FR" in missing:
                    problems.append(f"GeoNames data for FR not found in {geonames}.")
                else:
                    if missing:
                        problems.append(f"GeoNames data missing for {', '.join(missing)} in {geonames}.")
                    gazetteer = Gazetteer(rows, offices, missing)
            except Exception as error:  # a corrupt or unreadable file
                problems.append(f"GeoNames data unusable in {geonames}: {error!r}")
        for problem in problems:
            logger.warning("France Services locator degraded: %s", problem)
        return cls(offices, gazetteer, update_date(csv_path) if offices else None, problems)

    @classmethod
    def from_environment(cls) -> "Locator":
        """Build from FRANCE_SERVICES_CSV and PGEOCODE_DATA_DIR, or the shipped snapshots."""
        return cls.from_paths(france_services_csv(), geonames_dir())

    @property
    def offices_available(self) -> bool:
        return self._tree is not None

    @property
    def geocoding_available(self) -> bool:
        return self.gazetteer is not None

    @property
    def available(self) -> bool:
        """Both parts work; otherwise the bot should fall back to map_url()."""
        return self.offices_available and self.geocoding_available

    def resolve_place(self, text: str) -> PlaceResolution:
        """A postcode or a town → FOUND place, AMBIGUOUS candidates, NOT_FOUND or UNAVAILABLE."""
        if self.gazetteer is None:
            return PlaceResolution(Status.UNAVAILABLE, (text or "").strip())
        return self.gazetteer.resolve(text)

    def nearest(
        self,
        lat: float,
        lng: float,
        k: int = 3,
        today: Optional[date] = None,
        max_km: Optional[float] = None,
    ) -> List[OfficeResult]:
        """The k offices closest to (lat, lng), nearest first; [] without the list.

        today: the day whose hours to give (default: today). max_km: drop farther ones.
        """
        if self._tree is None or k <= 0:
            return []
        if not (np.isfinite(lat) and np.isfinite(lng) and -90 <= lat <= 90):
            raise ValueError(f"invalid coordinates: {lat}, {lng}")
        weekday = (today or date.today()).weekday()
        k = min(k, len(self.offices))
        point = _unit_vectors(np.array([lat]), np.array([lng]))[0]
        _, indexes = self._tree.query(point, k=k)
        results = []
        for index in np.atleast_1d(indexes):
            office = self.offices[int(index)]
            distance = haversine_km(lat, lng, office.lat, office.lng)
            if max_km is not None and distance > max_km:
                break
            results.append(_result(office, distance, weekday))
        return results

    @staticmethod
    def map_url(lat: Optional[float] = None, lng: Optional[float] = None, zoom: float = DEFAULT_ZOOM) -> str:
        return map_url(lat, lng, zoom)

    def source_credit(self) -> str:
        """The credit line to show with results (ANCT with the list's date, GeoNames)."""
        return credit_text(self.list_date)


def _result(office: Office, distance: float, weekday: int) -> OfficeResult:
    hours = day_ranges(office.week, weekday)
    return OfficeResult(
        id=office.id,
        name=office.name,
        distance_km=round(distance, 1),
        address=office.address,
        hours_today=hours,
        open_today=None if hours is None else bool(hours),
        phone=office.phone,
        email=office.email,
        appointments=office.appointments,
        format=office.format,
        mobile=office.mobile,
        is_antenna=office.is_antenna,
        department=office.department,
        postcode=office.postcode,
        town=office.town,
        lat=office.lat,
        lng=office.lng,
    )


_lock = threading.Lock()
_shared: Optional[Locator] = None


def get_locator() -> Locator:
    """The process's Locator, built on first call (thread-safe); never raises."""
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                started = time.perf_counter()
                try:
                    _shared = Locator.from_environment()
                except Exception as error:  # e.g. scipy missing: keep the bot answering
                    logger.exception("France Services locator unavailable")
                    _shared = _EmptyLocator(f"locator build failed: {error!r}")
                logger.info("France Services locator ready in %.0f ms", (time.perf_counter() - started) * 1000)
    return _shared


def reset_locator() -> None:
    """Forget the shared Locator (tests, or after `make data`); the next call rebuilds it."""
    global _shared
    with _lock:
        _shared = None


class _EmptyLocator(Locator):
    """Unavailable on every count; only map_url() and source_credit() answer."""

    def __init__(self, problem: str):
        self.offices, self.gazetteer, self.list_date = (), None, None
        self.problems, self._tree = (problem,), None
