#!/usr/bin/env python3
"""A Switchboard agent in plain Python (standard library only), over HTTP JSON-RPC.

It registers, beats with progress, asks a human for approval (a long poll that returns when
someone answers), and stops. Finds the daemon through SWITCHBOARD_URL / SWITCHBOARD_TOKEN, or
the daemon.json and token files in the state dir.
Usage: python3 examples/python/agent.py [agent-id]
"""
import json
import os
import sys
import urllib.request


def state_dir():
    if os.environ.get("SWITCHBOARD_STATE_DIR"):
        return os.environ["SWITCHBOARD_STATE_DIR"]
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "switchboard")


def endpoint():
    url = os.environ.get("SWITCHBOARD_URL")
    token = os.environ.get("SWITCHBOARD_TOKEN")
    if not url:
        with open(os.path.join(state_dir(), "daemon.json")) as f:
            url = json.load(f)["httpUrl"]
    if not token:
        with open(os.path.join(state_dir(), "token")) as f:
            token = f.read().strip()
    return url.replace("ws://", "http://").removesuffix("/v1"), token


class Switchboard:
    def __init__(self):
        self.url, self.token = endpoint()
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}).encode()
        request = urllib.request.Request(
            self.url + "/v1/rpc",
            data=body,
            headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=3700) as response:
            reply = json.load(response)
        if "error" in reply:
            raise RuntimeError("%s failed: %s" % (method, reply["error"]["message"]))
        return reply["result"]


def main():
    agent_id = sys.argv[1] if len(sys.argv) > 1 else "python-agent"
    sb = Switchboard()
    sb.call("agent.start", agentId=agent_id, metadata={"language": "python"}, ttlSeconds=30)
    for step in range(1, 4):
        sb.call("agent.beat", agentId=agent_id, progress=step / 4, currentTask="Step %d of 3" % step)
    decision = sb.call(
        "approval.request", agentId=agent_id, type="deploy", context={"service": "api", "version": "1.4.2"}, risk="high", timeoutMs=60000
    )
    print("approval", decision["status"], "by", decision.get("responder"))
    final = "completed" if decision["status"] == "approved" else "cancelled"
    sb.call("agent.stop", agentId=agent_id, finalStatus=final)
    print("stopped", final)


if __name__ == "__main__":
    main()
