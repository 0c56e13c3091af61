"""The client against a real daemon: methods, errors, discovery, blocking calls, subscriptions, the asyncio client."""

from __future__ import annotations

import asyncio
import inspect
import queue
import threading

import pytest

from conftest import Daemon, fresh
from switchboard import (
    AsyncClient,
    Client,
    ConnectionLostError,
    DaemonNotFoundError,
    Event,
    InvalidParamsError,
    NotFoundError,
    SwitchboardError,
    discover_daemon,
)
from switchboard._methods import METHOD_PARAMS, NAMESPACES

CLIENT_LEVEL = {"hello", "subscribe", "unsubscribe"}


def test_one_keyword_method_per_rpc_method(client: Client) -> None:
    reachable = set()
    for field, cls in NAMESPACES.items():
        namespace = getattr(client, field)
        for name, fn in inspect.getmembers(type(namespace), inspect.isfunction):
            if name.startswith("_"):
                continue
            source = inspect.getsource(fn)
            method = source.split('self._call("', 1)[1].split('"', 1)[0]
            reachable.add(method)
            assert name == name.lower(), f"{field}.{name} is snake_case"
            params = inspect.signature(fn).parameters
            assert all(p.kind is p.KEYWORD_ONLY for n, p in params.items() if n != "self"), f"{method} takes keywords"
            assert len(params) - 1 == len(METHOD_PARAMS[method]), f"{method}: one keyword per param"
    assert reachable | CLIENT_LEVEL == set(METHOD_PARAMS)
    assert client.signals.send.__doc__ and "from_: sending agent id" in client.signals.send.__doc__


def test_calls_answer_dicts_and_omit_params_not_given(client: Client) -> None:
    agent = fresh("py-agent")
    started = client.agents.start(agent_id=agent, metadata={"lang": "python"})
    assert started["agentId"] == agent and started["status"] == "starting"
    beat = client.agents.beat(agent_id=agent, progress=0.5, current_task="reading")
    assert beat["progress"] == 0.5 and beat["currentTask"] == "reading"
    cleared = client.agents.beat(agent_id=agent, current_task=None)
    assert cleared["currentTask"] is None, "None is sent (it clears); UNSET is left out"
    assert client.daemon is not None and "maxValueBytes" in client.daemon["limits"]


def test_errors_are_a_switchboard_error_hierarchy(client: Client) -> None:
    with pytest.raises(InvalidParamsError) as bad:
        client.agents.start(agent_id="has spaces")
    assert bad.value.code == -32602
    assert bad.value.data is not None and bad.value.data["field"] == "agentId" and bad.value.data["rule"]
    with pytest.raises(NotFoundError) as missing:
        client.approvals.respond(request_id=fresh("nope"), approved=True, responder="me")
    assert isinstance(missing.value, SwitchboardError) and missing.value.code == -32002


def test_discovery_reads_the_state_dir_and_env(daemon: Daemon, tmp_path) -> None:
    found = discover_daemon(state_dir=daemon.state_dir, env={})
    assert (found.url, found.token) == (daemon.url, daemon.token)
    assert discover_daemon(env={"SWITCHBOARD_STATE_DIR": daemon.state_dir}).url == daemon.url
    assert discover_daemon(env={"SWITCHBOARD_URL": "ws://x", "SWITCHBOARD_TOKEN": "t"}).url == "ws://x"
    with pytest.raises(DaemonNotFoundError, match="daemon.json is missing"):
        discover_daemon(state_dir=tmp_path, env={})
    with pytest.raises(ConnectionLostError, match="refused"):
        Client.connect(url=daemon.url, token="0" * 64)


def test_a_blocking_wait_is_woken_by_a_signal_from_another_client(client: Client, daemon: Daemon) -> None:
    agent = fresh("waiter")
    got: queue.Queue = queue.Queue()
    waiting = threading.Thread(target=lambda: got.put(client.signals.wait(agent_id=agent, timeout_ms=10_000)))
    waiting.start()
    with Client.connect(state_dir=daemon.state_dir) as other:
        # the waiter may not have reached the daemon yet: the signal waits for it either way
        other.signals.send(from_="sender", to=agent, type="go", payload={"n": 1})
    signal = got.get(timeout=10)
    waiting.join()
    assert signal["type"] == "go" and signal["payload"] == {"n": 1} and signal["source"] == "sender"
    assert client.signals.wait(agent_id=agent, timeout_ms=50) is None


def test_subscriptions_hand_events_to_a_handler_or_an_iterator(client: Client) -> None:
    kind = fresh("py-evt")
    handled: queue.Queue = queue.Queue()
    by_handler = client.subscribe([f"events:{kind}"], handled.put)
    iterated = client.subscribe([f"events:{kind}"])
    client.events.publish(type=kind, data={"x": 1})
    for event in (handled.get(timeout=5), iterated.next(timeout_s=5)):
        assert isinstance(event, Event)
        assert (event.topic, event.type, event.seq) == (f"events:{kind}", kind, 1)
        assert event.data["data"] == {"x": 1}
    iterated.unsubscribe()
    assert list(iterated) == [], "an unsubscribed iterator ends"
    by_handler.unsubscribe()


def test_the_asyncio_client(daemon: Daemon) -> None:
    async def main() -> None:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:
            agent = fresh("py-async")
            kind = fresh("py-async-evt")
            subscription = await client.subscribe([f"events:{kind}"])
            started, _ = await asyncio.gather(client.agents.start(agent_id=agent), client.events.publish(type=kind, data=1))
            assert started["agentId"] == agent
            event = await subscription.next(timeout_s=5)
            assert event.type == kind
            waiting = asyncio.ensure_future(client.signals.wait(agent_id=agent, timeout_ms=5_000))
            await client.signals.send(from_="a", to=agent, type="wake")
            assert (await waiting)["type"] == "wake"
            with pytest.raises(InvalidParamsError):
                await client.queues.enqueue(queue="bad queue", payload=1)

    asyncio.run(main())


def test_a_push_read_before_its_subscribe_reply_is_handled_reaches_the_subscription(daemon: Daemon) -> None:
    # The daemon may send a new subscription's first frame right after the reply naming it; both in
    # one read, the reader hands over the push before the subscribing coroutine goes on.
    async def main() -> None:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:
            kind = fresh("py-early")
            connection_call = client._connection.call

            async def call(method: str, params: dict, *args: object, **kwargs: object) -> object:
                answer = await connection_call(method, params, *args, **kwargs)
                if method == "subscribe":
                    client._on_notification("event", {"subscriptionId": answer["subscriptionId"], "topic": f"events:{kind}", "type": kind, "data": "early", "seq": 1, "ts": 0})
                return answer

            client._connection.call = call  # type: ignore[method-assign]
            subscription = await client.subscribe([f"events:{kind}"])
            client._connection.call = connection_call  # type: ignore[method-assign]
            assert (await subscription.next(timeout_s=5)).data == "early"
            await client.events.publish(type=kind, data="later")
            assert (await subscription.next(timeout_s=5)).data["data"] == "later"

    asyncio.run(main())
