"""The core loop written idiomatically in Mesa, against the same loop in Scrutiny's engine.

The core loop, on one synthetic world (Scrutiny's, so both sides see the same people, homes,
workplaces and schools):

1. schedules: everyone sleeps at home; on a working day (Mon-Fri, and Saturday for day labour)
   a worker or pupil is at their workplace or school; each person keeps their schedule on a
   given day with probability p_home_at_dawn / p_at_day_place (one draw per person and day);
2. daily place selection: every agent decides where it is today (Mesa: each agent's ``step``);
3. operations: teams visit ``k`` sites a day drawn uniformly from residences, workplaces and
   schools (the ``random`` targeting policy, no quota), in a random order; ``k`` is the engine's
   capacity (``scrutiny.operations.capacity_and_quota``, at local intensity 1) rounded by a daily
   draw, as ``scrutiny.operations.sites_today`` rounds it;
4. encounters: everyone at a visited site is encountered once a day (at the first site);
5. scans with the 1:N error model: a person whose own record is in the searched galleries is
   found when their genuine score passes the threshold (probability 1 - FNMR_g); the best stranger
   passes it with probability FPIR_g(N) = 1 - (1 - FMR_g)^N and is returned instead when the mate
   is absent, missed or outscored; a stranger's record is drawn from the galleries' composition for
   the probe's race; a record showing a removable status means detention (match is definitive),
   and the detainee leaves the population. Both sides take the rates and score functions from
   ``scrutiny.field.Matcher``; the Mesa side draws its own random numbers, one agent at a time.

Mesa side: one ``Agent`` object per person, ``model.agents.shuffle_do("step")`` each day, a dict
of who is where, and Python loops over sites and encounters (the way a Mesa model is written).
Scrutiny side: ``scrutiny.operations.simulate`` on a scenario configured to that loop (random
policy; clinics, churches, courts and protest sites excluded; no quota; no behavioural response;
detainees removed the next day; the daily lead flows off, since the Mesa model has none: the
headline ratio compares the same work). The engine is also timed with the preset's lead flows on,
and that ratio is printed beside it.

The script checks that the two agree statistically (sites visited a day, encounters per operation
by place type, matches, false matches and detentions per scan: two-sample z-tests, |z| < 4 to
agree) and prints the throughput of each in person-days per second and their ratio.

    pip install -e ".[bench]"
    python benchmarks/mesa_reference.py                     # 100,000 people, 28 days
    python benchmarks/mesa_reference.py --people 1e6 --mesa-days 7
"""

from __future__ import annotations

import argparse
import bisect
import math
import time
import warnings
from collections import defaultdict

import mesa
import numpy as np

import scrutiny
from scrutiny.codes import (
    PLACE_TYPES,
    RECORD_STATUSES,
    REMOVABLE_RECORD_STATUSES,
    STATUSES,
    code,
)
from scrutiny.errors import ScenarioWarning
from scrutiny.field import Matcher, enrol
from scrutiny.operations import capacity_and_quota, simulate
from scrutiny.operations._pressure import sites_today
from scrutiny.rng import Streams
from scrutiny.sources import admin_records
from scrutiny.targeting import place_prior
from scrutiny.world import build_world

RES, WORK, SCHOOL = (code(PLACE_TYPES, t) for t in ("residence", "workplace", "school"))
DAY_LABOUR = 4  # code of "day_labour" in SECTORS
REMOVABLE_RECORDS = frozenset(code(RECORD_STATUSES, s) for s in REMOVABLE_RECORD_STATUSES)


#: The daily lead flows (record refreshes, plate readers, phones, tips, jail data, service reports): the Mesa
#: model has none of them, and under the random policy over places with a positive prior they change no
#: site, encounter or scan (the same events either way), only the engine's work.
LEAD_FLOWS_OFF = {
    **{f"sources.{name}.enabled": False for name in ("broker", "agency", "plates", "cell", "tips", "jail_data",
                                                      "service_reports")},
    "sources.admin.p_refresh_per_day": 0.0,
}


