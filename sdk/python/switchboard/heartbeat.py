"""
Keeps an agent alive (as client/heartbeat.ts): starts it, beats on an interval with its latest
report, stops it at the end. Routine beats go as notifications (no reply frame); two thirds of a
ttl after the last request, and whenever the last one was not acknowledged (a reconnect, a
refusal), the beat is a request, whose answer says whether the record lapsed (then it registers again).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any, Callable, Literal

from ._methods import AGENT_TTL_SECONDS
from .errors import NotFoundError

if TYPE_CHECKING:
    from .aio import AsyncClient
    from .client import Client

FinalStatus = Literal["completed", "failed", "cancelled"]
_REPORT_FIELDS = {"status": "status", "progress": "progress", "current_task": "currentTask", "metadata": "metadata"}


class AsyncHeartbeat:
    def __init__(
        self,
        client: AsyncClient,
        agent_id: str,
        *,
        ttl_seconds: int = AGENT_TTL_SECONDS,
        metadata: dict[str, Any] | None = None,
        interval_s: float | None = None,
    ) -> None:
        self.agent_id = agent_id
        #: Called with an error a background beat met (the next beat tries again).
        self.on_error: Callable[[Exception], None] | None = None
        self._client = client
        self._ttl_seconds = ttl_seconds
        self._metadata = metadata
        # a third of the ttl: two beats may be lost before the agent expires
        self._interval_s = interval_s if interval_s is not None else ttl_seconds / 3
        self._report: dict[str, Any] = {}
        self._last_request_at = float("-inf")
        self._confirmed = False
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> dict[str, Any]:
        """Registers the agent and starts beating; its AgentStatus."""
        status = await self._register()
        self._client.on("state", self._on_state)
        self._task = asyncio.ensure_future(self._beat_forever())
        return status

    async def update(self, **report: Any) -> dict[str, Any]:
        """Changes what the next beats report (status, progress, current_task, metadata); beats now so the editor sees it at once."""
        for name, value in report.items():
            if name not in _REPORT_FIELDS:
                raise TypeError(f"update() got an unexpected field {name!r} (one of {', '.join(_REPORT_FIELDS)})")
            self._report[_REPORT_FIELDS[name]] = value
        return await self.beat()

    async def beat(self) -> dict[str, Any]:
        """Beats now as a request (registering again if the record lapsed)."""
        self._last_request_at = time.monotonic()
        try:
            status: dict[str, Any] = await self._client.call("agent.beat", {"agentId": self.agent_id, **self._report})
        except NotFoundError:
            self._confirmed = False
            return await self._register()  # the record lapsed (a long sleep): register again rather than die
        except Exception:
            self._confirmed = False
            raise
        self._confirmed = True
        return status

    async def stop(self, final_status: FinalStatus = "completed") -> dict[str, Any]:
        if self._task is not None:
            self._stopping = True  # the loop ends at its next turn even if the cancel were lost
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(ValueError):
            self._client.off("state", self._on_state)
        result: dict[str, Any] = await self._client.call("agent.stop", {"agentId": self.agent_id, "finalStatus": final_status})
        return result

    async def __aenter__(self) -> AsyncHeartbeat:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        await self.stop("completed" if kind is None else "failed")

    def _on_state(self, _state: str) -> None:
        self._confirmed = False

    async def _beat_forever(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self._interval_s)
            if self._stopping:
                return
            confirmed_recently = self._confirmed and time.monotonic() - self._last_request_at < self._ttl_seconds * 2 / 3
            if confirmed_recently and self._client.notify("agent.beat", {"agentId": self.agent_id, **self._report}):
                continue
            try:
                await self.beat()
            except Exception as error:
                if self.on_error is not None:
                    self.on_error(error)

    async def _register(self) -> dict[str, Any]:
        self._last_request_at = time.monotonic()
        params: dict[str, Any] = {"agentId": self.agent_id, "ttlSeconds": self._ttl_seconds}
        if self._metadata is not None:
            params["metadata"] = self._metadata
        status: dict[str, Any] = await self._client.call("agent.start", params)
        self._confirmed = True
        return status


class Heartbeat:
    """The sync Heartbeat: `with Heartbeat(client, "my-agent") as hb: hb.update(progress=0.5)`; stopped `failed` if the block raises."""

    def __init__(self, client: Client, agent_id: str, **options: Any) -> None:
        self._client = client
        self._beating = AsyncHeartbeat(client.aio, agent_id, **options)
        self.agent_id = agent_id

    @property
    def on_error(self) -> Callable[[Exception], None] | None:
        return self._beating.on_error

    @on_error.setter
    def on_error(self, callback: Callable[[Exception], None] | None) -> None:
        self._beating.on_error = None if callback is None else self._client.relay(callback)

    def start(self) -> dict[str, Any]:
        return self._client.run(self._beating.start())

    def update(self, **report: Any) -> dict[str, Any]:
        return self._client.run(self._beating.update(**report))

    def beat(self) -> dict[str, Any]:
        return self._client.run(self._beating.beat())

    def stop(self, final_status: FinalStatus = "completed") -> dict[str, Any]:
        return self._client.run(self._beating.stop(final_status))

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.stop("completed" if kind is None else "failed")
