"""What the stand-ins for outside services share: serving an aiohttp app on a free local port,
and waiting (without sleeping in a loop) until what the desk sent reaches a count."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from aiohttp import web


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """The app listening on 127.0.0.1 at a port the system chose; its runner and URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def wait_until(
    changed: asyncio.Condition,
    done: Callable[[], bool],
    timeout: float,
    failure: Callable[[], str],
) -> None:
    """Waits for done(), woken by `changed`; after timeout seconds fails with failure()."""
    deadline = time.monotonic() + timeout
    async with changed:
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(failure())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)


async def eventually(done: Callable[[], bool], timeout: float = 5.0) -> None:
    """Polls done() until it holds: for what a background task does in its own time."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"not done within {timeout} s")
        await asyncio.sleep(0.05)
