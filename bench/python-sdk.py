"""The Python half of bench/python.ts: heartbeat round trips and signal-wait latency through the SDK, printed as one JSON line (ms)."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from switchboard import AsyncClient, Client


async def async_figures(url: str, token: str, beats: int, signals: int) -> dict[str, list[float]]:
    async with AsyncClient.connect(url=url, token=token) as sender, AsyncClient.connect(url=url, token=token) as waiter:
        await sender.agents.start(agent_id="bench-py")
        beat_ms = []
        for _ in range(beats):
            started = time.perf_counter()
            await sender.agents.beat(agent_id="bench-py")
            beat_ms.append((time.perf_counter() - started) * 1000)
        signal_ms = []
        for i in range(signals):
            waiting = asyncio.ensure_future(waiter.signals.wait(agent_id="bench-py-waiter", timeout_ms=5_000))
            await asyncio.sleep(0.001)  # let the wait reach the daemon and arm (not measured)
            sent = time.perf_counter()
            await asyncio.gather(sender.signals.send(from_="bench", to="bench-py-waiter", type="ping", payload=i), waiting)
            if waiting.result()["payload"] != i:
                raise RuntimeError(f"round {i}: {waiting.result()}")
            signal_ms.append((time.perf_counter() - sent) * 1000)
        return {"beat": beat_ms, "signal": signal_ms}


def sync_beats(url: str, token: str, beats: int) -> list[float]:
    with Client.connect(url=url, token=token) as client:
        client.agents.start(agent_id="bench-py-sync")
        beat_ms = []
        for _ in range(beats):
            started = time.perf_counter()
            client.agents.beat(agent_id="bench-py-sync")
            beat_ms.append((time.perf_counter() - started) * 1000)
        return beat_ms


if __name__ == "__main__":
    url, token, beats, signals = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    figures = asyncio.run(async_figures(url, token, beats, signals))
    print(json.dumps({**figures, "syncBeat": sync_beats(url, token, beats)}))
