"""Pushed events and the asyncio subscription that carries them across reconnects."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Event:
    """One `event` notification: `topic` (agents, signals, events:<type>…), `type` (agent.beat…) and its `data`."""

    topic: str
    type: str
    data: Any
    subscription_id: str
    seq: int
    ts: int

    @classmethod
    def from_wire(cls, params: dict[str, Any]) -> Event:
        return cls(params["topic"], params["type"], params.get("data"), params["subscriptionId"], params["seq"], params["ts"])


EventHandler = Callable[[Event], "None | Awaitable[None]"]

_END = object()


class AsyncSubscription:
    """
    Topics subscribed on the daemon, subscribed again after every reconnect. Events go to the
    handler given, else to `async for event in subscription`. `on_resync` is called when events
    may have been missed (a seq gap, a reconnect): reload a snapshot and apply later events on top.
    """

    def __init__(
        self,
        topics: Sequence[str],
        handler: EventHandler | None,
        on_resync: Callable[[], Any] | None,
        unsubscribe: Callable[[AsyncSubscription], Awaitable[None]],
    ) -> None:
        self.topics = tuple(topics)
        self.server_id: str | None = None
        self._handler = handler
        self._on_resync = on_resync
        self._unsubscribe = unsubscribe
        self._last_seq = 0
        self.ended = False
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._tasks: set[asyncio.Task[Any]] = set()

    def attach(self, server_id: str) -> None:
        self.server_id = server_id
        self._last_seq = 0

    def resync(self) -> None:
        if self._on_resync is not None:
            self._run(self._on_resync())

    def deliver(self, event: Event) -> None:
        gap = event.seq != self._last_seq + 1
        self._last_seq = event.seq
        if gap:
            self.resync()
        if self._handler is None:
            self._queue.put_nowait(event)
        else:
            self._run(self._handler(event))

    def end(self) -> None:
        self._queue.put_nowait(_END)

    async def next(self, timeout_s: float | None = None) -> Event:
        """The next event (handler-less subscriptions); asyncio.TimeoutError after timeout_s, StopAsyncIteration once unsubscribed."""
        item = await asyncio.wait_for(self._queue.get(), timeout_s)
        if item is _END:
            self._queue.put_nowait(_END)
            raise StopAsyncIteration
        return item  # type: ignore[no-any-return]

    def __aiter__(self) -> AsyncIterator[Event]:
        return self

    async def __anext__(self) -> Event:
        return await self.next()

    async def unsubscribe(self) -> None:
        self.ended = True
        await self._unsubscribe(self)
        self.end()

    def _run(self, result: Any) -> None:
        # an async handler runs as its own task, so a slow one never holds up the connection
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
