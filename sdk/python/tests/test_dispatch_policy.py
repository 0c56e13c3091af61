"""dispatch with a tool: policy.check first, approvals filed and awaited, refusals typed and recorded as cancelled."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from conftest import Daemon, fresh, wait_until
from switchboard import ApprovalRejectedError, AsyncClient, Client, PolicyDeniedError

SANDBOXED, OPERATOR, SLOW = fresh("py-sandboxed"), fresh("py-operator"), fresh("py-slow")


@pytest.fixture(scope="module", autouse=True)
def policy(daemon: Daemon) -> Iterator[None]:
    with Client.connect(state_dir=daemon.state_dir) as admin:
        schema = {"type": "object", "properties": {"command": {"type": "string"}, "token": {"type": "string"}}}
        admin.tools.register(name="py-shell", version="1.0.0", flags=["shell"], schema=schema)
        admin.tools.register(name="py-search", version="1.0.0", flags=[], schema={"type": "object"})
        entries = [
            {"agent": SANDBOXED, "allow": ["py-search"]},
            {"agent": SLOW, "allow": ["py-search"], "timeoutMs": 50},
            {"agent": OPERATOR, "allow": ["*"], "approvalFlags": ["shell"]},
        ]
        admin.policy.set(expected_version=admin.policy.get()["version"], policy={"agents": entries})
    yield


def answer_next(daemon: Daemon, agent: str, approved: bool) -> tuple[threading.Thread, list[dict]]:
    """A human answering the agent's next approval request from another client."""
    seen: list[dict] = []

    def answer() -> None:
        with Client.connect(state_dir=daemon.state_dir) as human:
            [request] = wait_until(lambda: [a for a in human.approvals.pending() if a["agentId"] == agent], what="the request filed")
            seen.append(request)
            human.approvals.respond(request_id=request["requestId"], approved=approved, responder="test-human", reason="fine" if approved else "too risky")

    thread = threading.Thread(target=answer)
    thread.start()
    return thread, seen


def outcome_of(client: Client, agent: str, action_type: str) -> dict:
    client.flush_outcomes()
    [outcome] = [o for o in client.outcomes.recent(agent_name=agent, count=20) if o["actionType"] == action_type]
    return outcome


def test_a_refused_tool_call_does_not_run_and_is_recorded_cancelled(client: Client) -> None:
    ran = []
    with pytest.raises(PolicyDeniedError, match="no tool matching py-shell") as refused:
        with client.dispatch(SANDBOXED, "tool.shell", tool="py-shell", args={"command": "ls"}):
            ran.append(True)
    assert ran == [] and refused.value.decision["allowed"] is False
    outcome = outcome_of(client, SANDBOXED, "tool.shell")
    assert (outcome["status"], outcome["errorType"], outcome["errorMessage"]) == ("cancelled", "PolicyDeniedError", str(refused.value))
    assert "stackTrace" not in outcome


def test_files_an_approval_request_with_redacted_args_and_runs_once_approved(client: Client, daemon: Daemon) -> None:
    human, seen = answer_next(daemon, OPERATOR, True)

    @client.dispatch(OPERATOR, "tool.shell", tool="py-shell", args={"command": "ls", "token": "abc-secret"})
    def shell() -> str:
        return "done"

    assert shell() == "done"
    human.join()
    [request] = seen
    assert (request["type"], request["risk"]) == ("tool:py-shell", "high")
    assert request["context"]["tool"] == "py-shell:1.0.0" and request["context"]["args"] == {"command": "ls", "token": "[REDACTED]"}


def test_a_call_the_human_rejected_does_not_run(client: Client, daemon: Daemon) -> None:
    human, _ = answer_next(daemon, OPERATOR, False)
    with pytest.raises(ApprovalRejectedError, match="too risky") as rejected:
        with client.dispatch(OPERATOR, "tool.shell", tool="py-shell:1.0.0", args={"command": "rm x"}):
            pytest.fail("ran without approval")
    human.join()
    assert rejected.value.approval["status"] == "rejected"


def test_the_policy_entrys_timeout_applies_when_none_is_given(daemon: Daemon) -> None:
    async def main() -> str:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:

            @client.dispatch(SLOW, "tool.search", tool="py-search")
            async def search() -> None:
                await asyncio.sleep(5)

            with pytest.raises(asyncio.TimeoutError):
                await search()
            await client.flush_outcomes()
            [outcome] = await client.outcomes.recent(agent_name=SLOW)
            return str(outcome["status"])

    assert asyncio.run(main()) == "timeout"


def test_without_a_tool_the_policy_is_not_asked(client: Client) -> None:
    with client.dispatch(SANDBOXED, "untooled") as action:
        action.output = "ran"
    assert outcome_of(client, SANDBOXED, "untooled")["status"] == "success"
