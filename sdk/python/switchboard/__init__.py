"""switchboard: the Python SDK of the Switchboard daemon (docs/python.md)."""

from ._backoff import Backoff
from ._connection import ConnectionState
from ._unset import UNSET, Unset
from .aio import AsyncClient
from .client import Client, Subscription
from .discovery import Endpoint, default_state_dir, discover_daemon
from .dispatch import Action, Dispatch, DispatchResult
from .errors import (
    BlockedBySafetyError,
    ConflictError,
    ConnectionLostError,
    DaemonNotFoundError,
    InternalError,
    InvalidParamsError,
    InvalidRequestError,
    LeaseLostError,
    MethodNotFoundError,
    NotAcquiredError,
    NotFoundError,
    ParseError,
    ProtocolVersionError,
    RateLimitedError,
    RedisUnavailableError,
    SwitchboardError,
    TooLargeError,
)
from .events import AsyncSubscription, Event
from .heartbeat import AsyncHeartbeat, Heartbeat
from .leases import Lease
from .questions import Answer
from .tool_policy import ApprovalRejectedError, PolicyDeniedError
from .worker import AsyncWorker, JobContext, Worker, WorkflowStep
from .safety_guard import BreakerOpenError, BudgetExceededError, SafetyGuard
from .tier import TierChoice, choose_tier

__all__ = [
    "Action",
    "Answer",
    "ApprovalRejectedError",
    "AsyncClient",
    "AsyncHeartbeat",
    "AsyncSubscription",
    "AsyncWorker",
    "Backoff",
    "BlockedBySafetyError",
    "BreakerOpenError",
    "BudgetExceededError",
    "Client",
    "ConflictError",
    "ConnectionLostError",
    "ConnectionState",
    "DaemonNotFoundError",
    "Dispatch",
    "DispatchResult",
    "Endpoint",
    "Event",
    "Heartbeat",
    "InternalError",
    "InvalidParamsError",
    "InvalidRequestError",
    "JobContext",
    "Lease",
    "LeaseLostError",
    "MethodNotFoundError",
    "NotAcquiredError",
    "NotFoundError",
    "ParseError",
    "PolicyDeniedError",
    "ProtocolVersionError",
    "RateLimitedError",
    "RedisUnavailableError",
    "SafetyGuard",
    "Subscription",
    "SwitchboardError",
    "TierChoice",
    "TooLargeError",
    "UNSET",
    "Unset",
    "Worker",
    "WorkflowStep",
    "choose_tier",
    "default_state_dir",
    "discover_daemon",
]
