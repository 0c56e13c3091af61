"""
choose_tier: acting on feedback.recommend (docs/feedback.md), as client/choose-tier.ts. A
recommendation is followed only when enough samples back it, so a stage does not swing between
tiers on a handful of scores.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from ._methods import TIER_ACT_ABOVE_CONFIDENCE, Tier

if TYPE_CHECKING:
    from .aio import AsyncClient
    from .client import Client


@dataclass(frozen=True)
class TierChoice:
    #: The tier to run on: the recommended one if followed, else the current one.
    tier: Tier
    #: Whether the recommendation was followed (it moves, and its confidence is above TIER_ACT_ABOVE_CONFIDENCE).
    followed: bool
    #: Why this tier, in words: the daemon's reason, and why it was or was not acted on.
    reason: str
    #: The TierRecommendation as the daemon answered it.
    recommendation: dict[str, Any]


@overload
def choose_tier(client: Client, *, workflow: str, stage: str, current_tier: Tier) -> TierChoice: ...
@overload
def choose_tier(client: AsyncClient, *, workflow: str, stage: str, current_tier: Tier) -> Awaitable[TierChoice]: ...
def choose_tier(client: Client | AsyncClient, *, workflow: str, stage: str, current_tier: Tier) -> TierChoice | Awaitable[TierChoice]:
    """The tier a stage should run on now: a TierChoice (awaited on an AsyncClient)."""
    recommendation = client.feedback.recommend(workflow=workflow, stage=stage, current_tier=current_tier)
    if inspect.isawaitable(recommendation):
        return _awaited(recommendation, current_tier)
    return tier_choice(recommendation, current_tier)


def tier_choice(recommendation: dict[str, Any], current_tier: Tier) -> TierChoice:
    """What choose_tier decides from a recommendation already at hand."""
    recommended, change, confidence, why = (recommendation[key] for key in ("recommendedTier", "change", "confidence", "reason"))
    if change == "keep":
        return TierChoice(current_tier, False, f"keep {current_tier}: {why}", recommendation)
    if confidence > TIER_ACT_ABOVE_CONFIDENCE:
        return TierChoice(recommended, True, f"{change} to {recommended} (confidence {confidence}): {why}", recommendation)
    reason = f"keep {current_tier}: {change} to {recommended} recommended, but confidence {confidence} is not above {TIER_ACT_ABOVE_CONFIDENCE} ({why})"
    return TierChoice(current_tier, False, reason, recommendation)


async def _awaited(recommendation: Awaitable[dict[str, Any]], current_tier: Tier) -> TierChoice:
    return tier_choice(await recommendation, current_tier)
