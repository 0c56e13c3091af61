"""The examples run against a real daemon and leave what they say in the fleet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Daemon, fresh
from switchboard import Client

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name: str, agent: str, daemon: Daemon) -> str:
    done = subprocess.run([sys.executable, str(EXAMPLES / name), agent], env=daemon.env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_plain_agent(client: Client, daemon: Daemon) -> None:
    agent = fresh("py-plain")
    assert f"{agent}: done" in run_example("plain_agent.py", agent, daemon)
    status = client.agents.get(agent_id=agent)
    assert (status["status"], status["progress"], status["currentTask"]) == ("completed", 1.0, None)
    assert [o["actionType"] for o in client.outcomes.recent(agent_name=agent, count=10)] == ["fetch", "parse", "summarize"]


def test_the_langgraph_style_wrapper(client: Client, daemon: Daemon) -> None:
    agent = fresh("py-graph")
    assert "look up redis: found it" in run_example("langgraph_style.py", agent, daemon)
    assert client.agents.get(agent_id=agent)["status"] == "completed"
    outcomes = client.outcomes.recent(agent_name=agent, count=10)
    assert [(o["actionType"], o["status"], o["tags"]) for o in outcomes] == [(n, "success", ["langgraph"]) for n in ("plan", "research", "write")]
