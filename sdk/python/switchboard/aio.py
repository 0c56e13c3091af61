"""AsyncClient: the asyncio client, one typed method per RPC method, reconnecting, with subscriptions that survive reconnects."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Callable

from ._backoff import Backoff
from ._connection import ConnectionState, RpcConnection
from ._methods import APPROVAL_TIMEOUT_MS, BLOCKING_METHODS, PROTOCOL_VERSION, WAIT_MS_METHODS, Namespaces
from .discovery import discover_daemon
from .dispatch import Dispatching, _Authorizer
from .errors import ConnectionLostError
from .events import AsyncSubscription, Event, EventHandler
from .leases import Lease, Leasing, _Grant, hold_async
from .questions import Answer, Asking
from .tool_policy import ToolCall, authorize_tool_call
from .outcomes import OutcomeRecorder


# Pushes held per subscription whose reply is late; past them, the seq gap makes the subscriber resync.
_MAX_HELD_PUSHES = 1000


class AsyncClient(Namespaces[Awaitable[Any]], Dispatching, Leasing[contextlib.AbstractAsyncContextManager[Lease]], Asking[Awaitable[Answer]]):
    """
    Connect with `await AsyncClient.connect()` (finding the daemon through arguments, env, or
    daemon.json), or `async with AsyncClient.connect() as client` — then `await client.agents.start(agent_id=…)`.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        client_name: str = "switchboard-python",
        reconnect: bool | Backoff = True,
        request_timeout_s: float = 30.0,
    ) -> None:
        #: The daemon's answer to the latest `hello` (daemonVersion, protocolVersion, daemonId, limits).
        self.daemon: dict[str, Any] | None = None
        self._client_name = client_name
        self._request_timeout_s = request_timeout_s
        self._subscriptions: set[AsyncSubscription] = set()
        self._by_server_id: dict[str, AsyncSubscription] = {}
        # Pushes for ids whose subscribe reply has not been handled yet (see _subscribe).
        self._held: dict[str, list[dict[str, Any]]] = {}
        self._subscribing = 0
        self._listeners: dict[str, list[Callable[..., Any]]] = {"state": [], "reconnected": []}
        self._opens = 0
        self._connection = RpcConnection(
            endpoint=lambda: discover_daemon(url, token, state_dir, env),
            reconnect=reconnect,
            request_timeout_s=request_timeout_s,
            on_open=self._on_open,
            on_notification=self._on_notification,
            on_state=self._on_state,
        )
        self._bind_namespaces(self._namespace_call)
        #: Records what dispatch() measured, in the background (see switchboard.dispatch).
        self.outcomes_recorder = OutcomeRecorder(self)

    @classmethod
    def connect(cls, **options: Any) -> _Connecting:
        """`await AsyncClient.connect(...)` or `async with AsyncClient.connect(...) as client`."""
        return _Connecting(cls(**options))

    async def open(self) -> AsyncClient:
        await self._connection.open()
        return self

    @property
    def state(self) -> ConnectionState:
        return self._connection.state

    def on(self, event: str, listener: Callable[..., Any]) -> None:
        """"state" (with the new state) or "reconnected" (after the hook resubscribed)."""
        self._listeners[event].append(listener)

    def off(self, event: str, listener: Callable[..., Any]) -> None:
        self._listeners[event].remove(listener)

    async def call(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        """Any method by its wire name with wire params (`"agent.start", {"agentId": "a"}`)."""
        params = dict(params or {})
        timeout = _blocking_timeout_s(method, params)
        return await self._connection.call(method, params, None if timeout is None else timeout + self._request_timeout_s)

    def notify(self, method: str, params: Mapping[str, Any]) -> bool:
        """Runs a method as a JSON-RPC notification: no reply, no result, no error. False when not connected."""
        return self._connection.notify(method, dict(params))

    async def subscribe(
        self, topics: Sequence[str], handler: EventHandler | None = None, *, on_resync: Callable[[], Any] | None = None
    ) -> AsyncSubscription:
        subscription = AsyncSubscription(topics, handler, on_resync, self._unsubscribe)
        await self._subscribe(subscription, lambda: self.call("subscribe", {"topics": list(topics)}))
        self._subscriptions.add(subscription)
        return subscription

    async def flush_outcomes(self) -> None:
        """Returns once every outcome dispatched so far is stored."""
        await self.outcomes_recorder.flush()

    async def close(self) -> None:
        await self._connection.close()
        for subscription in self._subscriptions:
            subscription.end()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def reopened(self) -> None:
        """Returns when the connection is open again; ConnectionLostError if the client closes first."""
        await self._connection.wait_open()
        if self.state == "closed":
            raise ConnectionLostError("the client is closed")

    def _max_value_bytes(self) -> int:
        return int(((self.daemon or {}).get("limits") or {}).get("maxValueBytes") or 0)

    def _record_outcome(self, outcome: dict[str, Any]) -> None:
        self.outcomes_recorder.record(outcome)

    def _authorizer(self) -> _Authorizer:
        def blocking(call: ToolCall) -> dict[str, Any]:
            # sync code on this client's own loop cannot wait for a call on it
            raise TypeError("an AsyncClient's dispatch(tool=...) wraps async code only: use async with, or an async function")

        return _Authorizer(blocking, lambda call: authorize_tool_call(self, call))

    def _hold(self, grant: _Grant) -> contextlib.AbstractAsyncContextManager[Lease]:
        return hold_async(grant)

    def _async_client(self) -> AsyncClient:
        return self

    def _asked(self, answer: Awaitable[Answer]) -> Awaitable[Answer]:
        return answer

    def _namespace_call(self, method: str, params: dict[str, Any]) -> Awaitable[Any]:
        if method == "approval.request":
            return self._resumable(method, {"clientRequestId": str(uuid.uuid4()), **params})
        return self.call(method, params)

    async def _resumable(self, method: str, params: dict[str, Any]) -> Any:
        # A request survives a dropped connection or a daemon restart: the retry carries the same
        # idempotency key, so the daemon answers with the request filed the first time.
        while True:
            try:
                return await self.call(method, params)
            except ConnectionLostError:
                if self.state == "closed":
                    raise
                await self.reopened()

    async def _unsubscribe(self, subscription: AsyncSubscription) -> None:
        self._subscriptions.discard(subscription)
        if subscription.server_id is None:
            return
        self._by_server_id.pop(subscription.server_id, None)
        if self.state == "open":
            await self.call("unsubscribe", {"subscriptionId": subscription.server_id})

    async def _on_open(self) -> None:
        hello = {"client": self._client_name, "protocolVersion": PROTOCOL_VERSION}
        self.daemon = await self._connection.call("hello", hello, early=True)
        self._opens += 1
        if self._opens == 1:
            return
        self._by_server_id.clear()
        self._held.clear()
        for subscription in list(self._subscriptions):
            topics = list(subscription.topics)
            await self._subscribe(subscription, lambda: self._connection.call("subscribe", {"topics": topics}, early=True))
            if subscription.ended:
                # Unsubscribed while this subscribe was on its way: what it made on the daemon goes too.
                self._by_server_id.pop(subscription.server_id or "", None)
                await self._connection.call("unsubscribe", {"subscriptionId": subscription.server_id}, early=True)
                continue
            subscription.resync()

    def _on_state(self, state: ConnectionState) -> None:
        self._emit("state", state)
        if state == "open" and self._opens > 1:
            self._emit("reconnected")

    def _emit(self, event: str, *args: Any) -> None:
        for listener in list(self._listeners[event]):
            listener(*args)

    def _on_notification(self, method: str, params: Any) -> None:
        if method != "event" or not isinstance(params, dict):
            return
        server_id = params.get("subscriptionId", "")
        subscription = self._by_server_id.get(server_id)
        if subscription is not None:
            subscription.deliver(Event.from_wire(params))
        elif self._subscribing > 0 and len(self._held.setdefault(server_id, [])) < _MAX_HELD_PUSHES:
            self._held[server_id].append(params)

    def _deliver_held(self, subscription: AsyncSubscription, event: Event) -> None:
        # unsubscribed since its subscribe returned (during a resubscribe): the push is dropped
        if not subscription.ended:
            subscription.deliver(event)

    async def _subscribe(self, subscription: AsyncSubscription, call: Callable[[], Awaitable[Any]]) -> None:
        # A push can be read before the reply that names its subscription (both in one read, the
        # reader handing over the push before this coroutine runs on): held until attached.
        self._subscribing += 1
        try:
            server_id = (await call())["subscriptionId"]
            subscription.attach(server_id)
            self._by_server_id[server_id] = subscription
            held = self._held.pop(server_id, [])
            # Handed over outside this call, as any push is: a handler that raises does not fail the subscribe.
            for params in held:
                asyncio.get_running_loop().call_soon(self._deliver_held, subscription, Event.from_wire(params))
        finally:
            self._subscribing -= 1
            if self._subscribing == 0:
                self._held.clear()


class _Connecting:
    """What AsyncClient.connect() gives: awaitable (the open client) and an async context manager (closed after)."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def __await__(self) -> Any:
        return self._client.open().__await__()

    async def __aenter__(self) -> AsyncClient:
        return await self._client.open()

    async def __aexit__(self, *exc: object) -> None:
        await self._client.close()


def _blocking_timeout_s(method: str, params: Mapping[str, Any]) -> float | None:
    """How long a blocking call may wait on the daemon (None: not blocking): waitMs or timeoutMs (approvals: the default)."""
    if method in WAIT_MS_METHODS:
        wait_ms = params.get("waitMs")
        return wait_ms / 1000 if isinstance(wait_ms, (int, float)) and wait_ms > 0 else None
    if method in BLOCKING_METHODS:
        timeout_ms = params.get("timeoutMs")
        return (timeout_ms if isinstance(timeout_ms, (int, float)) else APPROVAL_TIMEOUT_MS) / 1000
    return None
