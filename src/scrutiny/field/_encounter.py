"""The encounter: who is scanned, the 1:N search over the galleries, the record returned, the decision.

For a person ``i`` present at a site on day ``t`` (every draw counter-based on ``(i, t)``, so
safeguard arms of one replicate share them and an arm that changes nothing changes no outcome):

0. scanned: as the scan policy says (:mod:`scrutiny.field._rules`: everyone; by appearance, stream
   ``field.scan``; or only the named subjects of active leads at that place). Quota pressure
   ``scan_wider`` scans everyone present.
1. search at the day's threshold ``tau`` over the searched union of N' images
   (:mod:`scrutiny.field._galleries`). The person's own record is in the union when they are
   enrolled in a searched gallery and their record's status is searched. Its genuine score
   ``S = G_g^-1(u_mate)`` reaches ``tau`` exactly when ``u_mate >= FNMR_g(tau)``; the best impostor
   score ``M`` reaches a score ``s`` exactly when ``u_false < FPIR_g(s; N')``.
2. top candidate: the person's own record when ``S >= tau`` and ``S >= M``; a stranger's when
   ``M >= tau`` and the mate is absent, below ``tau`` or outscored (``u_false < FPIR_g(S)``). Scores
   do not depend on ``tau``, so raising the threshold only removes candidates: the false matches at a
   stricter threshold are a subset of those at a looser one, person by person.
   The candidate list holds the mate (if above ``tau``) and ``K ~ Poisson(lambda_g)`` impostors,
   ``lambda_g = -log(1 - FPIR_g(tau))``, drawn by inverse CDF at ``1 - u_false`` so that ``K >= 1``
   exactly when ``M >= tau``.
3. record returned: the person's own (from ``scrutiny.sources``: it can be stale or wrong), or a
   stranger's, drawn from the union's record mix for the probe's race (stream ``field.record``).
   A named subject of a lead at the site is also identified from their own record (the targeting
   folder): when it shows a removable status they are flagged whatever a scan returned, and when no
   scan flagged them the folder is the record used (``by_record``). A scan thus only ever adds flags.
4. flagged: the record shows a removable status (unauthorised, final order, expired).
5. decision for the flagged: the rules of ``field.decision`` in order, each looking at those no
   earlier rule cleared (:mod:`scrutiny.field._rules`): ``match_is_definitive`` clears nobody;
   ``documents_honoured`` clears those carrying proof (``field.documents``, by true status);
   ``human_review`` clears a share of false and of true matches (``field.review``);
   ``digital_status_check`` clears a person whose own record shows a non-removable status unless the
   service fails (``field.digital_check``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from scrutiny.codes import GROUPS, Vocabulary
from scrutiny.field._galleries import SearchedUnion, searched_union
from scrutiny.field._matcher import ParametricScores
from scrutiny.field._rules import RuleContext, ScanPolicy, make_decision_rules, make_scan_policy
from scrutiny.field._scorefile import EmpiricalScores
from scrutiny.rng import Streams
from scrutiny.scenario import FieldParams

__all__ = ["Matcher", "ScanResult", "build_scores"]



@dataclass(frozen=True, slots=True)
class ScanResult:
    """Outcome for each person present (arrays aligned with the people present)."""

    scanned: np.ndarray  # bool: a biometric capture and 1:N search was made
    mate: np.ndarray  # bool: the top candidate is the person's own record
    false_match: np.ndarray  # bool: the top candidate is a stranger's record
    record: np.ndarray  # int8: record-status code of the top candidate's record, -1 = no candidate
    n_candidates: np.ndarray  # int32: candidates above the threshold (the list the officer sees)
    flagged: np.ndarray  # bool: the record returned shows a removable status
    cleared: np.ndarray  # int8: OUTCOMES code of the safeguard that cleared a flagged person, -1 = none
    detained: np.ndarray  # bool: decision to detain
    by_record: np.ndarray  # bool: a named subject identified from their own record, without a scan

    @property
    def matched(self) -> np.ndarray:
        """bool: the search returned a candidate above threshold."""
        return self.mate | self.false_match

    def take(self, mask: np.ndarray) -> "ScanResult":
        """Return the result for the people selected by ``mask`` (or an index array)."""
        return ScanResult(*(getattr(self, f.name)[mask] for f in fields(self)))


def build_scores(p: FieldParams, n: float = 2e8) -> ParametricScores | EmpiricalScores:
    """The score model of a scenario for searches over ``n`` images: parametric, or from ``field.score_file``.

    The model carries the operating threshold (``field.threshold_rule``); an empirical model is
    validated at it.
    """
    if p.matcher == "empirical":
        return EmpiricalScores.from_file(p.score_file, tail=p.score_file_tail, rule=p.threshold_rule,
                                         threshold=p.threshold, target_fpir=p.target_fpir, n=n)
    return ParametricScores.from_params(p, n)


def poisson_quantile(q: np.ndarray, lam: np.ndarray, *, max_k: int = 10_000) -> np.ndarray:
    """Smallest ``k`` with ``P(Poisson(lam) <= k) >= q``, vectorised (int64).

    Examples:
        >>> poisson_quantile(np.array([0.3, 0.5, 0.99]), np.array([1.0, 1.0, 1.0])).tolist()
        [0, 1, 4]
    """
    q, lam = np.asarray(q, dtype=np.float64), np.asarray(lam, dtype=np.float64)
    term = np.exp(-lam)
    cdf = term.copy()
    k = np.zeros(q.shape, dtype=np.int64)
    todo = cdf < q
    j = 0
    while todo.any() and j < max_k:
        j += 1
        k[todo] = j
        term = term * lam / j
        cdf = cdf + term
        todo &= cdf < q
    return k


def _as_bits(enrolment: np.ndarray) -> np.ndarray:
    enrolment = np.asarray(enrolment)
    if enrolment.dtype == np.bool_:
        return np.where(enrolment, np.uint8(0xFF), np.uint8(0)).astype(np.uint8)
    return enrolment.astype(np.uint8, copy=False)


@dataclass(frozen=True, slots=True)
class Matcher:
    """The scan policy, galleries, score model and decision rule of one scenario, for vectorised scans.

    ``own_record`` is held by reference: operations may correct records in place during a run.
    """

    p: FieldParams
    scores: ParametricScores | EmpiricalScores
    union: SearchedUnion
    record_cum: np.ndarray  # float64[len(RACES), R]
    enrolment: np.ndarray  # uint8[N], bit g = enrolled in GALLERIES[g]
    own_record: np.ndarray  # int8[N], status on each person's own record
    group: np.ndarray  # int8[N]
    status: np.ndarray  # int8[N], true status
    vocab: Vocabulary
    scan_policy: ScanPolicy
    rules: list  # DecisionRule objects, in the order of field.decision
    _rates: dict = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        p: FieldParams,
        *,
        enrolment: np.ndarray,
        own_record: np.ndarray,
        group: np.ndarray,
        status: np.ndarray,
        race_mix: Mapping[str, Sequence[float]] | None = None,
        scores: ParametricScores | EmpiricalScores | None = None,
        vocab: Vocabulary | None = None,
    ) -> "Matcher":
        """Precompute the matcher.

        Args:
            p: Field parameters.
            enrolment: uint8[N] gallery bits (:func:`scrutiny.field.enrol`), or bool[N] meaning every gallery.
            own_record: int8[N] status on each person's own record (kept by reference).
            group: int8[N] demographic group of each person.
            status: int8[N] true status of each person.
            race_mix: ``world.race_mix``, for the race of false-match strangers (default: equal shares).
            scores: A score model; default :func:`build_scores` of ``p``.
            vocab: The jurisdiction's vocabulary (default: the US).
        """
        vocab = vocab or Vocabulary.default()
        union = searched_union(p, race_mix, vocab)
        ctx = RuleContext(status=status, own_record=own_record, group=group, vocab=vocab)
        return cls(
            p=p, scores=scores if scores is not None else build_scores(p, union.size), union=union,
            record_cum=union.record_cum(), enrolment=_as_bits(enrolment), own_record=own_record,
            group=group, status=status, vocab=vocab, scan_policy=make_scan_policy(p.scan_policy),
            rules=make_decision_rules(p.decision, ctx),
        )

    @property
    def gallery_size(self) -> float:
        """N': images compared per search."""
        return self.union.size

    @property
    def operating_threshold(self) -> float:
        """The threshold of a search before any quota pressure (``field.threshold_rule``)."""
        return float(self.scores.operating_threshold)

    def rates(self, threshold: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(FNMR, FPIR) of every group at ``threshold`` (default: the operating threshold), each float64[G]."""
        tau = float(self.operating_threshold if threshold is None else threshold)
        if tau not in self._rates:
            groups = np.arange(len(GROUPS))
            self._rates[tau] = (self.scores.fnmr(tau), self.scores.fpir(tau, groups, self.union.size))
        return self._rates[tau]

    def info(self) -> dict:
        """What a run should record about the matcher (gallery size, FPIR of the reference group, file)."""
        fnmr, fpir = self.rates()
        return {"gallery_size_searched": self.union.size, "operating_threshold": self.operating_threshold,
                "fpir_reference": float(fpir[0]), "fnmr_reference": float(fnmr[0]),
                "fpir_by_group": {g: float(x) for g, x in zip(GROUPS, fpir, strict=True)}, **self.scores.info}

    @property
    def needs_named(self) -> bool:
        """Whether the scan policy needs to know who present is a named subject of a lead."""
        return self.scan_policy.needs_named

    def _who_is_scanned(self, person, group, day, streams, named, widen) -> np.ndarray:
        if widen:
            return np.ones(person.size, dtype=bool)
        return self.scan_policy.scanned(person, group, day, streams, named)

    def _search(self, person, group, day, streams, tau):
        fnmr, fpir = self.rates(tau)
        searchable = self.union.searchable(self.enrolment[person], self.own_record[person])
        u_mate = streams.uniform("field.mate", person, step=day)
        u_false = streams.uniform("field.false_match", person, step=day)
        mate_above = searchable & (u_mate >= fnmr[group])
        impostor_above = u_false < fpir[group]
        both = np.flatnonzero(mate_above & impostor_above)
        outscored = np.zeros(person.size, dtype=bool)
        if both.size:
            s_mate = self.scores.genuine(u_mate[both], group[both])
            outscored[both] = u_false[both] < self.scores.fpir(s_mate, group[both], self.union.size)
        false_match = impostor_above & (~mate_above | outscored)
        n_candidates = mate_above.astype(np.int32)
        above = np.flatnonzero(impostor_above)
        if above.size:  # strangers above the threshold: a Poisson count, at least one
            lam = -np.log1p(-np.minimum(fpir[group[above]], 1.0 - 1e-16))
            n_candidates[above] += np.maximum(1, poisson_quantile(1.0 - u_false[above], lam)).astype(np.int32)
        return mate_above & ~false_match, false_match, n_candidates

    def identify(self, person: np.ndarray, step: int, streams: Streams) -> tuple[np.ndarray, np.ndarray]:
        """Search everyone in ``person`` at the operating threshold; return ``(mate, false_match)``, bool[K] each.

        The search of :meth:`scan` without a scan policy or decision (a capture outside an encounter, e.g. a
        protest), its draws keyed by ``step`` instead of the day.
        """
        person = np.asarray(person, dtype=np.int64)
        mate, false_match, _ = self._search(person, self.group[person].astype(np.int64), step, streams, None)
        return mate, false_match

    def _decide(self, person, flagged, false_match, day, streams) -> np.ndarray:
        cleared = np.full(person.size, -1, dtype=np.int8)
        pending = np.flatnonzero(flagged)
        for rule in self.rules:
            if pending.size == 0:
                break
            ok = rule.clears(person[pending], false_match[pending], day, streams)
            cleared[pending[ok]] = rule.outcome_code
            pending = pending[~ok]
        return cleared

    def scan(
        self,
        person: np.ndarray,
        day: int,
        streams: Streams,
        *,
        threshold: float | None = None,
        named: np.ndarray | None = None,
        widen: bool = False,
    ) -> ScanResult:
        """Scan, search, read the record returned and decide, for everyone present.

        Args:
            person: int64[K] people present (each at most once).
            day: Day index (the step of every counter-based draw).
            streams: Random streams.
            threshold: Today's threshold (default: the operating threshold); quota pressure may lower it.
            named: bool[K], when the scan policy needs it: the person is the named subject of an active lead
                here. A named subject who is not scanned is identified from their own record (the lead's
                folder) and goes through the decision rules like a flag.
            widen: Scan everyone present whatever the scan policy (quota pressure ``scan_wider``).
        """
        person = np.asarray(person, dtype=np.int64)
        group = self.group[person].astype(np.int64)
        scanned = self._who_is_scanned(person, group, day, streams, named, widen)
        i = np.flatnonzero(scanned)
        if i.size == person.size:  # everyone present is scanned
            mate, false_match, n_candidates = self._search(person, group, day, streams, threshold)
        else:
            mate = np.zeros(person.size, dtype=bool)
            false_match = np.zeros(person.size, dtype=bool)
            n_candidates = np.zeros(person.size, dtype=np.int32)
            mate[i], false_match[i], n_candidates[i] = self._search(person[i], group[i], day, streams, threshold)
        record = np.where(mate, self.own_record[person], -1).astype(np.int8)
        s = np.flatnonzero(false_match)  # a stranger's record: drawn from the galleries' mix for the probe's race
        if s.size:
            u_record = streams.uniform("field.record", person[s], step=day)  # counter-based: as if drawn for all
            # searchsorted(record_cum[race], u, side="right") for each at once: the entries at or below u
            record[s] = np.count_nonzero(self.record_cum[group[s] // 2] <= u_record[:, None], axis=1)
        flagged = self.vocab.shows_removable(record)
        if named is not None:  # a named subject's folder (their own record) flags them whatever a scan returned
            folder = np.asarray(named, dtype=bool) & self.vocab.shows_removable(self.own_record[person])
            by_record = folder & ~flagged
            record[by_record] = self.own_record[person[by_record]]
            flagged |= folder
        else:
            by_record = np.zeros(person.size, dtype=bool)
        cleared = self._decide(person, flagged, false_match, day, streams)
        return ScanResult(
            scanned=scanned, mate=mate, false_match=false_match, record=record, n_candidates=n_candidates,
            flagged=flagged, cleared=cleared, detained=flagged & (cleared < 0), by_record=by_record,
        )
