#!/usr/bin/env python
"""Download a newer official list of France Services when the network allows (`make data`).

    .venv/bin/python -m scripts.fetch_france_services [--url URL] [--dest PATH]

The bot does not need this: it reads the list shipped in actions/locator/data/ (ANCT,
1 August 2024, Licence Ouverte 2.0) and the GeoNames postcodes shipped beside it.
- Downloads the current ANCT file (data.gouv.fr) to var/data/france_services.csv, through a
  temporary file renamed only once the file passed the checks of actions.locator (required
  columns, at least 2,000 offices, coordinates in France); records its update date in
  france_services.meta.json. The locator then reads the newer of that file and the snapshot.
- Without network (a proxy, a locked-down workstation, CI): says so and keeps the list the
  bot already has; exit 0.
- With FRANCE_SERVICES_CSV set, only checks that file: no network at all.

Exits 0 when the bot has a valid list (downloaded or kept), 1 with a message on stderr when
a file fails the checks (a downloaded one is then not used: the earlier list is kept).
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import os
import sys
import tempfile
import urllib.request
from datetime import date, datetime, timezone
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from actions.locator.core import (
    DOWNLOADED_CSV,
    france_services_csv,
    french_date,
    meta_path,
    update_date,
)
from actions.locator.offices import LocatorDataError, Office, date_from_file_name, load_offices
from actions.locator.places import department_of

ROOT = Path(__file__).resolve().parent.parent

URL = "https://www.data.gouv.fr/fr/datasets/r/31576dff-fd61-4de9-819f-32c2f880b142"
MIN_ROWS = 2000
TIMEOUT_S = 60


class FetchError(RuntimeError):
    """A failure to report in one line."""


class Offline(FetchError):
    """The list could not be downloaded (no network, proxy, server error): not the file's fault."""


def check(path: Path, min_rows: int = MIN_ROWS) -> List[Office]:
    """The offices of a file that passes every check; FetchError otherwise."""
    try:
        return load_offices(path, min_rows=min_rows)
    except LocatorDataError as error:
        raise FetchError(str(error)) from None


def summary(offices: Sequence[Office]) -> str:
    mobile = sum(office.mobile for office in offices)
    no_hours = sum(office.week is None for office in offices)
    odd = [
        office.id
        for office in offices
        if department_of(office.postcode) != office.department and office.department not in ("2A", "2B")
    ]
    text = f"{len(offices)} offices ({mobile} itinerant, {no_hours} without hours)"
    if odd:
        text += f"; postcode not in its department for id_fs {', '.join(odd)}"
    return text


def _date_from_headers(final_url: str, headers) -> Tuple[date, str]:
    """The list's update date: from the served file name, else Last-Modified, else today."""
    disposition = headers.get("Content-Disposition") or ""
    for name in (disposition, final_url):
        found = date_from_file_name(name)
        if found:
            return found, "file name"
    modified = headers.get("Last-Modified")
    if modified:
        try:
            return email.utils.parsedate_to_datetime(modified).date(), "Last-Modified"
        except (TypeError, ValueError):
            pass
    return date.today(), "download date"


def _write_atomic(path: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(name, path)


def download(url: str, dest: Path, min_rows: int = MIN_ROWS) -> str:
    """Download, check, then rename into place; returns what was done."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": "amelibot-fetch-france-services/1.0"})
    handle, name = tempfile.mkstemp(dir=dest.parent, prefix=dest.name, suffix=".part")
    os.close(handle)
    tmp = Path(name)
    try:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response, tmp.open("wb") as out:
                digest = hashlib.sha256()
                while True:
                    chunk = response.read(1 << 16)
                    if not chunk:
                        break
                    digest.update(chunk)
                    out.write(chunk)
                final_url, headers = response.geturl(), response.headers
        except OSError as error:  # URLError, HTTPError, timeouts
            raise Offline(f"download of {url} failed: {error}") from None
        try:
            offices = check(tmp, min_rows)
        except FetchError as error:
            kept = f"; kept the previous {dest}" if dest.exists() else ""
            raise FetchError(f"downloaded file refused: {error}{kept}") from None
        updated, how = _date_from_headers(final_url, headers)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    meta = {
        "source": "ANCT, liste des structures France Services (data.gouv.fr), Licence Ouverte 2.0",
        "url": url,
        "final_url": final_url,
        "update_date": updated.isoformat(),
        "update_date_from": how,
        "downloaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": len(offices),
        "sha256": digest.hexdigest(),
    }
    _write_atomic(meta_path(dest), (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return f"saved {dest}: {summary(offices)}, updated {updated.isoformat()} (from the {how})"


def kept_list() -> str:
    """What the bot reads when nothing (newer) is downloaded: "the list of 1er août 2024 (path)"."""
    path = france_services_csv()
    when = update_date(path)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"the list of {french_date(when) if when else 'unknown date'} ({shown})"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=URL, help="where to download the list (default: data.gouv.fr)")
    parser.add_argument("--dest", type=Path, default=None, help="default: var/data/france_services.csv")
    parser.add_argument("--min-rows", type=int, default=MIN_ROWS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    local = os.environ.get("FRANCE_SERVICES_CSV")
    try:
        if local:
            path = france_services_csv()
            offices = check(path, args.min_rows)
            updated = update_date(path)
            when = updated.isoformat() if updated else "unknown"
            print(f"FRANCE_SERVICES_CSV={local}: valid, {summary(offices)}, updated {when}. Nothing downloaded.")
            return 0
        dest = args.dest or DOWNLOADED_CSV
        print(download(args.url, dest, args.min_rows))
    except Offline as error:
        print(f"No newer France Services list: {error}.\nThe bot keeps {kept_list()}.")
        return 0
    except FetchError as error:
        print(f"fetch_france_services: ERROR: {error}", file=sys.stderr)
        print(f"The bot keeps {kept_list()}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
