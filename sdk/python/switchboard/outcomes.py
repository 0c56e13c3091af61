"""
Sends outcome records in the background until stored (as client/dispatch.ts): a lost reply or a
busy daemon sends it again — the eventId, an idempotency key, keeps it recorded once — and a
refusal is handed to `on_error`. At most `max_buffered` wait for their reply; more are dropped and counted.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Callable

from .errors import ConnectionLostError, RateLimitedError

if TYPE_CHECKING:
    from .aio import AsyncClient


class OutcomeRecorder:
    def __init__(self, client: AsyncClient, max_buffered: int = 10_000) -> None:
        self.max_buffered = max_buffered
        #: Outcomes dropped because max_buffered were waiting for their reply (a long outage).
        self.dropped = 0
        #: Called with (error, outcome params) for an outcome the daemon refused (it is not sent again).
        self.on_error: Callable[[Exception, dict[str, Any]], None] | None = None
        self._client = client
        self._unanswered: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._unanswered)

    def record(self, outcome: dict[str, Any]) -> None:
        """Must run on the client's event loop."""
        if len(self._unanswered) >= self.max_buffered:
            self.dropped += 1
            return
        task = asyncio.ensure_future(self._send(outcome))
        self._unanswered.add(task)
        task.add_done_callback(self._unanswered.discard)

    async def flush(self) -> None:
        """Returns once every outcome recorded so far is stored (or refused)."""
        while self._unanswered:
            await asyncio.gather(*self._unanswered, return_exceptions=True)

    async def _send(self, outcome: dict[str, Any]) -> None:
        while True:
            try:
                await self._client.call("outcome.record", outcome)
                return
            except RateLimitedError as error:
                await asyncio.sleep(float((error.data or {}).get("retryAfterMs", 100)) / 1000)
            except ConnectionLostError as error:
                if self._client.state == "closed":
                    self._refused(error, outcome)
                    return
                await asyncio.sleep(0)  # the call itself waits for the connection to open again
            except Exception as error:
                self._refused(error, outcome)
                return

    def _refused(self, error: Exception, outcome: dict[str, Any]) -> None:
        if self.on_error is not None:
            self.on_error(error, outcome)
