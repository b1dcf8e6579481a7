"""The quota is a floor: on common random numbers, removing it never raises arrests or collateral.

Exact form (property): until the first day quota pressure acts, the run with a quota and the run
without are the same run, day by day (common random numbers); on that day the pressure only adds
(more sites: the top-k of a larger k contains the top-k; wider scanning and a lower threshold only
add candidates, person by person). So through that day, arrests and detentions of citizens and
lawful residents without the quota are at most those with it, for every seed. Beyond that day the
two runs learn from different arrests and part ways: an extra arrest today can close a pin that
would have given an arrest tomorrow, so a whole-run comparison is statistical, and
tests/unit/operations/test_quota_floor.py checks it on paired replicates.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.codes import EVENT_KINDS
from scrutiny.operations._loop import _setup
from scrutiny.scenario import load_scenario

DET = EVENT_KINDS.index("detention")


def _through_first_push(seed: int, responses: list[str]) -> tuple[tuple[int, int], tuple[int, int]]:
    """(arrests, lawful detained) with and without the quota, through the first day pressure acts."""
    base = {"world.n_people": 8_000, "n_days": 60, "seed": seed, "targeting.site_mix": {},
            "operations.quota_pressure": responses, "operations.rel_local_intensity": 20.0}
    runs = [_setup(load_scenario(overrides={**base, "operations.quota_enabled": q}), 0) for q in (True, False)]
    for t in range(60):
        pushed = runs[0].pressure.level > 0
        for r in runs:
            r.step(t)
        if pushed:
            break
    out = []
    for r in runs:
        e = r.log.finish()
        det = e["kind"] == DET
        out.append((int(det.sum()), int(e.vocab.is_lawful(e["status"][det]).sum())))
    return out[0], out[1]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1),
       responses=st.sampled_from([["more_sites"], ["scan_wider"], ["lower_threshold"],
                                  ["more_sites", "scan_wider", "lower_threshold"]]))
def test_removing_the_quota_never_raises_arrests_or_collateral(seed, responses):
    with_quota, without = _through_first_push(seed, responses)
    assert without[0] <= with_quota[0], (seed, responses, with_quota, without)
    assert without[1] <= with_quota[1], (seed, responses, with_quota, without)
    assert np.isfinite(with_quota[0])
