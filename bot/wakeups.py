"""One "the outbox was written" signal for several delivery loops (Telegram, web, terminal):
each loop clears its own event, so none takes the wake-up away from another."""

from __future__ import annotations

import asyncio


async def fan_out(source: asyncio.Event, *targets: asyncio.Event) -> None:
    while True:
        await source.wait()
        source.clear()
        for target in targets:
            target.set()