def scenario(n_people: int, days: int, sites_per_100k: float, *, lead_flows: bool = False) -> scrutiny.Scenario:
    """The us-interior preset reduced to the core loop (with the preset's daily lead flows if ``lead_flows``).

    The workload (40 sites a day per 100,000 by default) lies far above the documented range on
    purpose, so that a few weeks give enough scans to compare; the warning that says so is expected.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="operations.sites_per_day_per_100k", category=ScenarioWarning)
        return _scenario(n_people, days, sites_per_100k, lead_flows=lead_flows)


def _scenario(n_people: int, days: int, sites_per_100k: float, *, lead_flows: bool) -> scrutiny.Scenario:
    return scrutiny.load_scenario(overrides={
        "world.n_people": n_people, "n_days": days, "seed": 2026,
        "targeting.policy": "random",
        "targeting.excluded_place_types": ["clinic", "church", "courthouse", "protest_site"],
        "operations.quota_enabled": False, "operations.sites_per_day_per_100k": sites_per_100k,
        "operations.rel_local_intensity": 1.0,  # the preset's surge factor (5) would make it 5x the sites Mesa visits
        "field.decision": [],  # a flag is acted on (the preset's agents act on 74% of them: a check Mesa does not make)
        "operations.dur_detention_to_removal": 1.0,
        "operations.dur_wrongful_detention": 1e-9,  # must be positive; any delay under a day is one night
        "behavior.enabled": False,
        # the mechanisms added since this reference was written, off: the core loop only
        "operations.triggers": ["site_visit"], "targeting.site_mix": {}, "field.scan_policy": "everyone",
        "sources.court_calendar.enabled": False,
        **({} if lead_flows else LEAD_FLOWS_OFF),
    })


# ----------------------------------------------------------------------------------- Mesa model
class Person(mesa.Agent):
    """A resident: a home, maybe a workplace or school, a group, and what the gallery holds on them."""

    def __init__(self, model, home, day_place, saturday, group, searchable, own_record):
        super().__init__(model)
        self.home, self.day_place, self.saturday = home, day_place, saturday
        self.group, self.searchable, self.own_record = group, searchable, own_record
        self.at_dawn = None
        self.at_day = None

    def step(self):
        """Daily place selection: where this person is at dawn and during the day."""
        keeps = self.random.random()
        m = self.model
        self.at_dawn = self.home if keeps < m.p_home else None
        working = m.weekday < 5 or (m.weekday == 5 and self.saturday)
        self.at_day = self.day_place if (self.day_place >= 0 and working and keeps < m.p_at_day) else None


class Enforcement(mesa.Model):
    """Random-site operations with a 1:N face search at every encounter."""

    def __init__(self, world, matcher, s, eligible, seed):
        super().__init__(seed=seed)
        self.p_home, self.p_at_day = s.world.places.p_home_at_dawn, s.world.places.p_at_day_place
        self.kind = world.places.kind.tolist()
        self.eligible = eligible.tolist()
        self.capacity = capacity_and_quota(s, world.people.n)[0]  # the engine's sites a day, on average
        fnmr, fpir = matcher.rates()  # at the operating threshold (field.threshold_rule), as the engine searches
        self.fnmr, self.fpir = fnmr.tolist(), fpir.tolist()
        self.scores, self.n_searched = matcher.scores, matcher.union.size
        self.record_cum = [row.tolist() for row in matcher.record_cum]
        self.day = 0
        self.weekday = 0
        self.stats = defaultdict(float)
        self.per_op = defaultdict(list)  # place kind -> encounters at each operation
        self.sites_per_day: list[int] = []
        ppl = world.people
        searchable = matcher.union.searchable(matcher.enrolment, matcher.own_record).tolist()
        day_place, group, own = ppl.day_place.tolist(), ppl.group.tolist(), matcher.own_record.tolist()
        works_sat = (ppl.day_place >= 0) & (world.places.sector[np.maximum(ppl.day_place, 0)] == DAY_LABOUR)
        for i, h in enumerate(ppl.home.tolist()):
            Person(self, h, day_place[i], bool(works_sat[i]), group[i], searchable[i], own[i])

    def scan(self, person):
        """1:N search of one person; returns True if the returned record shows a removable status."""
        rnd, g = self.random.random, person.group
        self.stats["scans"] += 1
        u_mate, u_false = rnd(), rnd()
        mate_above = person.searchable and u_mate >= self.fnmr[g]
        impostor_above = u_false < self.fpir[g]
        if mate_above and impostor_above:  # both pass: the higher score is returned
            s_mate = self.scores.genuine(np.array([u_mate]), np.array([g]))
            impostor_above = u_false < float(self.scores.fpir(s_mate, np.array([g]), self.n_searched)[0])
        if mate_above and not impostor_above:
            self.stats["mates"] += 1
            return person.own_record in REMOVABLE_RECORDS
        if impostor_above:
            self.stats["false_matches"] += 1
            cum = self.record_cum[g // 2]
            record = min(bisect.bisect_right(cum, rnd()), len(cum) - 1)
            return record in REMOVABLE_RECORDS
        return False

    def step(self):
        """One day: agents choose places, teams visit sites, everyone present is scanned."""
        self.weekday = self.day % 7
        self.agents.shuffle_do("step")
        dawn, daytime = defaultdict(list), defaultdict(list)
        for a in self.agents:
            if a.at_dawn is not None:
                dawn[a.at_dawn].append(a)
            if a.at_day is not None:
                daytime[a.at_day].append(a)
        seen, detained = set(), []
        k = sites_today(self.capacity, self.random.random())  # rounded by a daily draw, as the engine does
        self.sites_per_day.append(min(k, len(self.eligible)))
        for site in self.random.sample(self.eligible, min(k, len(self.eligible))):
            kind = self.kind[site]
            present = [a for a in (dawn if kind == RES else daytime).get(site, ()) if a.unique_id not in seen]
            self.stats["operations"] += 1
            self.per_op[kind].append(len(present))
            for a in present:
                seen.add(a.unique_id)
                if self.scan(a):
                    detained.append(a)
        self.stats["detentions"] += len(detained)
        for a in detained:
            a.remove()
        self.day += 1


# ----------------------------------------------------------------------------------- comparison
def engine_stats(out, days: int) -> tuple[dict, dict]:
    """The engine's statistics over its first ``days`` days (the days the Mesa model ran)."""
    ev = out.events.where(out.events["day"] < days)
    kind, place_kind = ev["kind"], ev["place_kind"]
    ops = kind == 0
    per_op = {}
    for k in (RES, WORK, SCHOOL):
        op_idx = np.flatnonzero(ops & (place_kind == k))
        counts = np.zeros(op_idx.size)
        enc = kind == 1
        key_ops = ev["day"][op_idx].astype(np.int64) * (1 << 32) + ev["place"][op_idx]
        key_enc = ev["day"][enc].astype(np.int64) * (1 << 32) + ev["place"][enc]
        uniq, n = np.unique(key_enc, return_counts=True)
        pos = np.searchsorted(uniq, key_ops)
        hit = (pos < uniq.size) & (uniq[np.minimum(pos, uniq.size - 1)] == key_ops)
        counts[hit] = n[pos[hit]]
        per_op[k] = counts.tolist()
    per_op["sites_per_day"] = np.bincount(ev["day"][ops], minlength=days).astype(float).tolist()
    outcome = ev["outcome"]
    stats = {"operations": float(ops.sum()), "scans": float((kind == 2).sum()),
             "mates": float(((kind == 3) & (outcome == 6)).sum()),
             "false_matches": float(((kind == 3) & (outcome == 7)).sum()),
             "detentions": float((kind == 4).sum())}
    return stats, per_op


