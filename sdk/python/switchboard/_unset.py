"""The "not given" marker for optional params: None is a value some params take (currentTask: null clears it)."""

from __future__ import annotations

import enum
from typing import Final, Literal


class Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Literal[Unset.UNSET]] = Unset.UNSET
