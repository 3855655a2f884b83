"""Fixtures of the locator tests: the shared copies of the ANCT list and of GeoNames.

They live in ../shared/data from the repo root (or $SHARED_DIR/data) (never in the repo). GeoNames is copied to a
temporary folder, since pgeocode may write beside its data, and PGEOCODE_DATA_DIR points
there. pgeocode reads that variable once, at import; the locator sets pgeocode.STORAGE_DIR
from it at each build, so the order of imports does not matter (test_availability checks).
"""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from tests.conftest import SHARED as _SHARED_ROOT

ROOT = Path(__file__).resolve().parents[2]
SHARED = _SHARED_ROOT / "data"
FS_CSV = SHARED / "france_services" / "liste-fs-20240801.csv"
GEONAMES = SHARED / "geonames"

if not (FS_CSV.is_file() and (GEONAMES / "FR.txt").is_file()):
    pytest.skip(
        f"shared data absent ({SHARED}): the locator tests need the ANCT list and GeoNames copies",
        allow_module_level=True,
    )


@pytest.fixture(scope="session")
def geonames_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("pgeocode")
    for source in GEONAMES.glob("*.txt"):
        shutil.copyfile(source, target / source.name)
    return target


@pytest.fixture(scope="session")
def shared_env(geonames_dir) -> Iterator[Dict[str, str]]:
    """FRANCE_SERVICES_CSV and PGEOCODE_DATA_DIR set for the whole session."""
    patch = pytest.MonkeyPatch()
    patch.setenv("FRANCE_SERVICES_CSV", str(FS_CSV))
    patch.setenv("PGEOCODE_DATA_DIR", str(geonames_dir))
    yield {"FRANCE_SERVICES_CSV": str(FS_CSV), "PGEOCODE_DATA_DIR": str(geonames_dir)}
    patch.undo()


@pytest.fixture(scope="session")
def locator(shared_env):
    from actions.locator import Locator

    built = Locator.from_environment()
    assert built.available, built.problems
    return built


@pytest.fixture(scope="session")
def fs_rows() -> List[Dict[str, str]]:
    with FS_CSV.open(encoding="utf-8", newline="") as handle:
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


