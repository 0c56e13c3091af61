"""
One JSON-RPC 2.0 connection over WebSocket that heals itself (as client/connection.ts): on a drop it
reconnects with capped backoff and jitter, runs the `on_open` hook (hello, resubscribe) before
anything waiting is sent, and fails the calls that were in flight with ConnectionLostError (they
may or may not have run).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable
from typing import Any, Callable, Literal

from ._backoff import Backoff, backoff_delay_s
from .discovery import Endpoint
from .errors import ConnectionLostError, error_from_wire

try:  # websockets >= 13
    from websockets.asyncio.client import connect as _connect

    _HEADERS_ARG = "additional_headers"
except ImportError:  # websockets 12: the legacy client
    from websockets.client import connect as _connect  # type: ignore[no-redef,attr-defined]

    _HEADERS_ARG = "extra_headers"

ConnectionState = Literal["connecting", "open", "reconnecting", "closed"]


class RpcConnection:
    def __init__(
        self,
        endpoint: Callable[[], Endpoint],
        reconnect: bool | Backoff,
        request_timeout_s: float,
        on_open: Callable[[], Awaitable[None]],
        on_notification: Callable[[str, Any], None],
        on_state: Callable[[ConnectionState], None],
    ) -> None:
        self._endpoint = endpoint
        self._reconnect = reconnect
        self._request_timeout_s = request_timeout_s
        self._on_open = on_open
        self._on_notification = on_notification
        self._on_state = on_state
        self.state: ConnectionState = "connecting"
        self._ws: Any = None
        self._next_id = 1
        self._pending: dict[int, asyncio.Future[Any]] = {}
        # set while open (and once closed, so that waiters wake and see it)
        self._ready = asyncio.Event()
        # one writer at a time, in the order calls were made (asyncio locks are FIFO)
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retry_task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """First connection: returns once open (hook done); raises if the daemon cannot be reached."""
        try:
            await self._dial()
        except BaseException:
            await self.close()
            raise

    async def call(self, method: str, params: Any, timeout_s: float | None = None, early: bool = False) -> Any:
        if not early:
            await self.wait_open()
        if self.state == "closed":
            raise ConnectionLostError("the client is closed")
        request_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        limit = self._request_timeout_s if timeout_s is None else timeout_s

        def no_reply() -> None:
            if not future.done():
                future.set_exception(ConnectionLostError(f"{method} got no reply within {limit * 1000:.0f} ms"))

        # Not asyncio.wait_for: before Python 3.12 it swallows a cancel that lands as the reply
        # arrives, and a cancelled loop (a heartbeat's, a worker's) then never ended.
        timer = asyncio.get_running_loop().call_later(limit, no_reply)
        try:
            await self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
            return await future
        finally:
            timer.cancel()
            self._pending.pop(request_id, None)

    def notify(self, method: str, params: Any) -> bool:
        """A JSON-RPC notification (no reply, not even an error); False, and nothing sent, unless open."""
        if self.state != "open":
            return False
        self._spawn(self._send({"jsonrpc": "2.0", "method": method, "params": params}, quiet=True))
        return True

    async def close(self) -> None:
        self._set_state("closed")
        self._ready.set()
        if self._retry_task is not None:
            self._retry_task.cancel()
        self._fail_in_flight(ConnectionLostError("the client is closed"))
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        for task in list(self._tasks):
            task.cancel()

    async def wait_open(self) -> None:
        while self.state != "open" and self.state != "closed":
            await self._ready.wait()

    async def _send(self, message: dict[str, Any], quiet: bool = False) -> None:
        text = json.dumps(message, separators=(",", ":"))
        async with self._send_lock:
            ws = self._ws
            try:
                if ws is None:
                    raise ConnectionLostError("connection to the daemon was lost")
                await ws.send(text)
            except Exception as error:
                if quiet:
                    return
                if isinstance(error, ConnectionLostError):
                    raise
                raise ConnectionLostError(f"connection to the daemon was lost: {error}") from error

    async def _dial(self) -> None:
        endpoint = self._endpoint()
        options: dict[str, Any] = {_HEADERS_ARG: {"Authorization": f"Bearer {endpoint.token}"}, "compression": None, "max_size": None}
        try:
            ws = await _connect(endpoint.url, **options)
        except OSError as error:
            raise ConnectionLostError(f"cannot reach the daemon at {endpoint.url}: {error}") from error
        except Exception as error:  # an HTTP refusal (401), a bad handshake
            raise ConnectionLostError(f"daemon refused the connection: {error}") from error
        self._ws = ws
        self._spawn(self._read(ws))
        try:
            await self._on_open()
        except BaseException:
            if self._ws is ws:
                self._ws = None
            with contextlib.suppress(Exception):
                await ws.close()
            raise
        if self._ws is not ws or self.state == "closed":
            # dropped (or closed) while saying hello: this socket is no longer the link
            with contextlib.suppress(Exception):
                await ws.close()
            return
        self._set_state("open")
        self._ready.set()

    async def _read(self, ws: Any) -> None:
        with contextlib.suppress(Exception):
            async for text in ws:
                self._receive(text)
        if self._ws is not ws:
            return
        self._ws = None
        self._ready.clear()
        self._fail_in_flight(ConnectionLostError("connection to the daemon was lost"))
        if self.state == "closed":
            return
        if self._reconnect is False:
            await self.close()
            return
        self._set_state("reconnecting")
        # A link that drops while a redial is saying hello on it: that redial goes on, not a second one.
        if self._retry_task is None or self._retry_task.done():
            self._retry_task = asyncio.ensure_future(self._redial())

    async def _redial(self) -> None:
        backoff = self._reconnect if isinstance(self._reconnect, Backoff) else Backoff()
        attempt = 0
        while self.state != "closed":
            await asyncio.sleep(backoff_delay_s(attempt, backoff))
            attempt += 1
            try:
                await self._dial()
                return
            except Exception:
                continue  # the daemon is not back yet (or its endpoint moved): again, later

    def _receive(self, text: str | bytes) -> None:
        try:
            messages = json.loads(text)
        except ValueError:
            return
        for message in messages if isinstance(messages, list) else [messages]:
            if not isinstance(message, dict):
                continue
            if "method" in message:
                self._on_notification(message["method"], message.get("params"))
                continue
            request_id = message.get("id")
            future = self._pending.get(request_id) if isinstance(request_id, int) else None
            if future is None or future.done():
                continue
            if "error" in message:
                future.set_exception(error_from_wire(message["error"]))
            else:
                future.set_result(message.get("result"))

    def _fail_in_flight(self, error: Exception) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        self._pending.clear()

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _set_state(self, state: ConnectionState) -> None:
        if self.state == state or self.state == "closed":
            return
        self.state = state
        self._on_state(state)
