"""scripts/fetch_france_services.py: local check, download through a temp file, failures."""
from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import threading
import urllib.error
import urllib.request

import pytest

from .conftest import FS_CSV, ROOT


@pytest.fixture(scope="module")
def fetch():
    spec = importlib.util.spec_from_file_location("fetch_france_services", ROOT / "scripts" / "fetch_france_services.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def server(tmp_path):
    """A local HTTP server over tmp_path/www; yields its base URL."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_local_file_is_only_validated(fetch, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("FRANCE_SERVICES_CSV", str(FS_CSV))
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: pytest.fail("no network in local mode"))
    assert fetch.main([]) == 0
    out = capsys.readouterr().out
    assert "valid, 2845 offices" in out and "updated 2024-08-01" in out


def test_bad_local_file_fails_clearly(fetch, monkeypatch, capsys, small_csv):
    monkeypatch.setenv("FRANCE_SERVICES_CSV", str(small_csv(drop=("latitude",))))
    assert fetch.main([]) == 1
    assert "ERROR: France Services file liste-fs-20240801.csv: missing column(s) latitude" in capsys.readouterr().err
    monkeypatch.setenv("FRANCE_SERVICES_CSV", str(small_csv()))
    assert fetch.main([]) == 1  # 5 rows: not plausible
    assert "expected at least 2000" in capsys.readouterr().err


def test_download_checks_then_renames(fetch, server, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("FRANCE_SERVICES_CSV", raising=False)
    root, base = server
    (root / "liste-fs-20240801.csv").write_bytes(FS_CSV.read_bytes())
    dest = tmp_path / "var" / "data" / "france_services.csv"
    assert fetch.main(["--url", f"{base}/liste-fs-20240801.csv", "--dest", str(dest), "--no-geonames"]) == 0
    assert dest.read_bytes() == FS_CSV.read_bytes()
    meta = json.loads((dest.parent / "france_services.meta.json").read_text())
    assert meta["update_date"] == "2024-08-01" and meta["update_date_from"] == "file name"
    assert meta["rows"] == 2845
    assert sorted(p.name for p in dest.parent.iterdir()) == ["france_services.csv", "france_services.meta.json"]
    assert "saved" in capsys.readouterr().out

    from actions.locator import Locator

    assert "1er août 2024" in Locator.from_paths(dest, None).source_credit()


def test_refused_download_keeps_the_previous_file(fetch, server, monkeypatch, tmp_path, capsys, small_csv):
    monkeypatch.delenv("FRANCE_SERVICES_CSV", raising=False)
    root, base = server
    (root / "latest.csv").write_bytes(small_csv().read_bytes())
    dest = tmp_path / "data" / "france_services.csv"
    dest.parent.mkdir()
    dest.write_text("previous")
    assert fetch.main(["--url", f"{base}/latest.csv", "--dest", str(dest), "--no-geonames"]) == 1
    err = capsys.readouterr().err
    assert "downloaded file refused" in err and "expected at least 2000" in err and "kept the previous" in err
    assert dest.read_text() == "previous"
    assert [p.name for p in dest.parent.iterdir()] == ["france_services.csv"]  # no .part left
    assert fetch.main(["--url", f"{base}/missing.csv", "--dest", str(dest), "--no-geonames"]) == 1
    assert "download of" in capsys.readouterr().err and dest.read_text() == "previous"


def test_geonames_step(fetch, tmp_path, geonames_dir, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    assert fetch.fetch_geonames(geonames_dir) == []  # all present: nothing to download
    empty = tmp_path / "geo"
    empty.mkdir()
    failures = fetch.fetch_geonames(empty, ["FR", "GP"])
    assert len(failures) == 2 and failures[0].startswith("GeoNames FR")
