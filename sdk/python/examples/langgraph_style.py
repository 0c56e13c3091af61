"""
A LangGraph-style graph of node functions (state dict in, partial state out), each wrapped by
`switchboard_node`: the run keeps one agent beating with the node it is in as its current task,
and every node call is recorded as an outcome (a raising node as a failure with its traceback).
No LLM and no langgraph install: the "graph" is a list run in order, as a compiled graph would call them.

    python langgraph_style.py [agent-id]
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from switchboard import Client, Heartbeat

State = dict[str, Any]
Node = Callable[[State], State]


def switchboard_node(client: Client, heartbeat: Heartbeat) -> Callable[[Node], Node]:
    """Wraps a node: reports it as the current task, then runs it under dispatch (agent = the heartbeat's)."""

    def wrap(node: Node) -> Node:
        recorded = client.dispatch(heartbeat.agent_id, node.__name__, tags=["langgraph"])

        @functools.wraps(node)
        def run(state: State) -> State:
            heartbeat.update(current_task=node.__name__)
            return recorded(node)(state)

        return run

    return wrap


def plan(state: State) -> State:
    return {"plan": [f"look up {topic}" for topic in state["topics"]]}


def research(state: State) -> State:
    return {"notes": [f"{step}: found it" for step in state["plan"]]}


def write(state: State) -> State:
    return {"report": " / ".join(state["notes"])}


def main(agent_id: str) -> State:
    with Client.connect(client_name="langgraph-style/1.0") as client, Heartbeat(client, agent_id, metadata={"example": "langgraph"}) as heartbeat:
        node = switchboard_node(client, heartbeat)
        graph = [node(plan), node(research), node(write)]
        state: State = {"topics": ["redis", "websockets"]}
        for n, step in enumerate(graph):
            state = {**state, **step(state)}
            heartbeat.update(progress=(n + 1) / len(graph))
        client.flush_outcomes()
        print(state["report"])
        return state


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "langgraph-style-agent")
