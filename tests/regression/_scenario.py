"""The small fixed scenario whose summary is pinned in baseline.json."""

from scrutiny.scenario import load_scenario

OVERRIDES = {"world.n_people": 30_000, "n_days": 45, "seed": 12345}
REPLICATES = 2


def baseline_summary() -> dict:
    """Flat {name: number} summary of the regression scenario."""
    from scrutiny.experiments import run

    metrics = run(load_scenario(overrides=OVERRIDES), replicates=REPLICATES).summary()["metrics"]
    flat = {}
    for key, value in metrics.items():
        if isinstance(value, dict) and "mean" in value:
            flat[key] = value["mean"]
        elif isinstance(value, dict):
            for sub, v in value.items():
                flat[f"{key}.{sub}"] = v["mean"]
    return flat
