"""The LMArena leaderboard dataset outlives the clock: the arena crawl reads it every day."""

from __future__ import annotations

from datetime import date

import pytest

from hubsight.replica.world import LMARENA_DATASET, World


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_the_leaderboard_dataset_is_never_deleted_nor_renamed(seed: int) -> None:
    world = World(seed=seed, scale="tiny", start=date(2026, 11, 2))
    for _ in range(40):
        world.advance(1)
        i = world.repos["dataset"].find(LMARENA_DATASET)
        table = world.repos["dataset"]
        assert i is not None and table.alive[i] and table.ids[i] == LMARENA_DATASET, f"gone after day {world.day}"
