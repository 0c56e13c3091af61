"""
Locks and semaphore permits held for a block (as client/coordination.ts): acquired (waiting up to
wait_ms), renewed in the background every third of the ttl, released after. If the lease is lost
while the block runs (a renewal refused, or none succeeded in time), `lost` is set — stop touching
the resource — and leaving the block raises LeaseLostError.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import ConflictError, LeaseLostError, NotAcquiredError

if TYPE_CHECKING:
    from .aio import AsyncClient

DEFAULT_TTL_MS = 30_000
DEFAULT_WAIT_MS = 10_000
H = TypeVar("H")


@dataclass
class Lease:
    """What the block gets: the Lock or Permit as the daemon answered it, and `lost`, set when the lease is gone."""

    granted: dict[str, Any]
    #: An asyncio.Event in `async with`, a threading.Event in `with`.
    lost: Any
    why_lost: str | None = None

    @property
    def fencing_token(self) -> int | None:
        """A lock's fencing token: pass it to every resource the lock guards, which must refuse a token lower than one it has seen."""
        return self.granted.get("fencingToken")


@dataclass(frozen=True)
class _Grant:
    acquire: Callable[[], Awaitable[Any]]
    renew: Callable[[dict[str, Any]], Awaitable[Any]]
    release: Callable[[dict[str, Any]], Awaitable[Any]]
    name: str
    ttl_ms: int
    renew_every_ms: float | None = None


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lock_grant(client: AsyncClient, name: str, ttl_ms: int, wait_ms: int, owner: str | None, renew_every_ms: float | None) -> _Grant:
    who = owner or default_owner()
    return _Grant(
        acquire=lambda: client.call("lock.acquire", {"name": name, "owner": who, "ttlMs": ttl_ms, "waitMs": wait_ms}),
        renew=lambda lock: client.call("lock.renew", {"name": name, "owner": who, "fencingToken": lock["fencingToken"], "ttlMs": ttl_ms}),
        release=lambda lock: client.call("lock.release", {"name": name, "owner": who, "fencingToken": lock["fencingToken"]}),
        name=name,
        ttl_ms=ttl_ms,
        renew_every_ms=renew_every_ms,
    )


def permit_grant(client: AsyncClient, name: str, limit: int, ttl_ms: int, wait_ms: int, owner: str | None, renew_every_ms: float | None) -> _Grant:
    who = owner or default_owner()
    return _Grant(
        acquire=lambda: client.call("semaphore.acquire", {"name": name, "owner": who, "limit": limit, "ttlMs": ttl_ms, "waitMs": wait_ms}),
        renew=lambda permit: client.call("semaphore.renew", {"name": name, "permitId": permit["permitId"], "ttlMs": ttl_ms}),
        release=lambda permit: client.call("semaphore.release", {"name": name, "permitId": permit["permitId"]}),
        name=name,
        ttl_ms=ttl_ms,
        renew_every_ms=renew_every_ms,
    )


class HeldLease:
    """Acquire, renew and release on the client's loop; `lost` is whatever Event the caller's side waits on."""

    def __init__(self, grant: _Grant, lost: Any, set_lost: Callable[[], None]) -> None:
        self._grant = grant
        self._set_lost = set_lost
        self._renewing: asyncio.Task[None] | None = None
        self.lease: Lease | None = None
        self._lost = lost

    async def acquire(self) -> Lease:
        granted = await self._grant.acquire()
        if granted is None:
            raise NotAcquiredError(self._grant.name)
        self.lease = Lease(granted, self._lost)
        self._renewing = asyncio.ensure_future(self._renew_forever(granted))
        return self.lease

    async def release(self) -> None:
        if self._renewing is not None:
            self._renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewing
        if self.lease is not None and self.lease.why_lost is None:
            # a release that fails (the daemon unreachable) leaves the lease to run out by itself
            with contextlib.suppress(Exception):
                await self._grant.release(self.lease.granted)

    def raise_if_lost(self) -> None:
        if self.lease is not None and self.lease.why_lost is not None:
            raise LeaseLostError(self.lease.why_lost)

    async def _renew_forever(self, granted: dict[str, Any]) -> None:
        ttl_s = self._grant.ttl_ms / 1000
        every_s = (self._grant.renew_every_ms or self._grant.ttl_ms / 3) / 1000
        # counted on this clock from when the call was sent: errs on the early side
        ends_at = time.monotonic() + ttl_s
        while True:
            await asyncio.sleep(every_s)
            if time.monotonic() >= ends_at:
                return self._lose("the lease ran out before a renewal succeeded")
            sent_at = time.monotonic()
            try:
                await self._grant.renew(granted)
                ends_at = sent_at + ttl_s
            except ConflictError as error:
                return self._lose(error.message)
            except Exception:
                continue  # a dropped connection: the next tick tries again while the lease lasts

    def _lose(self, why: str) -> None:
        assert self.lease is not None
        self.lease.why_lost = why
        self._set_lost()


@contextlib.asynccontextmanager
async def hold_async(grant: _Grant) -> AsyncIterator[Lease]:
    lost = asyncio.Event()
    held = HeldLease(grant, lost, lost.set)
    lease = await held.acquire()
    try:
        yield lease
    finally:
        await held.release()
    held.raise_if_lost()


@contextlib.contextmanager
def hold_sync(run: Callable[[Awaitable[Any]], Any], grant: _Grant) -> Iterator[Lease]:
    """The same on a sync client: `run` runs a coroutine on the client's loop; `lost` is a threading.Event."""
    lost = threading.Event()
    held = HeldLease(grant, lost, lost.set)
    lease = run(held.acquire())
    try:
        yield lease
    finally:
        run(held.release())
    held.raise_if_lost()


class Leasing(Generic[H]):
    """`client.lock(...)` and `client.permit(...)`, for both clients: `with` on Client, `async with` on AsyncClient."""

    def _hold(self, grant: _Grant) -> H:
        raise NotImplementedError

    def _async_client(self) -> AsyncClient:
        raise NotImplementedError

    def lock(self, name: str, *, ttl_ms: int = DEFAULT_TTL_MS, wait_ms: int = DEFAULT_WAIT_MS, owner: str | None = None, renew_every_ms: float | None = None) -> H:
        """`with client.lock("deploy") as lease:` — NotAcquiredError if not granted within wait_ms; LeaseLostError on leaving if it was lost."""
        return self._hold(lock_grant(self._async_client(), name, ttl_ms, wait_ms, owner, renew_every_ms))

    def permit(
        self, name: str, limit: int, *, ttl_ms: int = DEFAULT_TTL_MS, wait_ms: int = DEFAULT_WAIT_MS, owner: str | None = None, renew_every_ms: float | None = None
    ) -> H:
        """`with client.permit("gpu", 2) as lease:` — one of `limit` permits of a semaphore, held for the block."""
        return self._hold(permit_grant(self._async_client(), name, limit, ttl_ms, wait_ms, owner, renew_every_ms))
