"""
dispatch: times an agent action and records its outcome (status, duration, error with its
traceback, output) without waiting for the daemon — as a decorator or a context manager, sync or
async. The body's exception is recorded and raised on unchanged; the record goes in the background
(see OutcomeRecorder) and `client.flush_outcomes()` waits until every one is stored.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import re
import time
import traceback
import uuid
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal, TypeVar

from ._methods import DEFAULT_MAX_VALUE_BYTES, ID_PATTERN, MAX_OUTCOME_DURATION_MS, OUTCOME_TEXT_LIMITS
from .tool_policy import ApprovalRejectedError, PolicyDeniedError, ToolCall

if TYPE_CHECKING:
    from .safety_guard import SafetyGuard

OutcomeStatus = Literal["success", "failure", "timeout", "cancelled"]
F = TypeVar("F", bound=Callable[..., Any])
_ID = re.compile(ID_PATTERN)


@dataclass
class DispatchResult:
    status: OutcomeStatus
    event_id: str
    duration_ms: float
    output: Any = None
    error: BaseException | None = None
    traceback: str | None = None


@dataclass
class Action:
    """What the body gets: set `output` (context-manager form) and `report(...)` what it spent."""

    agent_name: str
    action_type: str
    event_id: str
    output: Any = None
    reported: dict[str, Any] = field(default_factory=dict)
    #: Set once the action ended.
    result: DispatchResult | None = None

    def report(
        self,
        *,
        tokens_used: int | None = None,
        cost_usd: float | None = None,
        latency_ms: float | None = None,
        llm_latency_ms: float | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        given = {"tokensUsed": tokens_used, "costUsd": cost_usd, "latencyMs": latency_ms, "llmLatencyMs": llm_latency_ms, "metadata": metadata}
        self.reported.update({key: value for key, value in given.items() if value is not None})


@dataclass(frozen=True)
class _Options:
    tags: Sequence[str] = ()
    workflow_id: str | None = None
    correlation_id: str | None = None
    run_id: str | None = None
    metadata: dict[str, Any] | None = None
    output: Callable[[Any], Any] | None = None
    timeout_s: float | None = None
    tool: str | None = None
    args: dict[str, Any] | None = None
    approval_timeout_ms: int | None = None
    guard: SafetyGuard | None = None


#: How a Dispatch asks the tool policy: from sync code (blocking) and from async code (awaited).
@dataclass(frozen=True)
class _Authorizer:
    blocking: Callable[[ToolCall], dict[str, Any]]
    awaited: Callable[[ToolCall], Awaitable[dict[str, Any]]]


class Dispatch:
    """
    `client.dispatch(agent_name, action_type, ...)`. As a decorator it wraps every call of the
    function (its return value is the output; `timeout_s` applies to async functions, whose
    overrun is a `timeout` outcome and an asyncio.TimeoutError); as a context manager it wraps one block.

    With `tool=`, the daemon's tool policy decides first: refused, or needing approval that a human
    rejects, the body does not run, the outcome is `cancelled`, and PolicyDeniedError or
    ApprovalRejectedError is raised (from the `with` statement itself in the context-manager form).
    The policy entry's timeoutMs applies to async functions when timeout_s is not given.

    With `guard=` (a SafetyGuard), an open breaker or a spent budget refuses the call first, with no
    round trip: BreakerOpenError or BudgetExceededError is raised, the body does not run and no
    outcome is recorded (as the TypeScript ActionDispatcher's guard).
    """

    def __init__(
        self,
        record: Callable[[dict[str, Any]], None],
        max_value_bytes: Callable[[], int],
        authorizer: _Authorizer,
        agent_name: str,
        action_type: str,
        options: _Options,
    ) -> None:
        for name, value in [("agent_name", agent_name), ("action_type", action_type), *(("tags", tag) for tag in options.tags)]:
            # The daemon would refuse it after the caller moved on: refuse it here, to the caller.
            if not _ID.match(value):
                raise ValueError(f'{name} "{value}" must match {ID_PATTERN}')
        self._record = record
        self._max_value_bytes = max_value_bytes
        self._authorizer = authorizer
        self._agent_name = agent_name
        self._action_type = action_type
        self._options = options
        self._open: list[tuple[Action, float]] = []

    def __enter__(self) -> Action:
        action, started = self._new()
        self._authorize_blocking(action, started)
        self._open.append((action, started))
        return action

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: Any) -> Literal[False]:
        action, started = self._open.pop()
        self._end(action, started, error)
        return False

    async def __aenter__(self) -> Action:
        action, started = self._new()
        await self._authorize_awaited(action, started)
        self._open.append((action, started))
        return action

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: Any) -> Literal[False]:
        return self.__exit__(kind, error, tb)

    def __call__(self, fn: F) -> F:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                action, started = self._new()
                decision = await self._authorize_awaited(action, started)
                timeout_s = self._options.timeout_s
                if timeout_s is None and decision.get("timeoutMs") is not None:
                    timeout_s = decision["timeoutMs"] / 1000
                try:
                    work = fn(*args, **kwargs)
                    action.output = await (work if timeout_s is None else asyncio.wait_for(work, timeout_s))
                except BaseException as error:
                    self._end(action, started, error)
                    raise
                self._end(action, started, None)
                return action.output

            return run_async  # type: ignore[return-value]

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            action, started = self._new()
            self._authorize_blocking(action, started)
            try:
                action.output = fn(*args, **kwargs)
            except BaseException as error:
                self._end(action, started, error)
                raise
            self._end(action, started, None)
            return action.output

        return run  # type: ignore[return-value]

    def _new(self) -> tuple[Action, float]:
        guard = self._options.guard
        refused = None if guard is None else guard.refusal(self._agent_name, self._action_type, self._options.workflow_id, self._options.tool)
        if refused is not None:
            raise refused
        return Action(self._agent_name, self._action_type, str(uuid.uuid4())), time.perf_counter()

    def _tool_call(self) -> ToolCall | None:
        options = self._options
        if options.tool is None:
            return None
        return ToolCall(self._agent_name, options.tool, options.args, options.workflow_id, options.approval_timeout_ms)

    def _authorize_blocking(self, action: Action, started: float) -> dict[str, Any]:
        call = self._tool_call()
        if call is None:
            return {}
        try:
            return self._authorizer.blocking(call)
        except (PolicyDeniedError, ApprovalRejectedError) as refused:
            self._end(action, started, refused)
            raise

    async def _authorize_awaited(self, action: Action, started: float) -> dict[str, Any]:
        call = self._tool_call()
        if call is None:
            return {}
        try:
            return await self._authorizer.awaited(call)
        except (PolicyDeniedError, ApprovalRejectedError) as refused:
            self._end(action, started, refused)
            raise

    def _end(self, action: Action, started: float, error: BaseException | None) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        if error is None:
            result = DispatchResult("success", action.event_id, duration_ms, action.output)
        else:
            refused = isinstance(error, (PolicyDeniedError, ApprovalRejectedError))
            status: OutcomeStatus = (
                "timeout"
                if isinstance(error, asyncio.TimeoutError)
                else "cancelled"
                if refused or isinstance(error, (asyncio.CancelledError, KeyboardInterrupt))
                else "failure"
            )
            # a refused call did not run: its outcome says by what, with no trace of this code
            trace = None if refused else "".join(traceback.format_exception(type(error), error, error.__traceback__))
            result = DispatchResult(status, action.event_id, duration_ms, None, error, trace)
        action.result = result
        self._record(self._outcome(action, result))

    def _outcome(self, action: Action, result: DispatchResult) -> dict[str, Any]:
        options = self._options
        output = options.output(result.output) if options.output and result.status == "success" else result.output
        metadata = action.reported.get("metadata", options.metadata)
        outcome: dict[str, Any] = {
            "eventId": action.event_id,
            "agentName": action.agent_name,
            "actionType": action.action_type,
            "status": result.status,
            "durationMs": min(result.duration_ms, MAX_OUTCOME_DURATION_MS),
            **{key: value for key, value in action.reported.items() if key != "metadata"},
        }
        if self._fits(metadata):
            outcome["metadata"] = metadata
        if result.status == "success" and self._fits(output):
            outcome["output"] = output
        optional = {"tags": list(options.tags) or None, "workflowId": options.workflow_id, "correlationId": options.correlation_id, "runId": options.run_id}
        outcome.update({key: value for key, value in optional.items() if value is not None})
        if result.error is not None:
            outcome["errorMessage"] = (str(result.error) or type(result.error).__name__)[: OUTCOME_TEXT_LIMITS["errorMessage"]]
            outcome["errorType"] = type(result.error).__name__[: OUTCOME_TEXT_LIMITS["errorType"]]
            if result.traceback:
                outcome["stackTrace"] = result.traceback[: OUTCOME_TEXT_LIMITS["stackTrace"]]
        return outcome

    def _fits(self, value: Any) -> bool:
        """Whether a value can go as output or metadata: JSON, within the daemon's maxValueBytes."""
        if value is None:
            return False
        try:
            return len(json.dumps(value).encode()) <= (self._max_value_bytes() or DEFAULT_MAX_VALUE_BYTES)
        except (TypeError, ValueError):
            return False  # not JSON: recorded without it


class Dispatching:
    """`client.dispatch(...)`, for both clients: each says how a record reaches its event loop."""

    def _record_outcome(self, outcome: dict[str, Any]) -> None:
        raise NotImplementedError

    def _max_value_bytes(self) -> int:
        raise NotImplementedError

    def _authorizer(self) -> _Authorizer:
        raise NotImplementedError

    def dispatch(
        self,
        agent_name: str,
        action_type: str,
        *,
        tags: Sequence[str] = (),
        workflow_id: str | None = None,
        correlation_id: str | None = None,
        run_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        output: Callable[[Any], Any] | None = None,
        timeout_s: float | None = None,
        tool: str | None = None,
        args: dict[str, Any] | None = None,
        approval_timeout_ms: int | None = None,
        guard: SafetyGuard | None = None,
    ) -> Dispatch:
        """
        Times an action and records its outcome: `@client.dispatch("agent", "step")`, or `with` /
        `async with client.dispatch(...) as action:`. `tool` (name or name:version) and `args`:
        the tool policy decides first; `guard` (a SafetyGuard) before it (see Dispatch).
        """
        options = _Options(tags, workflow_id, correlation_id, run_id, metadata, output, timeout_s, tool, args, approval_timeout_ms, guard)
        return Dispatch(self._record_outcome, self._max_value_bytes, self._authorizer(), agent_name, action_type, options)
