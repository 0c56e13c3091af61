"""ask: a question for a human (docs/questions.md) — an approval request with choices or an answer schema, answered in the editor or the CLI."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from ._unset import UNSET, Unset

if TYPE_CHECKING:
    from .aio import AsyncClient

R = TypeVar("R")


@dataclass(frozen=True)
class Answer:
    #: The human's answer, or the default on a timeout; None when rejected (or expired with no default).
    answer: Any
    #: approved: answered; expired: nobody answered in time; rejected: the human declined.
    status: str
    #: The Approval as the daemon answered it.
    approval: dict[str, Any]


class Asking(Generic[R]):
    """`client.ask(...)`, for both clients (awaited on AsyncClient)."""

    def _asked(self, answer: Awaitable[Answer]) -> R:
        raise NotImplementedError

    def _async_client(self) -> AsyncClient:
        raise NotImplementedError

    def ask(
        self,
        *,
        agent_id: str,
        question: str,
        choices: Sequence[str] | None = None,
        answer_schema: dict[str, Any] | None = None,
        default: Any | Unset = UNSET,
        timeout_ms: int | None = None,
        type: str = "question",
        risk: Literal["low", "medium", "high"] | None = None,
    ) -> R:
        """Asks (one of `choices`, or any answer valid against `answer_schema`) and waits for the answer."""
        given = {"choices": list(choices) if choices else None, "answerSchema": answer_schema, "timeoutMs": timeout_ms, "risk": risk}
        params: dict[str, Any] = {"agentId": agent_id, "type": type, "context": {"question": question}}
        params.update({key: value for key, value in given.items() if value is not None})
        if default is not UNSET:
            params["default"] = default
        return self._asked(_ask(self._async_client(), params))


async def _ask(client: AsyncClient, params: dict[str, Any]) -> Answer:
    approval: dict[str, Any] = await client.approvals.request(**_keywords(params))
    return Answer(approval.get("answer"), approval["status"], approval)


def _keywords(params: dict[str, Any]) -> dict[str, Any]:
    # through the namespace method, so the request keeps its clientRequestId across reconnects
    names = {"agentId": "agent_id", "answerSchema": "answer_schema", "timeoutMs": "timeout_ms"}
    return {names.get(key, key): value for key, value in params.items()}
