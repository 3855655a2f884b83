"""Load and check the ANCT list of France Services (CSV, Licence Ouverte 2.0).

Read with the csv module: some quoted fields hold line breaks, and code_postal and
insee_* stay strings ("01200", "2A"). A file with a missing column, an unreadable
coordinate or a point outside France is refused whole with LocatorDataError, so the
bot falls back to the map link rather than give a wrong office.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from .hours import DAY_COLUMNS, WeekHours, parse_week

REQUIRED_COLUMNS: Tuple[str, ...] = (
    "id_fs",
    "insee_dep",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
    "mail",
    "telephone",
    *DAY_COLUMNS,
    "prise_rdv",
    "type_fs",
    "format_fs",
)

#: (name, south, north, west, east): where a France Services office may stand.
BOUNDING_BOXES: Tuple[Tuple[str, float, float, float, float], ...] = (
    ("France métropolitaine et Corse", 41.2, 51.2, -5.3, 9.7),
    ("Guadeloupe", 15.8, 16.6, -61.9, -60.9),
    ("Saint-Martin et Saint-Barthélemy", 17.8, 18.2, -63.2, -62.7),
    ("Martinique", 14.3, 14.95, -61.3, -60.75),
    ("Guyane", 2.0, 6.0, -54.7, -51.5),
    ("La Réunion", -21.45, -20.8, 55.1, 55.9),
    ("Mayotte", -13.1, -12.55, 44.9, 45.35),
    ("Saint-Pierre-et-Miquelon", 46.7, 47.2, -56.5, -56.1),
    ("Wallis-et-Futuna", -14.4, -13.1, -178.3, -176.1),
    ("Polynésie française", -28.0, -7.0, -155.0, -134.0),
    ("Nouvelle-Calédonie", -23.0, -19.0, 163.0, 169.0),
)

MOBILE_FORMATS = frozenset({"Bus_équivalent", "Itinérante"})

_FILE_DATE = re.compile(r"liste-fs-(\d{4})(\d{2})(\d{2})")
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s,;/]+@[^@\s,;/]+\.[A-Za-z]{2,}")


class LocatorDataError(ValueError):
    """A France Services or GeoNames file that cannot be used; the message says why."""


@dataclass(frozen=True)
class Office:
    """One France Services office, cleaned."""

    id: str
    name: str
    department: str
    address: str
    postcode: str
    town: str
    lat: float
    lng: float
    phone: Optional[str]
    email: Optional[str]
    appointments: Optional[bool]
    format: str
    is_antenna: bool
    week: Optional[WeekHours]

    @property
    def mobile(self) -> bool:
        return self.format in MOBILE_FORMATS


def clean(text: Optional[str]) -> str:
    """Collapse whitespace, line breaks and non-breaking spaces."""
    return _SPACES.sub(" ", (text or "").replace("\xa0", " ")).strip()


def in_france(lat: float, lng: float) -> bool:
    """True if the point lies in metropolitan France, Corsica or an overseas territory."""
    return any(s <= lat <= n and w <= lng <= e for _, s, n, w, e in BOUNDING_BOXES)


def _float(text: str) -> float:
    value = float(text.strip().replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _address(row: Dict[str, str]) -> str:
    street = ", ".join(part for part in (clean(row["adresse"]), clean(row["complement_adresse"])) if part)
    town = " ".join(part for part in (clean(row["code_postal"]), clean(row["lib_com"])) if part)
    return ", ".join(part for part in (street, town) if part)


def _appointments(text: str) -> Optional[bool]:
    value = clean(text).lower()
    return True if value == "oui" else False if value == "non" else None


def _first_email(text: str) -> Optional[str]:
    # A few rows list several addresses ("a@x.fr - b@y.fr"): keep the first.
    match = _EMAIL.search(text or "")
    return match.group(0) if match else None


def _office(row: Dict[str, str], line: int) -> Office:
    try:
        lat, lng = _float(row["latitude"]), _float(row["longitude"])
    except (ValueError, AttributeError):
        raise LocatorDataError(
            f"France Services file: unreadable coordinates on line {line} "
            f"(id_fs {row.get('id_fs')!r}: latitude={row.get('latitude')!r}, longitude={row.get('longitude')!r})."
        ) from None
    if not in_france(lat, lng):
        raise LocatorDataError(
            f"France Services file: coordinates outside France on line {line} "
            f"(id_fs {row.get('id_fs')!r}: {lat}, {lng}); latitude and longitude swapped?"
        )
    return Office(
        id=clean(row["id_fs"]),
        name=clean(row["lib_fs"]),
        department=clean(row["insee_dep"]),
        address=_address(row),
        postcode=clean(row["code_postal"]),
        town=clean(row["lib_com"]),
        lat=lat,
        lng=lng,
        phone=clean(row["telephone"]) or None,
        email=_first_email(row["mail"]),
        appointments=_appointments(row["prise_rdv"]),
        format=clean(row["format_fs"]),
        is_antenna=clean(row["type_fs"]).lower() == "antenne",
        week=parse_week([row[column] for column in DAY_COLUMNS]),
    )


def load_offices(path: Union[str, Path], min_rows: int = 1) -> List[Office]:
    """Read and check the whole file; raise LocatorDataError on the first problem."""
    path = Path(path)
    if not path.is_file():
        raise LocatorDataError(f"France Services file not found: {path}")
    try:
        opener = gzip.open if path.suffix == ".gz" else open  # the shipped snapshot is gzipped
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            handle.seek(0)
            delimiter = ";" if header.count(";") > header.count(",") else ","
            reader = csv.DictReader(handle, delimiter=delimiter)
            columns = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in REQUIRED_COLUMNS if name not in columns]
            if missing:
                raise LocatorDataError(f"France Services file {path.name}: missing column(s) {', '.join(missing)}.")
            reader.fieldnames = columns
            offices = [_office(row, reader.line_num) for row in reader]
    except (OSError, EOFError) as error:  # gzip.BadGzipFile is an OSError
        raise LocatorDataError(f"France Services file {path} cannot be read: {error}") from None
    except UnicodeDecodeError as error:
        raise LocatorDataError(f"France Services file {path.name} is not UTF-8: {error}") from None
    except csv.Error as error:
        raise LocatorDataError(f"France Services file {path.name} is not a valid CSV: {error}") from None
    if len(offices) < min_rows:
        raise LocatorDataError(
            f"France Services file {path.name}: {len(offices)} offices, expected at least {min_rows}."
        )
    return offices


def date_from_file_name(name: str) -> Optional[date]:
    """liste-fs-20240801.csv (or .csv.gz) → 2024-08-01."""
    match = _FILE_DATE.search(name)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
