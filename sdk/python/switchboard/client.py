"""
Client: the sync client. It runs an AsyncClient on an event loop in a background thread, so
blocking calls (signals.wait, a lock's wait) block only the calling thread, while heartbeats,
lease renewals and outcome records keep going in the background.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import queue
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from ._connection import ConnectionState
from ._methods import Namespaces
from .aio import AsyncClient
from .dispatch import Dispatching, _Authorizer
from .events import AsyncSubscription, Event
from .leases import Lease, Leasing, _Grant, hold_sync
from .questions import Answer, Asking
from .tool_policy import ToolCall, authorize_tool_call

T = TypeVar("T")
_END = object()


class Subscription:
    """A sync subscription: events go to the handler (on the client's callback thread, in order), else `for event in subscription`."""

    def __init__(self, client: Client, inner: AsyncSubscription, events: queue.Queue[Any] | None) -> None:
        self._client = client
        self._inner = inner
        self._events = events
        self.topics = inner.topics

    def next(self, timeout_s: float | None = None) -> Event:
        """The next event; queue.Empty after timeout_s, StopIteration once unsubscribed."""
        if self._events is None:
            raise TypeError("this subscription hands its events to its handler")
        item = self._events.get(timeout=timeout_s)
        if item is _END:
            self._events.put(_END)
            raise StopIteration
        return item  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        return self.next()

    def unsubscribe(self) -> None:
        self._client.run(self._inner.unsubscribe())
        if self._events is not None:
            self._events.put(_END)


class Client(Namespaces[Any], Dispatching, Leasing[contextlib.AbstractContextManager[Lease]], Asking[Answer]):
    """
    `with Client.connect() as client: client.agents.start(agent_id="a")` — the daemon found as the
    TypeScript SDK finds it (url/token arguments, SWITCHBOARD_URL / SWITCHBOARD_TOKEN, then
    <state dir>/daemon.json and token). Options as AsyncClient's.
    """

    def __init__(self, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="switchboard-client", daemon=True)
        self._thread.start()
        # callbacks (subscription handlers, listeners) run here, one at a time, so they may call the client
        self._callbacks = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="switchboard-callbacks")
        self.aio: AsyncClient = self.run(_make(options))
        self._bind_namespaces(lambda method, params: self.run(self.aio._namespace_call(method, params)))

    @classmethod
    def connect(cls, **options: Any) -> Client:
        client = cls(**options)
        try:
            client.run(client.aio.open())
        except BaseException:
            client.close()
            raise
        return client

    def run(self, awaitable: Awaitable[T]) -> T:
        """Runs a coroutine on the client's loop and waits for its result."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("a sync Client call from its own event loop would wait for itself: use client.aio there")
        return asyncio.run_coroutine_threadsafe(_await(awaitable), self._loop).result()

    def relay(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """The callback run on the client's callback thread (one at a time, in order), so that it may call the client."""

        def relayed(*args: Any) -> None:
            self._callbacks.submit(callback, *args)

        return relayed

    @property
    def state(self) -> ConnectionState:
        return self.aio.state

    @property
    def daemon(self) -> dict[str, Any] | None:
        return self.aio.daemon

    def call(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.run(self.aio.call(method, params))

    def notify(self, method: str, params: Mapping[str, Any]) -> bool:
        return self.run(_value(lambda: self.aio.notify(method, params)))

    def on(self, event: str, listener: Callable[..., Any]) -> Callable[..., Any]:
        """"state" or "reconnected"; the listener runs on the callback thread. Returns what off() takes."""
        relay = self.relay(listener)
        self._loop.call_soon_threadsafe(self.aio.on, event, relay)
        return relay

    def off(self, event: str, relay: Callable[..., Any]) -> None:
        self._loop.call_soon_threadsafe(self.aio.off, event, relay)

    def subscribe(self, topics: Sequence[str], handler: Callable[[Event], Any] | None = None, *, on_resync: Callable[[], Any] | None = None) -> Subscription:
        events: queue.Queue[Any] | None = queue.Queue() if handler is None else None

        deliver = self.relay(handler) if handler is not None else events.put  # type: ignore[union-attr]
        resync = self.relay(on_resync) if on_resync is not None else None
        inner = self.run(self.aio.subscribe(topics, deliver, on_resync=resync))
        return Subscription(self, inner, events)

    def flush_outcomes(self) -> None:
        """Returns once every outcome dispatched so far is stored."""
        self.run(self.aio.outcomes_recorder.flush())

    def close(self) -> None:
        if self._loop.is_closed():
            return
        with contextlib.suppress(Exception):
            self.run(self.aio.close())
        # the loop is the client's: what still runs on it (beats, workers, renewals left running) ends with it
        self.run(_cancel_the_rest())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        self._callbacks.shutdown(wait=False)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _max_value_bytes(self) -> int:
        return self.aio._max_value_bytes()

    def _record_outcome(self, outcome: dict[str, Any]) -> None:
        # dispatched on any thread: the record is made on the client's loop
        self._loop.call_soon_threadsafe(self.aio.outcomes_recorder.record, outcome)

    def _hold(self, grant: _Grant) -> contextlib.AbstractContextManager[Lease]:
        return hold_sync(self.run, grant)

    def _authorizer(self) -> _Authorizer:
        def awaited(call: ToolCall) -> Awaitable[dict[str, Any]]:
            # from async code on another loop: wait for the client's loop without blocking that one
            return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(authorize_tool_call(self.aio, call), self._loop))

        return _Authorizer(lambda call: self.run(authorize_tool_call(self.aio, call)), awaited)

    def _async_client(self) -> AsyncClient:
        return self.aio

    def _asked(self, answer: Awaitable[Answer]) -> Answer:
        return self.run(answer)


async def _make(options: dict[str, Any]) -> AsyncClient:
    # made on the loop, so its asyncio objects belong to it
    return AsyncClient(**options)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


async def _value(fn: Callable[[], T]) -> T:
    return fn()


async def _cancel_the_rest() -> None:
    rest = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)
