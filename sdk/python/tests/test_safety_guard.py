"""SafetyGuard against a real daemon: refusing without running the body while a breaker is open or a budget spent, recovering, reloading."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from conftest import Daemon, RedisServer, fresh, running_daemon, wait_until
from switchboard import AsyncClient, Backoff, BreakerOpenError, BudgetExceededError, Client, SafetyGuard

# the breaker settings of this module's own Redis (policy.set's `breakers`): two failures open one
OPEN_AFTER = 2


@pytest.fixture(scope="module")
def safety_redis() -> Iterator[RedisServer]:
    # its own Redis: the policy's breaker settings apply to every daemon on a Redis
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def guarded(safety_redis: RedisServer) -> Iterator[Daemon]:
    yield from running_daemon(safety_redis)


@pytest.fixture
def admin(guarded: Daemon) -> Iterator[Client]:
    with Client.connect(state_dir=guarded.state_dir) as client:
        yield client


def set_breakers(admin: Client, **settings: int) -> None:
    admin.policy.set(expected_version=admin.policy.get()["version"], policy={"agents": [{"agent": "*", "allow": ["*"]}], "breakers": settings})


def fail(admin: Client, agent: str, action_type: str, times: int = OPEN_AFTER) -> None:
    for _ in range(times):
        admin.outcomes.record(agent_name=agent, action_type=action_type, status="failure", duration_ms=1)


@pytest.fixture(autouse=True)
def breaker_settings(admin: Client) -> None:
    set_breakers(admin, consecutiveFailures=OPEN_AFTER)


def test_refuses_without_running_while_a_breaker_is_open_and_runs_after_a_reset(admin: Client, guarded: Daemon) -> None:
    agent, action = fresh("py-guarded"), fresh("py-fetch")
    with Client.connect(state_dir=guarded.state_dir) as client, SafetyGuard.start(client) as guard:
        assert guard.refusal(agent, "search") is None
        fail(admin, agent, action)
        refused = wait_until(lambda: guard.refusal(agent, "search"), what="the breaker open in the guard's view")
        assert isinstance(refused, BreakerOpenError) and refused.breaker == f"agent:{agent}"
        assert refused.retry_at is not None and refused.retry_at > time.time() * 1000
        # the tool breaker opened too: for any agent whose action calls that tool (name:version)
        by_tool = guard.refusal(fresh("py-other"), "llm.call", tool=f"{action}:1.0.0")
        assert isinstance(by_tool, BreakerOpenError) and by_tool.breaker == f"tool:{action}"

        ran: list[str] = []

        @client.dispatch(agent, "search", guard=guard)
        def search() -> str:
            ran.append("decorated")
            return "found"

        with pytest.raises(BreakerOpenError):
            search()
        with pytest.raises(BreakerOpenError):
            with client.dispatch(agent, "search", guard=guard):
                ran.append("with")
        assert ran == []
        client.flush_outcomes()
        recorded = client.outcomes.recent(agent_name=agent, count=20)
        assert [o["status"] for o in recorded] == ["failure"] * OPEN_AFTER, "a refusal records nothing"
        with client.dispatch(fresh("py-other"), "search", guard=guard) as other:
            other.output = "fine"
        assert other.result is not None and other.result.status == "success"

        admin.breakers.reset(name=f"agent:{agent}")
        wait_until(lambda: guard.refusal(agent, "search") is None, what="the reset in the guard's view")
        assert search() == "found" and ran == ["decorated"]


def test_an_open_breaker_past_its_retry_at_lets_calls_through(admin: Client, safety_redis: RedisServer) -> None:
    set_breakers(admin, consecutiveFailures=OPEN_AFTER, coolDownSeconds=1)
    agent = fresh("py-cooling")
    for watched in running_daemon(safety_redis):
        with Client.connect(state_dir=watched.state_dir, reconnect=False) as client, SafetyGuard.start(client) as guard:
            fail(admin, agent, fresh("py-tool"))
            refused = wait_until(lambda: guard.refusal(agent, "x"), what="the breaker open in the guard's view")
            assert isinstance(refused, BreakerOpenError) and refused.retry_at is not None
            # no daemon, so no breaker.half_open event: only the guard's own clock lets the call through
            watched.stop()
            wait_until(lambda: guard.refusal(agent, "x") is None, what="the call let through after retryAt")
            assert time.time() * 1000 >= refused.retry_at


def test_a_spent_budget_refuses_in_its_workflow_until_raised_asyncio(admin: Client, guarded: Daemon) -> None:
    workflow, agent = fresh("py-wf"), fresh("py-budgeted")
    admin.budgets.set(scope=f"workflow:{workflow}", tokens=100, period_seconds=3600)

    async def main() -> None:
        async with AsyncClient.connect(state_dir=guarded.state_dir) as client, await SafetyGuard.start(client) as guard:
            spent, whole = asyncio.Event(), asyncio.Event()

            def watch() -> None:
                (whole if guard.refusal(agent, "llm.call", workflow) is None else spent).set()

            guard.on_change(watch)
            async with client.dispatch(agent, "llm.call", workflow_id=workflow, guard=guard) as action:
                action.report(tokens_used=100)
            await asyncio.wait_for(spent.wait(), 5)
            refused = guard.refusal(agent, "llm.call", workflow)
            assert isinstance(refused, BudgetExceededError) and refused.scope == f"workflow:{workflow}"
            assert refused.resets_at % 3_600_000 == 0, "the end of the aligned period"

            ran: list[bool] = []

            @client.dispatch(agent, "llm.call", workflow_id=workflow, guard=guard)
            async def call() -> str:
                ran.append(True)
                return "more"

            with pytest.raises(BudgetExceededError):
                await call()
            assert ran == []
            async with client.dispatch(agent, "llm.call", guard=guard) as outside:
                outside.output = "no workflow"
            assert outside.result is not None and outside.result.status == "success"

            whole.clear()
            await client.budgets.set(scope=f"workflow:{workflow}", tokens=1000, period_seconds=3600)
            await asyncio.wait_for(whole.wait(), 5)
            assert await call() == "more" and ran == [True]

    asyncio.run(main())


def test_loads_what_is_open_or_spent_when_it_starts(admin: Client, guarded: Daemon) -> None:
    agent, tool, spender = fresh("py-pre"), fresh("py-pre-tool"), fresh("py-spender")
    fail(admin, agent, tool)
    admin.budgets.set(scope=f"agent:{spender}", tokens=1, period_seconds=3600)
    admin.outcomes.record(agent_name=spender, action_type="llm.call", status="success", duration_ms=1, tokens_used=1)
    wait_until(lambda: any(b["scope"] == f"agent:{spender}" and b["state"] == "exceeded" for b in admin.budgets.list()), what="the budget spent")
    wait_until(lambda: any(b["name"] == f"tool:{tool}" and b["state"] == "open" for b in admin.breakers.list()), what="the breaker open")
    with Client.connect(state_dir=guarded.state_dir) as client, SafetyGuard.start(client) as guard:
        assert isinstance(guard.refusal(fresh("py-someone"), tool), BreakerOpenError), "the tool breaker, for any agent"
        assert isinstance(guard.refusal(spender, "llm.call"), BudgetExceededError)
        assert guard.refusal(fresh("py-someone"), "llm.call") is None


def test_reloads_after_a_reconnect_catching_up_with_what_it_missed(admin: Client, safety_redis: RedisServer) -> None:
    agent = fresh("py-resynced")
    for watched in running_daemon(safety_redis):
        with Client.connect(state_dir=watched.state_dir, reconnect=Backoff(initial_delay_ms=20, max_delay_ms=200)) as client, SafetyGuard.start(client) as guard:
            fail(admin, agent, fresh("py-r-tool"))
            wait_until(lambda: guard.refusal(agent, "x"), what="the breaker open in the guard's view")
            reconnected = threading.Event()
            client.on("reconnected", reconnected.set)
            watched.stop()
            admin.breakers.reset(name=f"agent:{agent}")  # through the other daemon: its event never reaches the guard
            watched.restart()
            assert reconnected.wait(10), "reconnected"
            wait_until(lambda: guard.refusal(agent, "x") is None, what="the reset seen after the reload")
