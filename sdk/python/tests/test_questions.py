"""ask: a question answered from another client, or its default when nobody answers in time."""

from __future__ import annotations

import queue
import threading

from conftest import Daemon, fresh, wait_until
from switchboard import Client


def test_asks_with_choices_and_returns_the_answer_given(client: Client, daemon: Daemon) -> None:
    agent = fresh("py-asker")
    answered: queue.Queue = queue.Queue()
    asking = threading.Thread(target=lambda: answered.put(client.ask(agent_id=agent, question="Which region?", choices=["eu", "us"])))
    asking.start()
    with Client.connect(state_dir=daemon.state_dir) as human:
        [request] = wait_until(lambda: [a for a in human.approvals.pending() if a["agentId"] == agent], what="the question filed")
        assert request["type"] == "question" and request["context"] == {"question": "Which region?"} and request["choices"] == ["eu", "us"]
        human.approvals.respond(request_id=request["requestId"], approved=True, responder="me", answer="eu")
    answer = answered.get(timeout=10)
    asking.join()
    assert (answer.status, answer.answer) == ("approved", "eu")


def test_gets_the_default_when_nobody_answers_in_time(client: Client) -> None:
    answer = client.ask(agent_id=fresh("py-asker"), question="Proceed?", choices=["yes", "no"], default="no", timeout_ms=200)
    assert (answer.status, answer.answer) == ("expired", "no")