def z_mean(a: list, b: list) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    if se > 0:
        return (a.mean() - b.mean()) / se
    return 0.0 if a.mean() == b.mean() else math.inf  # no spread: equal, or plainly different


def z_prop(x1: float, n1: float, x2: float, n2: float) -> float:
    p = (x1 + x2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return (x1 / n1 - x2 / n2) / se if se > 0 else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=float, default=1e5)
    ap.add_argument("--days", type=int, default=28, help="days simulated by the engine")
    ap.add_argument("--mesa-days", type=int, default=None, help="days simulated by Mesa (default: --days)")
    ap.add_argument("--sites-per-100k", type=float, default=40.0, help="operations per day per 100,000 people")
    ap.add_argument("--repeats", type=int, default=3, help="timing runs of each side, in turn (the fastest is kept)")
    ap.add_argument("--throughput-days", type=int, default=365,
                    help="days of the engine's timing run (Mesa's cost per day is constant, so its time for "
                    "these days is extrapolated from its own run)")
    args = ap.parse_args()
    n, mesa_days = int(args.people), args.mesa_days or args.days
    if mesa_days > args.days:
        ap.error(f"--mesa-days ({mesa_days}) must not exceed --days ({args.days}): the statistics compare the "
                 "same days")
    s = scenario(n, args.days, args.sites_per_100k)

    out = simulate(s, 0)
    e_stats, e_per_op = engine_stats(out, mesa_days)  # the same days on both sides: removals deplete the sites

    t0 = time.perf_counter()
    streams = Streams(s.seed, 0)  # the same world, enrolment and records as the engine's replicate 0
    world = build_world(s.world, streams)
    ppl = world.people
    enrolment = enrol(ppl.status, s.field, streams)
    citizen_birth, unauthorised = code(STATUSES, "citizen_birth"), code(STATUSES, "unauthorised")
    has_record = (ppl.status != citizen_birth) & ((ppl.status != unauthorised) | (enrolment > 0))
    rec = admin_records(world, has_record, s.sources.admin, streams).status
    own_record = np.where(rec >= 0, rec, ppl.status).astype(np.int8)
    matcher = Matcher.build(s.field, enrolment=enrolment, own_record=own_record, group=ppl.group,
                            status=ppl.status, race_mix=s.world.race_mix)
    prior = place_prior(world, s)
    eligible = np.flatnonzero(np.isin(world.places.kind, [RES, WORK, SCHOOL]) & (prior > 0))
    n_zero = int((np.isin(world.places.kind, [RES, WORK, SCHOOL]) & (prior <= 0)).sum())

    mesa_world = time.perf_counter() - t0

    # timings: engine and Mesa in turn, args.repeats times; the fastest of each (the least disturbed by the machine)
    engine_loops, engine_walls, flows_loops, mesa_setups, mesa_loops, model = [], [], [], [], [], None
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        timed = simulate(s.model_copy(update={"n_days": args.throughput_days}), 0)
        engine_walls.append(time.perf_counter() - t0)
        engine_loops.append(timed.world_info["seconds_loop"])
        with_flows = simulate(scenario(n, args.throughput_days, args.sites_per_100k, lead_flows=True), 0)
        flows_loops.append(with_flows.world_info["seconds_loop"])
        t0 = time.perf_counter()
        run = Enforcement(world, matcher, s, eligible, seed=7)
        mesa_setups.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for _ in range(mesa_days):
            run.step()
        mesa_loops.append(time.perf_counter() - t0)
        model = model or run  # the first Mesa run gives the statistics (every run draws the same numbers)
    engine_loop, engine_wall, flows_loop = min(engine_loops), min(engine_walls), min(flows_loops)
    mesa_setup, mesa_loop = min(mesa_setups), min(mesa_loops)
    m_stats = model.stats

    print(f"core loop on {n:,} people; engine {args.days} days, Mesa {mesa_days} days (statistics over the first "
          f"{mesa_days}); "
          f"{s.operations.sites_per_day_per_100k:g} sites per day per 100,000; {len(eligible):,} eligible sites "
          f"({n_zero} with a zero prior left out)")
    print(f"\n{'statistic':<34} {'Scrutiny':>12} {'Mesa':>12} {'z':>7}  agree (|z| < 4)")
    rows = [("sites visited a day", np.mean(e_per_op["sites_per_day"]), np.mean(model.sites_per_day),
             z_mean(e_per_op["sites_per_day"], model.sites_per_day))]
    for k, label in ((RES, "encounters per residence raid"), (WORK, "encounters per workplace raid"),
                     (SCHOOL, "encounters per school raid")):
        a, b = e_per_op[k], model.per_op[k]
        if len(a) > 1 and len(b) > 1:
            rows.append((label, np.mean(a), np.mean(b), z_mean(a, b)))
    for key, label in (("mates", "own-record matches per scan"), ("false_matches", "false matches per scan"),
                       ("detentions", "detentions per scan")):
        rows.append((label, e_stats[key] / e_stats["scans"], m_stats[key] / m_stats["scans"],
                     z_prop(e_stats[key], e_stats["scans"], m_stats[key], m_stats["scans"])))
    for label, a, b, z in rows:
        print(f"{label:<34} {a:>12.4f} {b:>12.4f} {z:>7.2f}  {'yes' if abs(z) < 4 else 'NO'}")
    print(f"{'scans':<34} {e_stats['scans']:>12,.0f} {m_stats['scans']:>12,.0f}")

    td = args.throughput_days
    e_pd, e_pd_all = n * td / engine_loop, n * td / engine_wall
    m_pd = n * mesa_days / mesa_loop
    m_all = mesa_world + mesa_setup + mesa_loop * td / mesa_days
    m_pd_all = n * td / m_all
    print(f"\n{'throughput (person-days/s)':<34} {'Scrutiny':>12} {'Mesa':>12} {'ratio':>8}")
    print(f"{'daily loop':<34} {e_pd:>12.3g} {m_pd:>12.3g} {e_pd / m_pd:>7.0f}x")
    f_pd = n * td / flows_loop
    print(f"{'daily loop, lead flows on':<34} {f_pd:>12.3g} {m_pd:>12.3g} {f_pd / m_pd:>7.0f}x  "
          "(work Mesa does not do)")
    print(f"{f'end to end, {td} days':<34} {e_pd_all:>12.3g} {m_pd_all:>12.3g} {e_pd_all / m_pd_all:>7.0f}x")
    print(f"(fastest of {args.repeats} runs of each, in turn; engine, {td} days: setup "
          f"{timed.world_info['seconds_setup']:.2f} s, loop {engine_loop:.2f} s; "
          f"Mesa, {mesa_days} days: world {mesa_world:.2f} s (Scrutiny's), agents {mesa_setup:.2f} s, "
          f"loop {mesa_loop:.2f} s, so {m_all:.0f} s for {td} days; mesa {mesa.__version__})")
    agree = all(abs(z) < 4 for *_, z in rows)
    print("\nagreement:", "the two implementations agree" if agree else "DISAGREEMENT: see the rows marked NO")


if __name__ == "__main__":
    main()
