"""A restarted daemon (new port, new daemon.json): the client finds it again, resubscribes, and what was waiting goes through."""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any

from conftest import Daemon, fresh, wait_until
from switchboard import AsyncClient, Backoff, Client


def test_restarting_the_daemon_brings_the_subscriptions_back(own_daemon: Daemon) -> None:
    kind = fresh("py-re")
    with Client.connect(state_dir=own_daemon.state_dir, reconnect=Backoff(initial_delay_ms=20, max_delay_ms=200)) as client:
        events: queue.Queue = queue.Queue()
        resyncs: queue.Queue = queue.Queue()
        reconnected: queue.Queue = queue.Queue()
        client.on("reconnected", lambda: reconnected.put(True))
        client.subscribe([f"events:{kind}"], events.put, on_resync=lambda: resyncs.put(True))
        client.events.publish(type=kind, data="before")
        assert events.get(timeout=5).data["data"] == "before"
        old_url = own_daemon.url

        own_daemon.restart()
        assert own_daemon.url != old_url, "the new daemon listens elsewhere: found through daemon.json again"
        assert reconnected.get(timeout=10)
        assert resyncs.get(timeout=5), "told that events may have been missed"
        assert client.state == "open"

        with Client.connect(state_dir=own_daemon.state_dir) as other:
            other.events.publish(type=kind, data="after")
        event = events.get(timeout=5)
        assert event.data["data"] == "after" and event.seq == 1, "pushed on the new subscription"


def test_outcomes_dispatched_while_the_daemon_is_down_are_recorded_once_it_is_back(own_daemon: Daemon) -> None:
    agent = fresh("py-down")
    with Client.connect(state_dir=own_daemon.state_dir, reconnect=Backoff(initial_delay_ms=20, max_delay_ms=200)) as client:
        own_daemon.stop()
        wait_until(lambda: client.state == "reconnecting", what="the client noticing the drop")
        for _ in range(3):
            with client.dispatch(agent, "offline-step"):
                pass
        own_daemon.restart()
        client.flush_outcomes()
        recorded = client.outcomes.recent(agent_name=agent, count=10)
        assert [o["actionType"] for o in recorded] == ["offline-step"] * 3


def test_an_approval_request_survives_a_daemon_restart_and_is_filed_once(own_daemon: Daemon) -> None:
    agent = fresh("py-approver")
    with Client.connect(state_dir=own_daemon.state_dir, reconnect=Backoff(initial_delay_ms=20, max_delay_ms=200)) as client:
        decided: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: decided.put(client.approvals.request(agent_id=agent, type="deploy", context={"v": 1})), daemon=True).start()
        with Client.connect(state_dir=own_daemon.state_dir) as human:
            wait_until(lambda: [a for a in human.approvals.pending() if a["agentId"] == agent], what="the request filed")
        own_daemon.restart()
        with Client.connect(state_dir=own_daemon.state_dir) as human:
            wait_until(lambda: client.state == "open", what="the client back")
            [request] = [a for a in human.approvals.pending() if a["agentId"] == agent]
            human.approvals.respond(request_id=request["requestId"], approved=True, responder="me")
        approval = decided.get(timeout=10)
        assert approval["status"] == "approved" and approval["requestId"] == request["requestId"]


def test_an_unsubscribe_made_while_its_resubscribe_is_on_its_way_leaves_nothing_on_the_daemon(own_daemon: Daemon) -> None:
    kind = fresh("py-gone")

    async def main() -> None:
        async with AsyncClient.connect(state_dir=own_daemon.state_dir, reconnect=Backoff(initial_delay_ms=20, max_delay_ms=200)) as client:
            kept: asyncio.Queue[Any] = asyncio.Queue()
            dropped: list[Any] = []
            await client.subscribe([f"events:{kind}"], kept.put_nowait)
            gone = await client.subscribe([f"events:{kind}"], dropped.append)
            # The moment: the second subscription's subscribe has been sent on the new connection.
            connection = client._connection
            call = connection.call
            subscribes: list[str] = []
            unsubscribing: list[asyncio.Task[None]] = []

            def watched(method: str, params: Any, **options: Any) -> Any:
                sent = call(method, params, **options)
                if method == "subscribe":
                    subscribes.append(method)
                    if len(subscribes) == 2:
                        unsubscribing.append(asyncio.ensure_future(gone.unsubscribe()))
                return sent

            connection.call = watched  # type: ignore[method-assign]
            reconnected = asyncio.Event()
            client.on("reconnected", reconnected.set)
            await asyncio.to_thread(own_daemon.restart)
            await asyncio.wait_for(reconnected.wait(), 10)
            await asyncio.gather(*unsubscribing)
            assert len(subscribes) == 2, "both subscriptions were being resubscribed"
            assert client._by_server_id.keys() == {s.server_id for s in client._subscriptions}
            assert len(client._subscriptions) == 1

            async with AsyncClient.connect(state_dir=own_daemon.state_dir) as other:
                await other.events.publish(type=kind, data="one")
                await other.events.publish(type=kind, data="two")
            assert (await asyncio.wait_for(kept.get(), 5)).data["data"] == "one"
            assert (await asyncio.wait_for(kept.get(), 5)).data["data"] == "two"
            assert dropped == [], "pushes come in order: the dropped subscription's copies would have come by now"

    asyncio.run(main())
