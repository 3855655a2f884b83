"""Degraded modes, the shared instance, configuration, and the package's boundaries."""

from __future__ import annotations

import ast
import gzip
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import actions.locator as locator_pkg
from actions.locator import Locator, Status, get_locator, reset_locator
from actions.locator.core import REPO_ROOT, france_services_csv

from .conftest import FS_CSV, ROOT


def test_no_file_means_offices_unavailable_but_map_still_works(tmp_path, geonames_dir):
    degraded = Locator.from_paths(tmp_path / "france_services.csv", geonames_dir)
    assert not degraded.available and not degraded.offices_available
    assert degraded.geocoding_available
    assert any("not found" in problem for problem in degraded.problems)
    assert degraded.nearest(45.36, 5.59) == []
    voiron = degraded.resolve_place("Voiron").place  # the map can still be centred on the town
    assert degraded.map_url(voiron.lat, voiron.lng).endswith("lat=45.364700&lng=5.585600&z=12")
    assert "liste officielle des France Services" in degraded.source_credit()  # no date without a list


def test_bad_file_is_refused_with_its_reason(small_csv, geonames_dir):
    degraded = Locator.from_paths(small_csv(drop=("longitude",)), geonames_dir)
    assert not degraded.offices_available
    assert any("missing column(s) longitude" in problem for problem in degraded.problems)


def test_no_geonames_means_geocoding_unavailable_without_network(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the locator must not download at run time")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    empty = tmp_path / "pgeocode"
    empty.mkdir()
    degraded = Locator.from_paths(FS_CSV, empty)
    assert degraded.offices_available and not degraded.geocoding_available
    assert any("GeoNames data for FR not found" in problem for problem in degraded.problems)
    result = degraded.resolve_place("Voiron")
    assert result.status is Status.UNAVAILABLE and result.place is None
    assert len(degraded.nearest(45.36, 5.59)) == 3
    assert list(empty.iterdir()) == []


def test_missing_overseas_file_only_narrows(tmp_path, geonames_dir):
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("FR.txt", "RE.txt"):
        (partial / name).write_bytes((geonames_dir / name).read_bytes())
    located = Locator.from_paths(FS_CSV, partial)
    assert located.geocoding_available
    assert any("GP" in problem and "MQ" in problem for problem in located.problems)
    assert located.resolve_place("97400").status is Status.FOUND
    assert located.resolve_place("97126").status is Status.UNAVAILABLE  # Deshaies: in GP.txt only
    assert located.resolve_place("99999").status is Status.NOT_FOUND
    # A commune with an office still resolves, from the ANCT list itself.
    assert located.resolve_place("97110").place.name == "Pointe-à-Pitre"


def test_shared_instance_is_built_once_thread_safely(isolated_env, shared_env, monkeypatch):
    calls = []
    build = Locator.from_environment.__func__

    def counting(cls):
        calls.append(1)
        return build(cls)

    monkeypatch.setattr(Locator, "from_environment", classmethod(counting))
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(get_locator())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len({id(item) for item in seen}) == 1
    assert seen[0].available
    assert locator_pkg.resolve_place("Voiron").status is Status.FOUND
    assert locator_pkg.nearest(45.36, 5.59)[0].department == "38"
    reset_locator()
    assert get_locator() is not seen[0] and len(calls) == 2


def test_shared_instance_without_data_reports_unavailable(isolated_env, tmp_path):
    isolated_env.setenv("FRANCE_SERVICES_CSV", str(tmp_path / "none.csv"))
    isolated_env.setenv("PGEOCODE_DATA_DIR", str(tmp_path / "none"))
    shared = get_locator()
    assert not shared.available and len(shared.problems) == 2
    assert locator_pkg.resolve_place("Voiron").status is Status.UNAVAILABLE
    assert locator_pkg.nearest(45.36, 5.59) == []
    assert locator_pkg.map_url().startswith("https://anct-carto.github.io/france_services/")


def test_configuration_defaults_and_meta_date(monkeypatch, tmp_path):
    from actions.locator import core
    from actions.locator.places import GEONAMES_SNAPSHOT, geonames_dir

    monkeypatch.delenv("FRANCE_SERVICES_CSV", raising=False)
    monkeypatch.delenv("PGEOCODE_DATA_DIR", raising=False)
    assert REPO_ROOT == ROOT
    assert core.DOWNLOADED_CSV == ROOT / "var" / "data" / "france_services.csv"
    assert (
        geonames_dir()
        == GEONAMES_SNAPSHOT
        == ROOT / "actions" / "locator" / "data" / "geonames-postcodes-20251230.csv.gz"
    )
    # nothing downloaded: the shipped snapshot
    downloaded = tmp_path / "france_services.csv"
    monkeypatch.setattr(core, "DOWNLOADED_CSV", downloaded)
    assert france_services_csv() == core.SNAPSHOT_CSV == FS_CSV
    # a newer list from `make data` wins; an older one does not
    downloaded.write_bytes(gzip.decompress(FS_CSV.read_bytes()))
    meta = tmp_path / "france_services.meta.json"
    meta.write_text(json.dumps({"update_date": "2025-03-14"}))
    assert france_services_csv() == downloaded
    assert "liste officielle du 14 mars 2025" in Locator.from_paths(downloaded, None).source_credit()
    meta.write_text(json.dumps({"update_date": "2023-01-02"}))
    assert france_services_csv() == FS_CSV
    # the variable wins over both, relative to the repo root
    monkeypatch.setenv("FRANCE_SERVICES_CSV", "var/elsewhere.csv")
    assert france_services_csv() == ROOT / "var" / "elsewhere.csv"


def test_package_never_imports_rasa():
    for path in Path(locator_pkg.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(name.split(".")[0] in ("rasa", "rasa_sdk") for name in names), path


def test_import_is_light():
    code = (
        "import sys, actions.locator; "
        "print(sorted(m for m in ('pandas', 'pgeocode', 'scipy', 'rasa', 'rasa_sdk') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
