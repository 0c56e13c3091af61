"""Fixtures: a real redis-server and a real daemon (`node dist/cli.js daemon`, as test/helpers/daemon-process.ts starts one)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from switchboard import Client

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "dist" / "cli.js"


def wait_until(condition: Callable[[], Any], timeout_s: float = 5.0, what: str = "the condition") -> Any:
    """Polls until condition() is truthy (returning it); fails after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout_s} s")
        time.sleep(0.02)


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Output:
    """A child's output, read by a thread (a full pipe would stall it), waited on for a pattern."""

    def __init__(self, stream: Any) -> None:
        self.text = ""
        self._changed = threading.Condition()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            with self._changed:
                self.text += line
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: str, timeout_s: float, child: subprocess.Popen[str]) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not (match := re.search(pattern, self.text)):
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"no {pattern!r} (exit {child.poll()}):\n{self.text}")
                self._changed.wait(0.1)
        return match


class RedisServer:
    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="sb-py-redis-")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.child = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _Output(self.child.stdout).wait_for(r"(?i)ready to accept connections", 10, self.child)

    def cli(self, *args: str) -> str:
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], check=True, capture_output=True, text=True).stdout

    def stop(self) -> None:
        self.child.terminate()
        self.child.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


class Daemon:
    """A daemon process on a state dir; restart() starts another on the same dir (a new port and daemon.json)."""

    def __init__(self, redis_url: str, state_dir: str | None = None, extra: tuple[str, ...] = ()) -> None:
        if not CLI.exists():
            raise RuntimeError(f"{CLI} is missing: run `npm run build` (npm test does it first)")
        self.redis_url = redis_url
        self.extra = extra
        self.state_dir = state_dir or tempfile.mkdtemp(prefix="sb-py-state-")
        self._start()

    def _start(self) -> None:
        self.child = subprocess.Popen(
            ["node", str(CLI), "daemon", "--state-dir", self.state_dir, "--port", "0", "--redis", self.redis_url, *self.extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.url = _Output(self.child.stdout).wait_for(r"switchboard ready (\S+)", 20, self.child).group(1)
        self.token = (Path(self.state_dir) / "token").read_text().strip()

    def env(self) -> dict[str, str]:
        return {**os.environ, "SWITCHBOARD_URL": self.url, "SWITCHBOARD_TOKEN": self.token}

    def stop(self) -> None:
        if self.child.poll() is None:
            self.child.terminate()
            self.child.wait(10)

    def restart(self) -> None:
        self.stop()
        self._start()


@pytest.fixture(scope="session")
def redis() -> Iterator[RedisServer]:
    server = RedisServer()
    yield server
    server.stop()


def running_daemon(redis: RedisServer) -> Iterator[Daemon]:
    process = Daemon(redis.url)
    yield process
    process.stop()
    shutil.rmtree(process.state_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def daemon(redis: RedisServer) -> Iterator[Daemon]:
    yield from running_daemon(redis)


@pytest.fixture
def own_daemon(redis: RedisServer) -> Iterator[Daemon]:
    """A daemon of the test's own, for tests that stop or restart it."""
    yield from running_daemon(redis)


@pytest.fixture
def client(daemon: Daemon) -> Iterator[Client]:
    with Client.connect(state_dir=daemon.state_dir) as c:
        yield c
