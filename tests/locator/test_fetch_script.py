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

from .conftest import FS_CSV, ROOT, fs_csv_bytes


@pytest.fixture(scope="module")
def fetch():
    spec = importlib.util.spec_from_file_location(
        "fetch_france_services", ROOT / "scripts" / "fetch_france_services.py"
    )
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
    (root / "liste-fs-20240801.csv").write_bytes(fs_csv_bytes())
    dest = tmp_path / "var" / "data" / "france_services.csv"
    assert fetch.main(["--url", f"{base}/liste-fs-20240801.csv", "--dest", str(dest)]) == 0
    assert dest.read_bytes() == fs_csv_bytes()
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
    assert fetch.main(["--url", f"{base}/latest.csv", "--dest", str(dest)]) == 1
    err = capsys.readouterr().err
    assert "downloaded file refused" in err and "expected at least 2000" in err and "kept the previous" in err
    assert "The bot keeps the list of" in err
    assert dest.read_text() == "previous"
    assert [p.name for p in dest.parent.iterdir()] == ["france_services.csv"]  # no .part left
    # a server error is "cannot download", not a bad file: the list is kept, make data succeeds
    assert fetch.main(["--url", f"{base}/missing.csv", "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "download of" in out and "HTTP Error 404" in out and dest.read_text() == "previous"


def test_offline_keeps_the_shipped_list_and_succeeds(fetch, monkeypatch, tmp_path, capsys):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.delenv("FRANCE_SERVICES_CSV", raising=False)
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    monkeypatch.setattr(fetch, "france_services_csv", lambda: FS_CSV)  # nothing downloaded before
    dest = tmp_path / "var" / "data" / "france_services.csv"
    assert fetch.main(["--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert "No newer France Services list" in out and "name resolution" in out
    assert "The bot keeps the list of 1er août 2024 (actions/locator/data/liste-fs-20240801.csv.gz)" in out
    assert list(dest.parent.iterdir()) == []  # no partial file left
