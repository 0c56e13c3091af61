"""choose_tier against a real daemon: scores fed with feedback.record move the recommendation, followed only above the confidence threshold."""

from __future__ import annotations

import asyncio

from conftest import Daemon, fresh
from switchboard import AsyncClient, Client, TierChoice, choose_tier
from switchboard._methods import TIER_ACT_ABOVE_CONFIDENCE, Tier

# confidence is count / 20 (docs/feedback.md): 14 samples make 0.7, 15 make 0.75
FULL_CONFIDENCE_SAMPLES = 20


def scored(client: Client, stage: str, tier: Tier, quality: float, count: int) -> str:
    workflow = fresh("py-tier")
    for _ in range(count):
        client.feedback.record(workflow=workflow, stage=stage, tier=tier, quality=quality)
    return workflow


def test_an_upgrade_backed_by_enough_samples_is_followed(client: Client) -> None:
    count = int(TIER_ACT_ABOVE_CONFIDENCE * FULL_CONFIDENCE_SAMPLES) + 1
    workflow = scored(client, "summarize", "cheap", 0.5, count)
    choice = choose_tier(client, workflow=workflow, stage="summarize", current_tier="cheap")
    assert isinstance(choice, TierChoice)
    assert (choice.tier, choice.followed) == ("capable", True)
    assert choice.recommendation["change"] == "upgrade" and choice.recommendation["confidence"] > TIER_ACT_ABOVE_CONFIDENCE
    assert choice.reason.startswith(f"upgrade to capable (confidence {choice.recommendation['confidence']}): ")


def test_a_recommendation_at_the_threshold_is_not_followed(client: Client) -> None:
    count = int(TIER_ACT_ABOVE_CONFIDENCE * FULL_CONFIDENCE_SAMPLES)
    workflow = scored(client, "summarize", "cheap", 0.5, count)
    choice = choose_tier(client, workflow=workflow, stage="summarize", current_tier="cheap")
    assert choice.recommendation["change"] == "upgrade" and choice.recommendation["confidence"] == TIER_ACT_ABOVE_CONFIDENCE
    assert (choice.tier, choice.followed) == ("cheap", False)
    assert f"is not above {TIER_ACT_ABOVE_CONFIDENCE}" in choice.reason


def test_keep_stays_on_the_current_tier(client: Client) -> None:
    workflow = scored(client, "draft", "capable", 0.8, 3)
    choice = choose_tier(client, workflow=workflow, stage="draft", current_tier="capable")
    assert (choice.tier, choice.followed, choice.recommendation["change"]) == ("capable", False, "keep")
    assert choice.reason.startswith("keep capable: ")


def test_the_asyncio_flavour_downgrades(client: Client, daemon: Daemon) -> None:
    workflow = fresh("py-tier")
    tiers: tuple[Tier, ...] = ("premium", "capable")
    for tier in tiers:
        for _ in range(FULL_CONFIDENCE_SAMPLES):
            client.feedback.record(workflow=workflow, stage="classify", tier=tier, quality=0.95)

    async def main() -> TierChoice:
        async with AsyncClient.connect(state_dir=daemon.state_dir) as aclient:
            return await choose_tier(aclient, workflow=workflow, stage="classify", current_tier="premium")

    choice = asyncio.run(main())
    assert (choice.tier, choice.followed, choice.recommendation["change"]) == ("capable", True, "downgrade")
