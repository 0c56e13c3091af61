"""
Runs a queue's jobs (as client/worker.ts, without prefetch): receives, runs up to `concurrency` at
once, extends the lease of what it holds every third of the visibility, acks what returns (its
value is the job's result), nacks what raises (with the traceback), and on stop finishes what
runs and hands back what it received but had not started.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ._methods import QUEUE_VISIBILITY_MS
from .errors import ConflictError, ConnectionLostError, NotFoundError, RateLimitedError, RedisUnavailableError
from .leases import default_owner
from ._backoff import backoff_delay_s

if TYPE_CHECKING:
    from .aio import AsyncClient
    from .client import Client


@dataclass(frozen=True)
class WorkflowStep:
    """The workflow step a job runs (workflow.start makes the job: payload {workflowId, step, input, results})."""

    workflow_id: str
    step: str
    input: Any
    #: The results of the steps it depends on, by step name.
    results: dict[str, Any]

    @property
    def correlation_id(self) -> str:
        """Pass it (with workflow_id) to dispatch, so the step's outcomes are tied to its workflow."""
        return f"{self.workflow_id}:{self.step}"


def workflow_step_of(job: dict[str, Any]) -> WorkflowStep | None:
    """The step a job runs, or None for a job that is not one (as client/workflow-step.ts)."""
    payload = job.get("payload")
    if not isinstance(payload, dict):
        return None
    workflow_id, step, results = payload.get("workflowId"), payload.get("step"), payload.get("results")
    if not isinstance(workflow_id, str) or not isinstance(step, str) or not isinstance(results, dict):
        return None
    # the job id is the step's own: a plain job whose payload merely looks like one is not a step
    own = f"{workflow_id}:{step}"
    if job["jobId"] != own and not str(job["jobId"]).startswith(f"{own}:"):
        return None
    return WorkflowStep(workflow_id, step, payload.get("input"), results)


@dataclass
class JobContext:
    """What a handler gets besides the job: `lease_lost` is set when another delivery owns the job now (stop working on it)."""

    lease_lost: Any
    #: The workflow step the job runs, if it is one.
    step: WorkflowStep | None = None


#: A job (the daemon's Job: jobId, payload, attempts…) → its result. A plain function runs in a thread, an async one on the loop.
JobHandler = Callable[[dict[str, Any], JobContext], Any]


