"""Capped exponential backoff with "equal jitter" (as client/backoff.ts): half the ceiling fixed, half random."""

from __future__ import annotations

import random as _random
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Backoff:
    initial_delay_ms: float = 100
    max_delay_ms: float = 5_000


def backoff_delay_s(attempt: int, backoff: Backoff = Backoff(), random: Callable[[], float] = _random.random) -> float:
    ceiling = min(backoff.max_delay_ms, backoff.initial_delay_ms * 2**attempt)
    return float(ceiling / 2 + random() * ceiling / 2) / 1000
