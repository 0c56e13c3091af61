"""
dispatch's tool gate (as client/tool-policy.ts): a dispatch that names a tool asks the daemon's
policy.check first, files an approval request when the decision needs one and waits for the human,
and says why an action did not run with a typed error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .aio import AsyncClient


class PolicyDeniedError(Exception):
    """The policy refused the tool call: the body did not run. `decision["reason"]` says what decided."""

    def __init__(self, decision: dict[str, Any]) -> None:
        super().__init__(decision.get("reason", "refused by the tool policy"))
        self.decision = decision


class ApprovalRejectedError(Exception):
    """The call needed approval and a human rejected it (or nobody answered in time): the body did not run."""

    def __init__(self, decision: dict[str, Any], approval: dict[str, Any]) -> None:
        why = f": {approval['reason']}" if approval.get("reason") else ""
        super().__init__(f"approval {approval['status']}{why} ({decision.get('reason', '')})")
        self.decision = decision
        self.approval = approval


@dataclass(frozen=True)
class ToolCall:
    agent_id: str
    #: Tool name, or name:version.
    tool: str
    args: dict[str, Any] | None = None
    workflow_id: str | None = None
    #: How long a human has to decide (default: the daemon's approval timeout).
    approval_timeout_ms: int | None = None


async def authorize_tool_call(client: AsyncClient, call: ToolCall) -> dict[str, Any]:
    """The decision that lets the call run; PolicyDeniedError or ApprovalRejectedError when it may not."""
    check: dict[str, Any] = {"agentId": call.agent_id, "tool": call.tool, "args": call.args or {}}
    if call.workflow_id is not None:
        check["workflowId"] = call.workflow_id
    decision: dict[str, Any] = await client.call("policy.check", check)
    if not decision["allowed"]:
        raise PolicyDeniedError(decision)
    if not decision["requiresApproval"]:
        return decision
    tool = decision.get("tool") or call.tool
    request: dict[str, Any] = {
        "agent_id": call.agent_id,
        "type": f"tool:{tool.split(':')[0]}",
        # the daemon's copy of the arguments: secret fields already redacted
        "context": {"tool": tool, "args": decision.get("args") or {}, "reason": decision["reason"]},
        "risk": "high" if decision.get("flags") else "medium",
    }
    if call.approval_timeout_ms is not None:
        request["timeout_ms"] = call.approval_timeout_ms
    approval: dict[str, Any] = await client.approvals.request(**request)
    if approval["status"] != "approved":
        raise ApprovalRejectedError(decision, approval)
    return decision
