"""Tests of the web widget's server (web/server.py), in-process through aiohttp's test client."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Optional

from aiohttp.test_utils import TestClient, TestServer

from web.server import make_app


def run(sandbox: Optional[Any], scenario: Callable[[TestClient], Any]) -> Any:
    """Start the web server on `sandbox` (None: pages and scripts only), run `scenario(client)`, stop."""

    async def main() -> Any:
        client = TestClient(TestServer(make_app("http://127.0.0.1:5005", sandbox_factory=lambda: sandbox)))
        await client.start_server()
        try:
            return await scenario(client)
        finally:
            await client.close()

    return asyncio.run(main())
