"""Gaming signals: pure rules over per-team aggregates (docs/kpi-maths.md, "Gaming signals").

Statistics, not money: figures are floats internally and rounded half-up once in the evidence.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.numbers import half_up

THRESHOLD_CLUSTER = "threshold_cluster"
SURVEY_DROP = "survey_drop"
RUSHING = "rushing"
SURVEY_MIX = "survey_mix"
RULES = (THRESHOLD_CLUSTER, SURVEY_DROP, RUSHING, SURVEY_MIX)


@dataclass(frozen=True)
class Thresholds:
    """The detector's settings (defaults as documented; `GAMING_SIGNALS` overrides them)."""

    alpha: float = 0.001
    cluster_band_sd: float = 0.5
    cluster_min_days: int = 8
    cluster_min_share: float = 0.75
    cluster_alpha: float = 0.01
    survey_drop_ratio: float = 0.75
    survey_hold_ratio: float = 0.9
    aht_drop_pct: float = 10.0
    fcr_drop_points: float = 3.0
    mix_shift_points: float = 5.0
    mix_effect_points: float = 2.0

    @property
    def z_critical(self) -> float:
        """The one-sided normal quantile for `alpha` (3.09 at 0.001)."""
        return statistics.NormalDist().inv_cdf(1 - self.alpha)


@dataclass(frozen=True)
class Flag:
    """One signal for one team: the rule, the KPI it concerns and the figures that raised it."""

    team_id: int
    rule: str
    kpi_code: str
    evidence: Mapping[str, object] = field(default_factory=dict)


# --- inputs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DailySeries:
    """A team's daily values of a KPI that pays from `threshold`, for rule (a)."""

    team_id: int
    kpi_code: str
    threshold: float
    lower_is_better: bool
    days: tuple[float, ...]


@dataclass(frozen=True)
class SurveyVolume:
    """A team's survey sample (and contacts, when known) in the previous period and now, for rule (b)."""

    team_id: int
    covered: bool
    sample_before: int
    sample_now: int
    contacts_before: int | None = None
    contacts_now: int | None = None


@dataclass(frozen=True)
class Counts:
    """Events out of contacts (resolved at first contact, or repeat contacts)."""

    events: float
    contacts: float

    @property
    def pct(self) -> float:
        return 100 * self.events / self.contacts


@dataclass(frozen=True)
class ServiceTrend:
    """A team's daily handle times and FCR (and repeat contact) counts, before and now, for rule (c)."""

    team_id: int
    aht_before: tuple[float, ...]
    aht_now: tuple[float, ...]
    fcr_before: Counts | None = None
    fcr_now: Counts | None = None
    repeat_before: Counts | None = None
    repeat_now: Counts | None = None


@dataclass(frozen=True)
class Cell:
    """Survey sample and sample-weighted score sum of one channel or weekday."""

    sample: float
    score_sum: float

    @property
    def score(self) -> float:
        return self.score_sum / self.sample


@dataclass(frozen=True)
class SurveyMix:
    """A team's survey cells on one dimension (channel or weekday), before and now, for rule (d)."""

    team_id: int
    kpi_code: str
    dimension: str
    before: Mapping[str, Cell]
    now: Mapping[str, Cell]


# --- statistics ---------------------------------------------------------------------------------
def normal_cdf(z: float) -> float:
    """Φ(z)."""
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def two_proportion_z(events_0: float, n_0: float, events_1: float, n_1: float) -> float:
    """z of p1 - p0 with the pooled standard error (0 when undefined)."""
    if n_0 <= 0 or n_1 <= 0:
        return 0.0
    pooled = (events_0 + events_1) / (n_0 + n_1)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_0 + 1 / n_1))
    return 0.0 if se == 0 else (events_1 / n_1 - events_0 / n_0) / se


def welch_z(before: Sequence[float], now: Sequence[float]) -> float:
    """(mean now - mean before) / sqrt(var0/n0 + var1/n1) over daily values (0 when undefined)."""
    if len(before) < 2 or len(now) < 2:
        return 0.0
    se = math.sqrt(statistics.variance(before) / len(before) + statistics.variance(now) / len(now))
    return 0.0 if se == 0 else (statistics.fmean(now) - statistics.fmean(before)) / se


