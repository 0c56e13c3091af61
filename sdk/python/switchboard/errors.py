"""Errors: the daemon's JSON-RPC errors as one SwitchboardError hierarchy (a class per SPEC §3 code), and the client's own."""

from __future__ import annotations

from typing import Any

from ._methods import ERROR_CODES


class SwitchboardError(Exception):
    """A JSON-RPC error the daemon answered: `code`, `message`, and `data` ({field, rule} for bad params)."""

    code: int = 0

    def __init__(self, code: int, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r}, data={self.data!r})"


class ParseError(SwitchboardError): ...
class InvalidRequestError(SwitchboardError): ...
class MethodNotFoundError(SwitchboardError): ...
class InvalidParamsError(SwitchboardError): ...
class InternalError(SwitchboardError): ...
class NotFoundError(SwitchboardError): ...
class ConflictError(SwitchboardError): ...
class TooLargeError(SwitchboardError): ...
class RedisUnavailableError(SwitchboardError): ...
class RateLimitedError(SwitchboardError): ...
class ProtocolVersionError(SwitchboardError): ...
class BlockedBySafetyError(SwitchboardError): ...


_BY_NAME: dict[str, type[SwitchboardError]] = {
    "ParseError": ParseError,
    "InvalidRequest": InvalidRequestError,
    "MethodNotFound": MethodNotFoundError,
    "InvalidParams": InvalidParamsError,
    "InternalError": InternalError,
    "NotFound": NotFoundError,
    "Conflict": ConflictError,
    "TooLarge": TooLargeError,
    "RedisUnavailable": RedisUnavailableError,
    "RateLimited": RateLimitedError,
    "ProtocolVersion": ProtocolVersionError,
    "BlockedBySafety": BlockedBySafetyError,
}
# A code the protocol gains before this table does still maps (to the base class).
_BY_CODE: dict[int, type[SwitchboardError]] = {code: _BY_NAME.get(name, SwitchboardError) for name, code in ERROR_CODES.items()}
for _cls_name, _cls in _BY_NAME.items():
    _cls.code = ERROR_CODES[_cls_name]


def error_from_wire(error: dict[str, Any]) -> SwitchboardError:
    code = int(error.get("code", 0))
    return _BY_CODE.get(code, SwitchboardError)(code, str(error.get("message", "")), error.get("data"))


class ConnectionLostError(ConnectionError):
    """The call may or may not have run: the connection dropped before its reply, or no reply came in time, or the client is closed."""


class DaemonNotFoundError(Exception):
    """No daemon.json or token in the state dir (and none given)."""


class NotAcquiredError(Exception):
    """The lock or permit was not granted within wait_ms."""

    def __init__(self, resource: str) -> None:
        super().__init__(f'"{resource}" was not acquired in time')
        self.resource = resource


class LeaseLostError(Exception):
    """The lease ended while the body ran (a renewal was refused, or none succeeded before it ran out)."""
