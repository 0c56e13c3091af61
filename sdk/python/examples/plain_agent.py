"""
A plain Python agent: joins the fleet with a heartbeat, reports progress, records each step's
outcome, and waits briefly for a "stop" signal between steps. Finds the daemon like every
Switchboard client (SWITCHBOARD_URL / SWITCHBOARD_TOKEN, or the state dir's daemon.json).

    python plain_agent.py [agent-id]
"""

from __future__ import annotations

import sys

from switchboard import Client, Heartbeat

STEPS = ["fetch", "parse", "summarize"]


def main(agent_id: str) -> None:
    with Client.connect(client_name="plain-agent/1.0") as client, Heartbeat(client, agent_id, metadata={"example": "plain"}) as heartbeat:
        for n, step in enumerate(STEPS):
            heartbeat.update(progress=n / len(STEPS), current_task=step)
            with client.dispatch(agent_id, step) as action:
                action.output = {"step": step, "chars": len(step) * 100}
            if client.signals.check(agent_id=agent_id, type="stop"):
                print(f"{agent_id}: stopped by a signal after {step}")
                break
        heartbeat.update(progress=1.0, current_task=None)
        client.flush_outcomes()
        print(f"{agent_id}: done")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "plain-python-agent")
