"""Heartbeat: starts the agent, beats with its latest report, stops it; registers again when its record is gone."""

from __future__ import annotations

import asyncio

import pytest

from conftest import Daemon, RedisServer, fresh, wait_until
from switchboard import AsyncClient, AsyncHeartbeat, Client, Heartbeat


def test_starts_beats_with_the_latest_report_and_stops(client: Client) -> None:
    agent = fresh("py-hb")
    with Heartbeat(client, agent, ttl_seconds=5, metadata={"role": "tester"}) as hb:
        status = client.agents.get(agent_id=agent)
        assert status["status"] == "starting" and status["metadata"] == {"role": "tester"}
        hb.update(progress=0.25, current_task="step one")
        status = client.agents.get(agent_id=agent)
        assert (status["status"], status["progress"], status["currentTask"]) == ("running", 0.25, "step one")
    assert client.agents.get(agent_id=agent)["status"] == "completed"


def test_a_block_that_raises_stops_the_agent_failed(client: Client) -> None:
    agent = fresh("py-hb-fail")
    with pytest.raises(RuntimeError):
        with Heartbeat(client, agent):
            raise RuntimeError("boom")
    assert client.agents.get(agent_id=agent)["status"] == "failed"


def test_keeps_beating_in_the_background(client: Client) -> None:
    agent = fresh("py-hb-bg")
    with Heartbeat(client, agent, ttl_seconds=3, interval_s=0.05):
        first = client.agents.get(agent_id=agent)["lastBeatAt"]
        wait_until(lambda: client.agents.get(agent_id=agent)["lastBeatAt"] > first, what="a background beat")


def test_registers_again_when_its_record_is_gone(client: Client, redis: RedisServer) -> None:
    agent = fresh("py-hb-gone")
    with Heartbeat(client, agent, ttl_seconds=5) as hb:
        redis.cli("FLUSHALL")
        assert client.agents.get(agent_id=agent) is None
        status = hb.beat()
        assert status["agentId"] == agent
        assert client.agents.get(agent_id=agent) is not None


def test_the_asyncio_heartbeat(daemon: Daemon) -> None:
    async def main() -> None:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:
            agent = fresh("py-ahb")
            async with AsyncHeartbeat(client, agent) as hb:
                await hb.update(progress=1.0)
                assert (await client.agents.get(agent_id=agent))["progress"] == 1.0
            assert (await client.agents.get(agent_id=agent))["status"] == "completed"

    asyncio.run(main())


def test_routine_beats_go_as_notifications_and_a_request_confirms_two_thirds_of_a_ttl_after_the_last(client: Client) -> None:
    agent = fresh("py-hb-notify")
    sent: list[str] = []
    call, notify = client.aio.call, client.aio.notify

    def counting_call(method: str, params: object = None):  # type: ignore[no-untyped-def]
        sent.append(f"request {method}")
        return call(method, params)  # type: ignore[arg-type]

    def counting_notify(method: str, params: object) -> bool:
        sent.append(f"notification {method}")
        return notify(method, params)  # type: ignore[arg-type]

    client.aio.call, client.aio.notify = counting_call, counting_notify  # type: ignore[method-assign]
    with Heartbeat(client, agent, ttl_seconds=1, interval_s=0.1):
        wait_until(lambda: sent.count("request agent.beat") >= 1 and sent.count("notification agent.beat") >= 4, what="beats of both kinds")
    beats = [s for s in sent if s.endswith("agent.beat")]
    assert beats[0] == "notification agent.beat", "the start was confirmed: the first routine beat is a notification"
    first_request = beats.index("request agent.beat")
    # a ttl of 1 s: a request once 0.67 s passed since the last, so five or six notifications (every 0.1 s) come before it
    assert 4 <= first_request <= 7, beats
