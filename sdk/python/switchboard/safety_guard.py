"""
SafetyGuard (as client/safety-guard.ts): a local view of the open circuit breakers and spent
budgets, so that `dispatch(..., guard=guard)` refuses a call the daemon would refuse anyway,
without a round trip and without running the body. It subscribes to the `safety` topic first, then
loads breaker.list and budget.list (so no change falls between the two), applies the pushes, and
loads again whenever pushes may have been missed (a reconnect, a seq gap).

A half-open breaker is not refused here: its trial calls go through and the daemon counts their
outcomes. An open breaker whose retryAt has passed (by this machine's clock) is treated as
half-open before its event arrives.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .aio import AsyncClient
from .events import AsyncSubscription, Event

if TYPE_CHECKING:
    from .client import Client

T = TypeVar("T")


def _iso(epoch_ms: float) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, timezone.utc).isoformat()


class BreakerOpenError(Exception):
    """The agent's or the tool's circuit breaker is open: the body did not run."""

    def __init__(self, breaker: str, retry_at: int | None) -> None:
        super().__init__(f"breaker {breaker} is open" + ("" if retry_at is None else f" until {_iso(retry_at)}"))
        self.breaker = breaker
        #: When the breaker lets trial calls through (epoch ms).
        self.retry_at = retry_at


class BudgetExceededError(Exception):
    """The agent's or the workflow's budget is spent for this period: the body did not run."""

    def __init__(self, scope: str, resets_at: int) -> None:
        super().__init__(f"budget {scope} is spent until {_iso(resets_at)}")
        self.scope = scope
        #: When the period ends and the budget is whole again (epoch ms).
        self.resets_at = resets_at


class SafetyGuard:
    """
    `guard = SafetyGuard.start(client)` on a sync Client, `guard = await SafetyGuard.start(aclient)`
    on an AsyncClient; then `client.dispatch(..., guard=guard)`, or `guard.refusal(...)` directly.
    Close it with `guard.close()` (awaited for an AsyncClient's), or use it as a (async) context manager.
    """

    def __init__(self, client: AsyncClient, run: Callable[[Awaitable[Any]], Any] | None = None) -> None:
        self._client = client
        # set for a guard of the sync Client: how its close() waits for the client's loop
        self._run = run
        # replaced whole, never changed in place, since refusal() may read them from another thread
        self._open: dict[str, dict[str, Any]] = {}
        self._spent: dict[str, dict[str, Any]] = {}
        self._subscription: AsyncSubscription | None = None
        #: Pushes that came while a snapshot was loading: applied on top of it.
        self._queued: list[Event] | None = None
        self._loading: asyncio.Future[None] | None = None
        self._listeners: list[Callable[[], Any]] = []

    @overload
    @staticmethod
    def start(client: Client) -> SafetyGuard: ...
    @overload
    @staticmethod
    def start(client: AsyncClient) -> Awaitable[SafetyGuard]: ...
    @staticmethod
    def start(client: Client | AsyncClient) -> SafetyGuard | Awaitable[SafetyGuard]:
        """Subscribes, then loads the snapshot: the guard once its view is current."""
        if isinstance(client, AsyncClient):
            return SafetyGuard(client)._started()
        return client.run(SafetyGuard(client.aio, client.run)._started())

    def refusal(self, agent: str, action_type: str, workflow_id: str | None = None, tool: str | None = None) -> BreakerOpenError | BudgetExceededError | None:
        """
        Why this call must not run now, or None. `tool` (name or name:version), when the action
        calls one, is checked besides `action_type`: its breaker is the one policy.check consults.
        """
        now = time.time() * 1000
        tool_name = None if tool is None else tool.split(":")[0]
        tools = [action_type] if tool_name in (None, action_type) else [action_type, tool_name]
        opened = self._open
        for name in [f"agent:{agent}", *(f"tool:{t}" for t in tools)]:
            breaker = opened.get(name)
            if breaker is not None and (breaker.get("retryAt") is None or breaker["retryAt"] > now):
                return BreakerOpenError(name, breaker.get("retryAt"))
        spent = self._spent
        for scope in [f"agent:{agent}", *([] if workflow_id is None else [f"workflow:{workflow_id}"])]:
            budget = spent.get(scope)
            resets_at = 0 if budget is None else budget["periodStart"] + budget["periodSeconds"] * 1000
            if budget is not None and resets_at > now:
                return BudgetExceededError(scope, resets_at)
        return None

    def on_change(self, listener: Callable[[], Any]) -> None:
        """Calls listener (on the client's event loop) after each update of the view: a snapshot loaded, an event applied."""
        self._listeners.append(listener)

    async def aclose(self) -> None:
        if self._subscription is not None:
            await self._subscription.unsubscribe()

    def close(self) -> Any:
        """Unsubscribes: returns once done for a sync Client's guard, an awaitable for an AsyncClient's."""
        return self.aclose() if self._run is None else self._run(self.aclose())

    def __enter__(self) -> SafetyGuard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> SafetyGuard:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _started(self) -> SafetyGuard:
        self._queued = []
        self._subscription = await self._client.subscribe(["safety"], self._on_event, on_resync=self._reload)
        await self._reload()
        return self

    def _reload(self) -> Awaitable[None]:
        """Loads a snapshot after any still loading (a resync may come while the first one loads)."""
        if self._queued is None:
            self._queued = []
        loaded = asyncio.ensure_future(self._load_after(self._loading))
        # a resync's failed load is retried by the next resync: not an unhandled error meanwhile
        loaded.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._loading = loaded
        return loaded

    async def _load_after(self, previous: asyncio.Future[None] | None) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        if self._queued is None:
            self._queued = []
        breakers, budgets = await asyncio.gather(self._client.breakers.list(), self._client.budgets.list())
        self._open = {b["name"]: b for b in breakers if b["state"] == "open"}
        self._spent = {b["scope"]: b for b in budgets if b["state"] == "exceeded"}
        queued, self._queued = self._queued, None
        for event in queued:
            self._apply(event)
        self._changed()

    def _on_event(self, event: Event) -> None:
        if self._queued is not None:
            self._queued.append(event)
        else:
            self._apply(event)
            self._changed()

    def _apply(self, event: Event) -> None:
        if event.topic != "safety":
            return
        if event.type in ("breaker.opened", "breaker.half_open", "breaker.closed"):
            self._open = _with(self._open, event.data["name"], event.data, event.data["state"] == "open")
        elif event.type in ("budget.exceeded", "budget.changed"):
            self._spent = _with(self._spent, event.data["scope"], event.data, event.data["state"] == "exceeded")

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()


def _with(view: dict[str, dict[str, Any]], key: str, value: dict[str, Any], kept: bool) -> dict[str, dict[str, Any]]:
    """A copy of the view with the key set to value (kept) or left out."""
    changed = {k: v for k, v in view.items() if k != key}
    if kept:
        changed[key] = value
    return changed
