"""Finds the daemon like the TypeScript SDK: explicit arguments, then SWITCHBOARD_URL / SWITCHBOARD_TOKEN, then <state dir>/daemon.json and token."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DaemonNotFoundError


@dataclass(frozen=True)
class Endpoint:
    url: str
    token: str


def default_state_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("SWITCHBOARD_STATE_DIR"):
        return Path(env["SWITCHBOARD_STATE_DIR"])
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "switchboard"


def read_daemon_info(state_dir: str | os.PathLike[str]) -> dict[str, Any] | None:
    """daemon.json: {pid, url, httpUrl, redis, version, protocolVersion}, or None when absent or unreadable."""
    try:
        info = json.loads((Path(state_dir) / "daemon.json").read_text("utf8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def discover_daemon(
    url: str | None = None,
    token: str | None = None,
    state_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Endpoint:
    env = os.environ if env is None else env
    directory = Path(state_dir) if state_dir is not None else default_state_dir(env)
    found_url = url or env.get("SWITCHBOARD_URL") or (read_daemon_info(directory) or {}).get("url")
    if not found_url:
        raise DaemonNotFoundError(
            f"no Switchboard daemon found: {directory / 'daemon.json'} is missing (start one with `switchboard daemon`)"
        )
    found_token = token or env.get("SWITCHBOARD_TOKEN") or _read_token(directory)
    if not found_token:
        raise DaemonNotFoundError(f"no token: {directory / 'token'} is missing (pass a token or set SWITCHBOARD_TOKEN)")
    return Endpoint(str(found_url), found_token)


def _read_token(state_dir: Path) -> str | None:
    try:
        return (state_dir / "token").read_text("utf8").strip() or None
    except OSError:
        return None
