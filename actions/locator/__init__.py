"""Nearest France Services from a postcode or a town, offline, on the official ANCT list.

No Rasa import here: actions call this package. Data, offline, shipped with the project
(actions/locator/data/README.md: source, licence, date, checksums):

- the ANCT list (data.gouv.fr, Licence Ouverte 2.0): $FRANCE_SERVICES_CSV when set; else
  var/data/france_services.csv when `make data` (scripts/fetch_france_services.py) has
  downloaded a newer one (its update date in france_services.meta.json beside it); else the
  snapshot actions/locator/data/liste-fs-20240801.csv.gz;
- GeoNames postal codes (CC BY 4.0) of FR (with Corsica) and GP, MQ, GF, RE, YT, PM (GeoNames
  files 971–976 under those country codes): the snapshot
  actions/locator/data/geonames-postcodes-20251230.csv.gz, or $PGEOCODE_DATA_DIR, a folder of
  per-country files in pgeocode's cache format. Nothing is downloaded at run time.

API (module functions use the shared Locator; the same names exist as its methods):

- ``get_locator() -> Locator``: built once per process on first call, thread-safe, never
  raises. ``.available`` (both parts work), ``.offices_available``,
  ``.geocoding_available``, ``.problems`` (why not). ``reset_locator()`` forgets it.
  The first call takes about a second (imports, files, index): call it once at start-up,
  in a thread, to keep it out of a conversation.
- ``resolve_place(text) -> PlaceResolution``: "38500", "2120", "Voiron", "saint etienne",
  "Voiron 38500", or a button label read back ("Saint-Denis (97400)", "Saint-Denis 974").
  ``.status`` is Status.FOUND (``.place``), AMBIGUOUS (``.candidates``, most likely first:
  several communes of that name, or of that postcode), NOT_FOUND or UNAVAILABLE (no
  GeoNames data, or none for that postcode's territory). For a postcode, ``.area`` is the centre of its communes, usable
  without asking. A Place has name, postcode, lat, lng, department and ``.label``.
- ``nearest(lat, lng, k=3, today=None, max_km=None) -> list[OfficeResult]``: closest
  offices first, each with name, distance_km (great-circle, 1 decimal), address,
  hours_today (today's ranges in minutes, () when closed, None when unknown; Sunday is always
  closed; actions/answers.py office_hours says them), open_today, phone, email, appointments
  (prise_rdv as a bool), format (the file's format_fs; answers.office_format says it), mobile,
  is_antenna, department, postcode, town, lat, lng.
  Empty when the list is unavailable. Well under 1 ms (docs/locator-benchmark.md).
- ``map_url(lat=None, lng=None, zoom=12) -> str``: the ANCT map centred there, through
  actions.catalogue.france_services_map_url; the national view without a point. The
  degraded answer.
- ``source_credit() -> str``: "Source : liste officielle du 1er août 2024 (ANCT, Licence
  Ouverte 2.0) ; codes postaux GeoNames (CC BY 4.0)." (actions/answers.py) To show with results.

Errors: LocatorDataError (a ValueError) names the file and the problem (missing column,
bad coordinates, too few rows); ``load_offices(path, min_rows)`` raises it, the Locator
records it in ``problems`` instead.

A bot turn, roughly::

    found = resolve_place(text)
    here = found.place or found.area          # or ask with found.candidates' labels
    offices = nearest(here.lat, here.lng) if here else []
    # offices → cards + source_credit(); none → map_url(here.lat, here.lng) or map_url()
"""

from __future__ import annotations

from datetime import date
from typing import List, Optional

from .core import (
    Locator,
    OfficeResult,
    credit_text,
    france_services_csv,
    get_locator,
    map_url,
    reset_locator,
)
from .hours import day_ranges, parse_day, parse_week
from .offices import LocatorDataError, Office, load_offices
from .places import Place, PlaceResolution, Status, geonames_dir, haversine_km, normalize


def resolve_place(text: str) -> PlaceResolution:
    """A postcode or a town name → one place, candidates, not found, or unavailable."""
    return get_locator().resolve_place(text)


def nearest(
    lat: float, lng: float, k: int = 3, today: Optional[date] = None, max_km: Optional[float] = None
) -> List[OfficeResult]:
    """The k offices closest to (lat, lng), today's hours for `today` (default: today)."""
    return get_locator().nearest(lat, lng, k=k, today=today, max_km=max_km)


def source_credit() -> str:
    """The credit line to show under results."""
    return get_locator().source_credit()


__all__ = [
    "Locator",
    "LocatorDataError",
    "Office",
    "OfficeResult",
    "Place",
    "PlaceResolution",
    "Status",
    "credit_text",
    "day_ranges",
    "france_services_csv",
    "geonames_dir",
    "get_locator",
    "haversine_km",
    "load_offices",
    "map_url",
    "nearest",
    "normalize",
    "parse_day",
    "parse_week",
    "reset_locator",
    "resolve_place",
    "source_credit",
]