def _r(value: float, places: int = 1):
    return half_up(value, places)


# --- (a) clustering just above a payout threshold -----------------------------------------------
def threshold_cluster(series: DailySeries, t: Thresholds) -> Flag | None:
    """Flag when the days in the band around the threshold sit on its paying side more than chance allows."""
    if len(series.days) < 3:
        return None
    mu, sigma = statistics.fmean(series.days), statistics.stdev(series.days)
    if sigma == 0:
        return None
    h, threshold = t.cluster_band_sd * sigma, series.threshold
    if series.lower_is_better:
        above = sum(1 for v in series.days if threshold - h < v <= threshold)
        below = sum(1 for v in series.days if threshold < v < threshold + h)
    else:
        above = sum(1 for v in series.days if threshold <= v < threshold + h)
        below = sum(1 for v in series.days if threshold - h <= v < threshold)
    n = above + below
    if n < t.cluster_min_days:
        return None
    low, mid, high = (normal_cdf((x - mu) / sigma) for x in (threshold - h, threshold, threshold + h))
    paying = (mid - low) if series.lower_is_better else (high - mid)
    p0 = paying / (high - low) if high > low else 0.5
    p_value = binomial_upper_tail(above, n, p0)
    if p_value > t.cluster_alpha or above / n < t.cluster_min_share:
        return None
    return Flag(
        series.team_id,
        THRESHOLD_CLUSTER,
        series.kpi_code,
        {
            "threshold": _r(threshold, 2),
            "band": _r(h, 2),
            "above": above,
            "below": below,
            "expected_pct": _r(100 * p0),
            "observed_pct": _r(100 * above / n),
            "p_value": _r(p_value, 5),
        },
    )


# --- (b) survey sample or response rate falls where surveys pay ---------------------------------
def _volume_ratio(v: SurveyVolume) -> tuple[float, float, float, bool] | None:
    """(before, now, z, is_rate): response rate in % when contacts are known for both periods, else the sample."""
    if v.contacts_before and v.contacts_now:
        z = two_proportion_z(v.sample_before, v.contacts_before, v.sample_now, v.contacts_now)
        return 100 * v.sample_before / v.contacts_before, 100 * v.sample_now / v.contacts_now, z, True
    if v.sample_before <= 0:
        return None
    z = (v.sample_now - v.sample_before) / math.sqrt(v.sample_now + v.sample_before)
    return float(v.sample_before), float(v.sample_now), z, False


def survey_drops(volumes: Iterable[SurveyVolume], kpi_code: str, t: Thresholds) -> list[Flag]:
    """Flag covered teams whose survey rate (or sample) fell significantly while it held in uncovered teams."""
    measured = [(v, m) for v in volumes if (m := _volume_ratio(v)) is not None and m[0] > 0]
    elsewhere = [m[1] / m[0] for v, m in measured if not v.covered]
    if not elsewhere:
        return []
    held = statistics.median(elsewhere)
    if held < t.survey_hold_ratio:
        return []
    flags = []
    for v, (before, now, z, is_rate) in measured:
        if v.covered and now / before <= t.survey_drop_ratio and z <= -t.z_critical:
            evidence = {
                "measure": "rate" if is_rate else "sample",
                "before": _r(before, 2 if is_rate else 0),
                "now": _r(now, 2 if is_rate else 0),
                "change_pct": _r(100 * (now / before - 1)),
                "elsewhere_change_pct": _r(100 * (held - 1)),
                "z": _r(z, 2),
            }
            flags.append(Flag(v.team_id, SURVEY_DROP, kpi_code, evidence))
    return flags


# --- (c) handle time falls while resolution suffers ---------------------------------------------
def _worse(
    before: Counts | None, now: Counts | None, *, rise: bool, t: Thresholds
) -> tuple[float, float, float] | None:
    """(before %, now %, z) when the rate moved the wrong way by enough points, significantly; else None."""
    if before is None or now is None or before.contacts <= 0 or now.contacts <= 0:
        return None
    z = two_proportion_z(before.events, before.contacts, now.events, now.contacts)
    change = now.pct - before.pct
    if rise and change >= t.fcr_drop_points and z >= t.z_critical:
        return before.pct, now.pct, z
    if not rise and -change >= t.fcr_drop_points and z <= -t.z_critical:
        return before.pct, now.pct, z
    return None


