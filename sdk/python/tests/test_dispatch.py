"""dispatch: times actions and records their outcomes (status, duration, error with traceback, output)."""

from __future__ import annotations

import asyncio

import pytest

from conftest import Daemon, fresh
from switchboard import AsyncClient, Client


def recent(client: Client, agent: str) -> list[dict]:
    client.flush_outcomes()
    return client.outcomes.recent(agent_name=agent, count=20)


def test_a_decorated_function_records_success_with_its_output(client: Client) -> None:
    agent = fresh("py-d")

    @client.dispatch(agent, "summarize", tags=["py"], workflow_id="wf-1")
    def summarize(text: str) -> dict:
        return {"summary": text[:5]}

    assert summarize("hello world") == {"summary": "hello"}
    [outcome] = recent(client, agent)
    assert outcome["status"] == "success" and outcome["actionType"] == "summarize"
    assert outcome["output"] == {"summary": "hello"} and outcome["tags"] == ["py"] and outcome["workflowId"] == "wf-1"
    assert outcome["durationMs"] >= 0


def test_a_raise_is_recorded_as_a_failure_with_its_traceback_and_raised_on(client: Client) -> None:
    agent = fresh("py-d-fail")

    @client.dispatch(agent, "parse")
    def parse_input() -> None:
        raise ValueError("unparseable")

    with pytest.raises(ValueError, match="unparseable"):
        parse_input()
    [outcome] = recent(client, agent)
    assert (outcome["status"], outcome["errorType"], outcome["errorMessage"]) == ("failure", "ValueError", "unparseable")
    assert "in parse_input" in outcome["stackTrace"] and "Traceback" in outcome["stackTrace"]


def test_the_context_manager_records_what_the_block_reports(client: Client) -> None:
    agent = fresh("py-d-cm")
    with client.dispatch(agent, "llm-call") as action:
        action.report(tokens_used=120, cost_usd=0.01)
        action.output = "answer"
    assert action.result is not None and action.result.status == "success"
    [outcome] = recent(client, agent)
    assert (outcome["tokensUsed"], outcome["costUsd"], outcome["output"]) == (120, 0.01, "answer")
    assert outcome["eventId"] == action.event_id


def test_an_async_overrun_is_a_timeout(daemon: Daemon) -> None:
    agent = fresh("py-d-timeout")

    async def main() -> list[dict]:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as client:

            @client.dispatch(agent, "slow", timeout_s=0.05)
            async def slow() -> str:
                await asyncio.sleep(5)
                return "late"

            with pytest.raises(asyncio.TimeoutError):
                await slow()
            await client.flush_outcomes()
            return await client.outcomes.recent(agent_name=agent)

    [outcome] = asyncio.run(main())
    assert outcome["status"] == "timeout" and "output" not in outcome


def test_refuses_a_name_the_daemon_would_refuse_and_leaves_out_an_output_too_large(client: Client) -> None:
    with pytest.raises(ValueError, match="agent_name"):
        client.dispatch("has spaces", "x")
    agent = fresh("py-d-big")
    big = "x" * (client.daemon["limits"]["maxValueBytes"] + 1)
    with client.dispatch(agent, "big") as action:
        action.output = big
    [outcome] = recent(client, agent)
    assert outcome["status"] == "success" and "output" not in outcome
