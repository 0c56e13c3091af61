"""client.lock / client.permit: fencing tokens, renewal, release, lost leases, waiting."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from conftest import Daemon, fresh
from switchboard import AsyncClient, Client, LeaseLostError, NotAcquiredError


def test_holds_the_lock_renewed_past_its_ttl_and_releases_it_after(client: Client) -> None:
    name = fresh("py-lock")
    with client.lock(name, ttl_ms=300) as lease:
        assert lease.fencing_token is not None and lease.fencing_token > 0
        time.sleep(0.8)  # past the ttl: only the renewals keep it
        assert client.locks.acquire(name=name, owner="other", ttl_ms=1000) is None
        assert not lease.lost.is_set()
    again = client.locks.acquire(name=name, owner="other", ttl_ms=1000)
    assert again is not None and again["fencingToken"] > lease.fencing_token


def test_a_lease_that_runs_out_unrenewed_sets_lost_and_raises_on_leaving(client: Client) -> None:
    name = fresh("py-lock-lost")
    with pytest.raises(LeaseLostError):
        with client.lock(name, ttl_ms=100, renew_every_ms=400) as lease:
            assert lease.lost.wait(5)


def test_not_acquired_when_held_past_wait_ms(client: Client) -> None:
    name = fresh("py-lock-held")
    assert client.locks.acquire(name=name, owner="holder", ttl_ms=5000)
    started = time.monotonic()
    with pytest.raises(NotAcquiredError):
        with client.lock(name, wait_ms=200):
            pytest.fail("ran without the lock")
    assert time.monotonic() - started >= 0.2


def test_a_one_permit_semaphore_runs_holders_one_after_another(client: Client, daemon: Daemon) -> None:
    name = fresh("py-sem")
    inside = 0
    most = 0
    guard = threading.Lock()

    def body(c: Client) -> None:
        nonlocal inside, most
        with c.permit(name, 1, wait_ms=5000):
            with guard:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            with guard:
                inside -= 1

    with Client.connect(state_dir=daemon.state_dir) as second:
        threads = [threading.Thread(target=body, args=(c,)) for c in (client, second, client)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert most == 1


def test_the_asyncio_lock(daemon: Daemon) -> None:
    async def main() -> None:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:
            name = fresh("py-alock")
            async with client.lock(name) as lease:
                held = await client.locks.list()
                assert any(lock["name"] == name and lock["fencingToken"] == lease.fencing_token for lock in held)
            assert not any(lock["name"] == name for lock in await client.locks.list())

    asyncio.run(main())
