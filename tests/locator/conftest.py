"""Fixtures of the locator tests: the ANCT list and the GeoNames extract shipped in the repo.

They are actions/locator/data/*.csv.gz (never skipped: a missing file fails the tests). For the
tests of a GeoNames folder ($PGEOCODE_DATA_DIR, pgeocode's per-country format), the snapshot
is split into FR.txt, GP.txt… in a temporary folder.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from actions.locator.core import SNAPSHOT_CSV
from actions.locator.places import GEONAMES_SNAPSHOT

ROOT = Path(__file__).resolve().parents[2]
FS_CSV = SNAPSHOT_CSV  # liste-fs-20240801.csv.gz
GEONAMES = GEONAMES_SNAPSHOT


def fs_csv_bytes() -> bytes:
    """The ANCT file as published (the snapshot, decompressed)."""
    return gzip.decompress(FS_CSV.read_bytes())


@pytest.fixture(scope="session")
def geonames_dir(tmp_path_factory) -> Path:
    """The shipped GeoNames snapshot as a folder of per-country files (pgeocode's format)."""
    target = tmp_path_factory.mktemp("geonames")
    by_country: Dict[str, List[Dict[str, str]]] = defaultdict(list)
    with gzip.open(GEONAMES, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames)
        for row in reader:
            by_country[row["country_code"]].append(row)
    for country, rows in by_country.items():
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (target / f"{country}.txt").write_text(out.getvalue(), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def shared_env() -> Iterator[Dict[str, str]]:
    """The shipped snapshots for the whole session: FRANCE_SERVICES_CSV names the ANCT one (so that
    a newer list in var/data does not change what the tests expect), PGEOCODE_DATA_DIR is unset."""
    patch = pytest.MonkeyPatch()
    patch.setenv("FRANCE_SERVICES_CSV", str(FS_CSV))
    patch.delenv("PGEOCODE_DATA_DIR", raising=False)
    yield {"FRANCE_SERVICES_CSV": str(FS_CSV)}
    patch.undo()


@pytest.fixture(scope="session")
def locator(shared_env):
    from actions.locator import Locator

    built = Locator.from_environment()
    assert built.available, built.problems
    return built


@pytest.fixture(scope="session")
def fs_rows() -> List[Dict[str, str]]:
    with gzip.open(FS_CSV, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: List[Dict[str, str]], columns: List[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, quoting=csv.QUOTE_NONNUMERIC, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def small_csv(tmp_path, fs_rows):
    """Write a few real rows, optionally changed, with or without some columns."""

    def make(rows=None, drop=(), name="liste-fs-20240801.csv", change=None) -> Path:
        chosen = [dict(row) for row in (rows if rows is not None else fs_rows[:5])]
        if change:
            for row in chosen:
                change(row)
        columns = [column for column in fs_rows[0] if column not in drop]
        return write_csv(tmp_path / name, chosen, columns)

    return make


@pytest.fixture
def isolated_env(monkeypatch):
    """Forget the shared Locator before and after a test that changes the environment."""
    from actions.locator import reset_locator

    reset_locator()
    yield monkeypatch
    reset_locator()