def rushing(trend: ServiceTrend, aht_code: str, t: Thresholds) -> Flag | None:
    """Flag a significant fall in handle time that comes with lower FCR or more repeat contacts."""
    if len(trend.aht_before) < 2 or len(trend.aht_now) < 2:
        return None
    aht_before, aht_now = statistics.fmean(trend.aht_before), statistics.fmean(trend.aht_now)
    z_aht = welch_z(trend.aht_before, trend.aht_now)
    if aht_before <= 0 or 100 * (1 - aht_now / aht_before) < t.aht_drop_pct or z_aht > -t.z_critical:
        return None
    evidence: dict[str, object] = {"aht_before": _r(aht_before, 0), "aht_now": _r(aht_now, 0), "z_aht": _r(z_aht, 2)}
    if fcr := _worse(trend.fcr_before, trend.fcr_now, rise=False, t=t):
        evidence.update(fcr_before=_r(fcr[0]), fcr_now=_r(fcr[1]), z_fcr=_r(fcr[2], 2))
    if repeat := _worse(trend.repeat_before, trend.repeat_now, rise=True, t=t):
        evidence.update(repeat_before=_r(repeat[0]), repeat_now=_r(repeat[1]), z_repeat=_r(repeat[2], 2))
    if fcr is None and repeat is None:
        return None
    return Flag(trend.team_id, RUSHING, aht_code, evidence)


# --- (d) surveys concentrate where scores are best ----------------------------------------------
def survey_mix(mix: SurveyMix, t: Thresholds) -> Flag | None:
    """Flag a significant move of the survey sample towards the cells that scored best before."""
    before = {k: c for k, c in mix.before.items() if c.sample > 0}
    total_before = sum(c.sample for c in before.values())
    total_now = sum(c.sample for c in mix.now.values())
    if len(before) < 2 or total_before <= 0 or total_now <= 0:
        return None
    overall = sum(c.score_sum for c in before.values()) / total_before
    best = sorted(k for k, c in before.items() if c.score > overall)
    in_best_before = sum(before[k].sample for k in best)
    in_best_now = sum(mix.now[k].sample for k in best if k in mix.now)
    share_before, share_now = 100 * in_best_before / total_before, 100 * in_best_now / total_now
    z = two_proportion_z(in_best_before, total_before, in_best_now, total_now)
    mix_effect = sum(
        ((mix.now[k].sample if k in mix.now else 0) / total_now - c.sample / total_before) * c.score
        for k, c in before.items()
    )
    if share_now - share_before < t.mix_shift_points or z < t.z_critical or mix_effect < t.mix_effect_points:
        return None
    evidence = {
        "dimension": mix.dimension,
        "best": tuple(best),
        "share_before": _r(share_before),
        "share_now": _r(share_now),
        "z": _r(z, 2),
        "mix_effect": _r(mix_effect, 2),
    }
    return Flag(mix.team_id, SURVEY_MIX, mix.kpi_code, evidence)


# --- all rules ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GamingInputs:
    """Everything the rules read for one plan and period (built by the loader or the generator)."""

    series: tuple[DailySeries, ...] = ()
    volumes: Mapping[str, tuple[SurveyVolume, ...]] = field(default_factory=dict)
    trends: tuple[ServiceTrend, ...] = ()
    aht_code: str = "aht"
    mixes: tuple[SurveyMix, ...] = ()


def detect(inputs: GamingInputs, t: Thresholds) -> tuple[Flag, ...]:
    """Every flag of every rule, ordered by team, rule and KPI."""
    flags: list[Flag] = [f for s in inputs.series if (f := threshold_cluster(s, t))]
    for kpi_code, volumes in inputs.volumes.items():
        flags.extend(survey_drops(volumes, kpi_code, t))
    flags.extend(f for trend in inputs.trends if (f := rushing(trend, inputs.aht_code, t)))
    flags.extend(f for m in inputs.mixes if (f := survey_mix(m, t)))
    return tuple(sorted(flags, key=lambda f: (f.team_id, RULES.index(f.rule), f.kpi_code)))