class AsyncWorker:
    def __init__(
        self,
        client: AsyncClient,
        queue: str,
        handler: JobHandler,
        *,
        consumer: str | None = None,
        concurrency: int = 1,
        visibility_ms: int = QUEUE_VISIBILITY_MS,
        wait_ms: int = 2_000,
        lease_lost_event: Callable[[], Any] = asyncio.Event,
    ) -> None:
        self.queue = queue
        self.consumer = consumer or default_owner()
        #: Called with (job, result) after an ack, (job, error) after a nack, and with an error the worker met.
        self.on_completed: Callable[[dict[str, Any], Any], None] | None = None
        self.on_failed: Callable[[dict[str, Any], BaseException], None] | None = None
        self.on_error: Callable[[Exception], None] | None = None
        self._client = client
        self._handler = handler
        self._concurrency = concurrency
        self._visibility_ms = visibility_ms
        self._wait_ms = wait_ms
        self._new_lost = lease_lost_event
        self._running: dict[str, tuple[dict[str, Any], Any]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._loop_task: asyncio.Task[None] | None = None
        self._lease_task: asyncio.Task[None] | None = None
        self._slot_free = asyncio.Event()

    @property
    def held(self) -> int:
        return len(self._running)

    def start(self) -> AsyncWorker:
        if self._loop_task is None and not self._stopping:
            self._loop_task = asyncio.ensure_future(self._receive_forever())
            self._lease_task = asyncio.ensure_future(self._extend_forever())
        return self

    async def stop(self) -> None:
        """Stops receiving, lets running jobs finish (acked or nacked), and hands back what it had not started."""
        self._stopping = True
        self._slot_free.set()
        if self._loop_task is not None:
            # Away from the daemon, the loop waits for a link that may not come back: no receive is
            # in flight then (a lost link fails the calls it carried), so nothing is lost by cancelling.
            if self._client.state != "open":
                self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._lease_task is not None:
            self._lease_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lease_task

    async def __aenter__(self) -> AsyncWorker:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _receive_forever(self) -> None:
        failures = 0
        while not self._stopping:
            free = self._concurrency - len(self._running)
            if free <= 0:
                self._slot_free.clear()
                await self._slot_free.wait()
                continue
            params = {"queue": self.queue, "consumer": self.consumer, "visibilityMs": self._visibility_ms, "count": free, "waitMs": self._wait_ms}
            try:
                jobs = await self._client.call("queue.receive", params)
                failures = 0
            except Exception as error:
                if self._client.state == "closed":
                    return  # nothing more to receive from a closed client
                self._report(error)
                await asyncio.sleep(backoff_delay_s(failures))
                failures += 1
                continue
            for job in jobs:
                if self._stopping:
                    await self._hand_back(job)
                else:
                    self._start_job(job)

    def _start_job(self, job: dict[str, Any]) -> None:
        lost = self._new_lost()
        self._running[job["receipt"]] = (job, lost)
        task = asyncio.ensure_future(self._run(job, lost))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, job: dict[str, Any], lost: Any) -> None:
        ids = {"queue": self.queue, "jobId": job["jobId"], "receipt": job["receipt"]}
        try:
            try:
                context = JobContext(lost, workflow_step_of(job))
                result = self._handler(job, context) if inspect.iscoroutinefunction(self._handler) else asyncio.to_thread(self._handler, job, context)
                if inspect.isawaitable(result):
                    result = await result
            except Exception as error:
                if self.on_failed is not None:
                    self.on_failed(job, error)
                trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
                await self._settle("queue.nack", {**ids, "error": trace[:8192]})
                return
            await self._settle("queue.ack", ids if result is None else {**ids, "result": result})
            if self.on_completed is not None:
                self.on_completed(job, result)
        except Exception as error:
            self._report(error)
        finally:
            self._running.pop(job["receipt"], None)
            self._slot_free.set()

    async def _settle(self, method: str, params: dict[str, Any]) -> None:
        """An ack or nack, sent again after a refusal for rate or Redis being away, or a dropped connection (the receipt makes a repeat harmless)."""
        for attempt in range(10):
            try:
                await self._client.call(method, params)
                return
            except RateLimitedError as error:
                await asyncio.sleep(float((error.data or {}).get("retryAfterMs", 100)) / 1000)
            except (RedisUnavailableError, ConnectionLostError):
                if self._client.state == "closed":
                    raise
                await asyncio.sleep(backoff_delay_s(attempt))
        await self._client.call(method, params)

    async def _extend_forever(self) -> None:
        while True:
            await asyncio.sleep(self._visibility_ms / 3000)
            for receipt, (job, lost) in list(self._running.items()):
                params = {"queue": self.queue, "jobId": job["jobId"], "receipt": receipt, "visibilityMs": self._visibility_ms}
                try:
                    await self._client.call("queue.extend", params)
                except (ConflictError, NotFoundError) as error:
                    lost.set()  # superseded or gone: another delivery owns the job now
                    self._report(error)
                except Exception as error:
                    self._report(error)

    async def _hand_back(self, job: dict[str, Any]) -> None:
        try:
            await self._client.call("queue.release", {"queue": self.queue, "jobId": job["jobId"], "receipt": job["receipt"]})
        except Exception as error:
            self._report(error)

    def _report(self, error: Exception) -> None:
        if self.on_error is not None:
            self.on_error(error)


class Worker:
    """
    The sync Worker: `with Worker(client, "emails", send_email, concurrency=4): ...` (or start() / stop()).
    The handler runs in a thread; `context.lease_lost` is a threading.Event; on_completed, on_failed
    and on_error run on the client's callback thread.
    """

    def __init__(self, client: Client, queue: str, handler: JobHandler, **options: Any) -> None:
        import threading

        self._client = client
        self._worker: AsyncWorker = client.run(_make(client.aio, queue, handler, threading.Event, options))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._worker, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("on_"):
            # on the callback thread, so that it may call the client
            setattr(self._worker, name, None if value is None else self._client.relay(value))
        else:
            object.__setattr__(self, name, value)

    def start(self) -> Worker:
        self._client.run(_start(self._worker))
        return self

    def stop(self) -> None:
        self._client.run(self._worker.stop())

    def __enter__(self) -> Worker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _make(client: AsyncClient, queue: str, handler: JobHandler, lost: Callable[[], Any], options: dict[str, Any]) -> AsyncWorker:
    # made on the loop, so its asyncio objects belong to it
    return AsyncWorker(client, queue, handler, lease_lost_event=lost, **options)


async def _start(worker: AsyncWorker) -> None:
    worker.start()
