"""The synthetic extract generator (`csc generate`): deterministic for a seed, scenario-driven."""
