"""Worker: concurrency, ack / nack, lease extension, graceful stop."""

from __future__ import annotations

import asyncio
import threading
import time

from conftest import Daemon, fresh, wait_until
from switchboard import AsyncClient, AsyncWorker, Backoff, Client, Worker


def test_runs_at_most_concurrency_jobs_acks_results_and_nacks_raises_with_their_traceback(client: Client) -> None:
    queue = fresh("py-q")
    for n in range(6):
        client.queues.enqueue(queue=queue, payload=n, max_attempts=1)
    lock = threading.Lock()
    running = peak = 0

    def handle(job: dict, _context: object) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        if job["payload"] == 3:
            raise KeyError("three")
        return job["payload"] * 10

    with Worker(client, queue, handle, concurrency=2):
        wait_until(lambda: client.queues.stats(queue=queue)["completedTotal"] == 5, what="five acks")
        wait_until(lambda: client.queues.stats(queue=queue)["dead"] == 1, what="one dead job")
    assert peak == 2
    [dead] = client.queues.dead(queue=queue)
    assert dead["payload"] == 3 and "KeyError: 'three'" in dead["lastError"] and "in handle" in dead["lastError"]


def test_extends_the_lease_while_a_job_runs_past_its_visibility(client: Client) -> None:
    queue = fresh("py-q-lease")
    client.queues.enqueue(queue=queue, payload="long")
    started = threading.Event()

    def handle(job: dict, _context: object) -> str:
        started.set()
        time.sleep(1.0)
        return "done"

    with Worker(client, queue, handle, visibility_ms=300, wait_ms=200):
        assert started.wait(5)
        time.sleep(0.5)  # past the first visibility: only an extension keeps it ours
        assert client.queues.receive(queue=queue, consumer="thief") is None
        wait_until(lambda: client.queues.stats(queue=queue)["completedTotal"] == 1, what="the ack")


def test_stops_gracefully_finishing_what_runs(daemon: Daemon) -> None:
    queue = fresh("py-q-stop")

    async def main() -> dict:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:
            for n in range(3):
                await client.queues.enqueue(queue=queue, payload=n)
            started = asyncio.Event()

            async def handle(job: dict, _context: object) -> None:
                started.set()
                await asyncio.sleep(0.3)

            worker = AsyncWorker(client, queue, handle, concurrency=1).start()
            await asyncio.wait_for(started.wait(), 5)
            await worker.stop()
            return await client.queues.stats(queue=queue)

    stats = asyncio.run(main())
    assert stats["completedTotal"] == 1, "the running one finished"
    assert stats["active"] == 0 and stats["waiting"]["normal"] == 2, "the rest wait, never received"


def test_a_workflow_steps_handler_gets_its_step(client: Client) -> None:
    queue = fresh("py-q-wf")
    steps: list = []

    def handle(job: dict, context) -> str:  # type: ignore[no-untyped-def]
        steps.append(context.step)
        return f"did {context.step.step}"

    workflow = client.workflows.start(name="py", steps=[{"name": "a", "queue": queue, "input": {"n": 1}}, {"name": "b", "queue": queue, "dependsOn": ["a"]}])
    with Worker(client, queue, handle, wait_ms=200):
        wait_until(lambda: client.workflows.get(workflow_id=workflow["workflowId"])["status"] == "completed", what="the workflow done")
    a, b = steps
    assert (a.workflow_id, a.step, a.input, a.correlation_id) == (workflow["workflowId"], "a", {"n": 1}, f"{workflow['workflowId']}:a")
    assert b.results == {"a": "did a"}


def test_stop_returns_while_the_daemon_is_away(own_daemon: Daemon) -> None:
    async def main() -> float:
        client = await AsyncClient.connect(state_dir=own_daemon.state_dir, reconnect=Backoff(initial_delay_ms=20, max_delay_ms=200))
        try:
            worker = AsyncWorker(client, fresh("py-q-away"), lambda job, context: None, wait_ms=100).start()
            await asyncio.sleep(0.3)  # receiving (an empty queue answers after wait_ms, then again)
            await asyncio.to_thread(own_daemon.stop)  # off the loop: the daemon closes our link as it goes
            while client.state == "open":
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.5)  # the receive loop has called again, and waits for a link
            started = time.monotonic()
            await asyncio.wait_for(worker.stop(), 5)
            return time.monotonic() - started
        finally:
            await client.close()

    assert asyncio.run(main()) < 2


def test_an_async_worker_ends_with_its_closed_client(daemon: Daemon) -> None:
    async def main() -> None:
        client = await AsyncClient.connect(state_dir=daemon.state_dir)
        worker = AsyncWorker(client, fresh("py-q-closed"), lambda job, context: None, wait_ms=100).start()
        await asyncio.sleep(0.2)
        await client.close()
        assert worker._loop_task is not None
        await asyncio.wait_for(worker._loop_task, 5)  # the receive loop ends by itself, stop() or not

    asyncio.run(main())
